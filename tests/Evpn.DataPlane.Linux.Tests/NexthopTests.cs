using Evpn.DataPlane.Linux.Kernel;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>The per-VTEP FDB nexthop groups beside other software's nexthops, in a real kernel.</summary>
public sealed class NexthopTests
{
    private const uint Vni = 100;

    /// <summary>The first id evpnd tries (0xEE000000).</summary>
    private const uint FirstId = 3_992_977_408;

    private static readonly FdbEntry Remote = new(Vni, MacAddress.Parse("02:00:00:00:03:01"), IpAddr.Parse("10.0.0.5"));

    [RequiresFact(Requirement.Root)]
    public async Task An_id_held_by_other_software_is_skipped_and_its_nexthop_left_alone()
    {
        using var ns = new VtepNamespace(Vni);
        Shell.Ip(ns.Name, "nexthop", "add", "id", $"{FirstId}", "via", "10.9.9.9", "fdb");
        await using (var dataPlane = new LinuxDataPlane(ns.Options))
        {
            await dataPlane.StartAsync(CancellationToken.None);
            Assert.Empty((await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(Remote)], CancellationToken.None)).Failures);
            Assert.Equal([Remote], (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);
        }

        var nexthops = Shell.Ip(ns.Name, "nexthop", "show");
        Assert.Contains($"id {FirstId} via 10.9.9.9 scope link fdb", nexthops);
        Assert.Matches($"id \\d+ via {Remote.Vtep} scope link proto {VtepNexthops.Protocol} fdb", nexthops);

        // A second run adopts its own pair and still leaves the other one alone.
        await using var second = new LinuxDataPlane(ns.Options);
        await second.StartAsync(CancellationToken.None);
        Assert.Equal(nexthops, Shell.Ip(ns.Name, "nexthop", "show"));
        Assert.Equal([Remote], (await second.ReadInstalledAsync(CancellationToken.None)).Fdb);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_member_a_previous_run_left_without_its_group_is_deleted_at_start()
    {
        using var ns = new VtepNamespace(Vni);
        Shell.Ip(ns.Name, "nexthop", "add", "id", $"{FirstId + 100}", "via", "10.0.0.5", "fdb", "proto", $"{VtepNexthops.Protocol}");
        Shell.Ip(ns.Name, "nexthop", "add", "id", "7", "via", "10.0.0.6", "fdb");

        await using var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);

        Assert.Equal("id 7 via 10.0.0.6 scope link fdb", Shell.Ip(ns.Name, "nexthop", "show").Trim());
        // Ids continue after the highest of evpnd's seen at start.
        Assert.Empty((await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(Remote)], CancellationToken.None)).Failures);
        Assert.Contains($"id {FirstId + 102} via {Remote.Vtep}", Shell.Ip(ns.Name, "nexthop", "show"));
    }
}
