using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>Restart without traffic loss: a second instance adopts what the first installed and sweeps
/// only what the core did not re-install.</summary>
public sealed class ReconcileTests
{
    private const uint Vni = 100;

    private static readonly FdbEntry KeptMac = new(Vni, MacAddress.Parse("02:00:00:00:01:01"), IpAddr.Parse("10.0.0.2"));
    private static readonly FdbEntry GoneMac = new(Vni, MacAddress.Parse("02:00:00:00:01:02"), IpAddr.Parse("10.0.0.2"));
    private static readonly FdbEntry MovedMac = new(Vni, MacAddress.Parse("02:00:00:00:01:03"), IpAddr.Parse("10.0.0.2"));
    private static readonly FloodEntry KeptFlood = new(Vni, IpAddr.Parse("10.0.0.2"));
    private static readonly FloodEntry GoneFlood = new(Vni, IpAddr.Parse("10.0.0.3"));
    private static readonly NeighborEntry KeptNeighbor = new(Vni, IpAddr.Parse("10.100.0.20"), KeptMac.Mac);
    private static readonly NeighborEntry GoneNeighbor = new(Vni, IpAddr.Parse("fd00::21"), GoneMac.Mac);

    [RequiresFact(Requirement.Root)]
    public async Task A_new_instance_adopts_entries_as_stale_and_sweeps_only_the_stale_ones()
    {
        using var ns = new VtepNamespace(Vni);
        await using (var first = new LinuxDataPlane(ns.Options))
        {
            await first.StartAsync(CancellationToken.None);
            var result = await first.ApplyAsync(
                [
                    new DataPlaneIntent.AddFdb(KeptMac), new DataPlaneIntent.AddFdb(GoneMac), new DataPlaneIntent.AddFdb(MovedMac),
                    new DataPlaneIntent.AddFlood(KeptFlood), new DataPlaneIntent.AddFlood(GoneFlood),
                    new DataPlaneIntent.AddNeighbor(KeptNeighbor), new DataPlaneIntent.AddNeighbor(GoneNeighbor),
                ],
                CancellationToken.None);
            Assert.Empty(result.Failures);
        }

        // Entries outlive the process that installed them, and so do the nexthop groups they point to.
        Assert.Matches($"{KeptMac.Mac} nhid \\d+ self extern_learn", Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)));
        var groupsBefore = Shell.Ip(ns.Name, "nexthop", "show");

        await using var second = new LinuxDataPlane(ns.Options);
        await second.StartAsync(CancellationToken.None);
        var adopted = await second.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(new[] { KeptMac, GoneMac, MovedMac }.ToHashSet(), adopted.Fdb.ToHashSet());
        Assert.Equal(new[] { KeptFlood, GoneFlood }.ToHashSet(), adopted.Flood.ToHashSet());
        Assert.Equal(new[] { KeptNeighbor, GoneNeighbor }.ToHashSet(), adopted.Neighbors.ToHashSet());
        // Adopted as they are: the entries keep forwarding through the same groups.
        Assert.Equal(groupsBefore, Shell.Ip(ns.Name, "nexthop", "show"));

        // The core re-converges: it re-installs what its peers still advertise, one MAC now elsewhere.
        var moved = MovedMac with { Vtep = IpAddr.Parse("10.0.0.4") };
        var reinstalled = await second.ApplyAsync(
            [new DataPlaneIntent.AddFdb(KeptMac), new DataPlaneIntent.AddFdb(moved), new DataPlaneIntent.AddFlood(KeptFlood), new DataPlaneIntent.AddNeighbor(KeptNeighbor)],
            CancellationToken.None);
        Assert.Empty(reinstalled.Failures);

        Assert.Equal(3, await second.SweepStaleAsync(CancellationToken.None));
        var after = await second.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(new[] { KeptMac, moved }.ToHashSet(), after.Fdb.ToHashSet());
        Assert.Equal([KeptFlood], after.Flood);
        Assert.Equal([KeptNeighbor], after.Neighbors);
        Assert.Equal(new[] { KeptMac.Vtep, moved.Vtep }.ToHashSet(), ProgrammingTests.FdbNexthopGateways(ns.Name));
        Assert.Equal(0, await second.SweepStaleAsync(CancellationToken.None));
    }

    [RequiresTheory(Requirement.Root)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Entries_left_in_the_other_form_are_adopted_and_rewritten_in_the_new_one(bool nexthopsBefore, bool nexthopsAfter)
    {
        using var ns = new VtepNamespace(Vni);
        await using (var first = new LinuxDataPlane(ns.Options with { FdbNexthops = nexthopsBefore }))
        {
            await first.StartAsync(CancellationToken.None);
            Assert.Empty((await first.ApplyAsync([new DataPlaneIntent.AddFdb(KeptMac), new DataPlaneIntent.AddFdb(GoneMac), new DataPlaneIntent.AddFdb(MovedMac)], CancellationToken.None)).Failures);
        }

        await using var second = new LinuxDataPlane(ns.Options with { FdbNexthops = nexthopsAfter });
        await second.StartAsync(CancellationToken.None);
        Assert.Equal(new[] { KeptMac, GoneMac, MovedMac }.ToHashSet(), (await second.ReadInstalledAsync(CancellationToken.None)).Fdb.ToHashSet());
        // A replace cannot change an entry's form: the data plane deletes and re-adds it.
        var moved = MovedMac with { Vtep = IpAddr.Parse("10.0.0.4") };
        Assert.Empty((await second.ApplyAsync([new DataPlaneIntent.AddFdb(KeptMac), new DataPlaneIntent.AddFdb(moved)], CancellationToken.None)).Failures);
        Assert.Equal(1, await second.SweepStaleAsync(CancellationToken.None));

        Assert.Equal(new[] { KeptMac, moved }.ToHashSet(), (await second.ReadInstalledAsync(CancellationToken.None)).Fdb.ToHashSet());
        var fdb = Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni));
        var form = nexthopsAfter ? "nhid \\d+" : $"dst {KeptMac.Vtep}";
        Assert.Matches($"{KeptMac.Mac} {form} self extern_learn", fdb);
        Assert.DoesNotContain(GoneMac.Mac.ToString(), fdb);
        Assert.Equal(nexthopsAfter ? new[] { KeptMac.Vtep, moved.Vtep }.ToHashSet() : [], ProgrammingTests.FdbNexthopGateways(ns.Name));
    }

    [RequiresFact(Requirement.Root)]
    public async Task Entries_not_marked_extern_learn_are_not_adopted_or_swept()
    {
        using var ns = new VtepNamespace(Vni);
        // An operator's own static entries: not evpnd's.
        Shell.Bridge(ns.Name, "fdb", "append", "00:00:00:00:00:00", "dev", VtepNamespace.VxlanOf(Vni), "dst", "10.0.0.9", "self", "permanent");
        Shell.Bridge(ns.Name, "fdb", "add", "02:00:00:00:09:09", "dev", VtepNamespace.VxlanOf(Vni), "dst", "10.0.0.9", "self", "permanent");
        await using var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);

        var installed = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Empty(installed.Fdb);
        Assert.Empty(installed.Flood);
        Assert.Equal(0, await dataPlane.SweepStaleAsync(CancellationToken.None));
        Assert.Contains("02:00:00:00:09:09 dst 10.0.0.9 self permanent", Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)));
    }

    [RequiresFact(Requirement.Root)]
    public async Task The_audit_lists_what_differs_from_the_intended_state()
    {
        using var ns = new VtepNamespace(Vni);
        await using var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(KeptMac), new DataPlaneIntent.AddFdb(GoneMac)], CancellationToken.None);
        // Someone changes the kernel behind evpnd's back (an entry on a nexthop group takes a destination only
        // once deleted: a replace leaves it as it is).
        Shell.Bridge(ns.Name, "fdb", "del", GoneMac.Mac.ToString(), "dev", VtepNamespace.VxlanOf(Vni), "self");
        Shell.Bridge(ns.Name, "fdb", "del", KeptMac.Mac.ToString(), "dev", VtepNamespace.VxlanOf(Vni), "self");
        Shell.Bridge(ns.Name, "fdb", "add", KeptMac.Mac.ToString(), "dev", VtepNamespace.VxlanOf(Vni), "dst", "10.0.0.66", "self", "extern_learn");

        var report = await dataPlane.AuditAsync(new DataPlaneState([KeptMac, GoneMac], [KeptFlood], []), CancellationToken.None);

        Assert.Equal([GoneMac], report.MissingFdb);
        Assert.Equal([new Mismatch<FdbEntry>(KeptMac, KeptMac with { Vtep = IpAddr.Parse("10.0.0.66") })], report.WrongVtep);
        Assert.Equal([KeptFlood], report.MissingFlood);
        Assert.Empty(report.ExtraFdb);
    }
}
