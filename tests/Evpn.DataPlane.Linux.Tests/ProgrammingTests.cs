using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>Programming remote entries into a real kernel bridge and VXLAN device, in a namespace.</summary>
public sealed class ProgrammingTests
{
    private const uint Vni = 100;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static MacAddress MacOf(int i) => new(0x0200_0000_0000UL | (uint)i);
    private static IpAddr VtepOf(int i) => IpAddr.FromV4(0x0A01_0000u | (uint)(i % 16 + 2));
    private static IpAddr HostOf(int i) => IpAddr.FromV4(0x0A64_0000u + (uint)i + 10);
    private static IpAddr V6VtepOf(int i) => IpAddr.Parse($"2001:db8:ff::{i % 16 + 2:x}");
    private static IpAddr V6HostOf(int i) => IpAddr.Parse($"fd00:100::{i + 10:x}");

    /// <summary>On an IPv4 underlay, and on an IPv6 one (VXLAN devices with an IPv6 `local`; the nexthop groups'
    /// gateways, the flood entries' destinations and the moved-to VTEP are IPv6 addresses, the hosts too).</summary>
    [RequiresTheory(Requirement.Root)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Programs_reads_back_moves_and_withdraws_ten_thousand_entries(bool ipv6)
    {
        Func<int, IpAddr> VtepOf = ipv6 ? V6VtepOf : ProgrammingTests.VtepOf;
        Func<int, IpAddr> HostOf = ipv6 ? V6HostOf : ProgrammingTests.HostOf;
        var newVtep = IpAddr.Parse(ipv6 ? "2001:db8:ff::99" : "10.9.9.9");
        using var ns = new VtepNamespace(ipv6 ? "2001:db8:ff::1" : "10.0.0.1", Vni);
        await using var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);
        var up = await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
        Assert.Equal(IpAddr.Parse(ns.LocalVtep), up.Info.LocalVtep);

        const int count = 10_000;
        var fdb = Enumerable.Range(0, count).Select(i => new FdbEntry(Vni, MacOf(i), VtepOf(i))).ToList();
        var flood = Enumerable.Range(0, 16).Select(i => new FloodEntry(Vni, VtepOf(i))).ToList();
        var neighbors = Enumerable.Range(0, count).Select(i => new NeighborEntry(Vni, HostOf(i), MacOf(i))).ToList();
        var adds = fdb.Select(e => (DataPlaneIntent)new DataPlaneIntent.AddFdb(e))
            .Concat(flood.Select(e => new DataPlaneIntent.AddFlood(e)))
            .Concat(neighbors.Select(e => new DataPlaneIntent.AddNeighbor(e)))
            .ToList();

        var result = await dataPlane.ApplyAsync(adds, CancellationToken.None);
        Assert.Empty(result.Failures);
        Assert.Equal(adds.Count, result.Applied);

        var installed = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(fdb.ToHashSet(), installed.Fdb.ToHashSet());
        Assert.Equal(flood.ToHashSet(), installed.Flood.ToHashSet());
        Assert.Equal(neighbors.ToHashSet(), installed.Neighbors.ToHashSet());
        Assert.True((await dataPlane.AuditAsync(new DataPlaneState(fdb, flood, neighbors), CancellationToken.None)).IsClean);

        // Cross-check with iproute2's own view.
        var bridgeFdb = Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)).Split('\n');
        Assert.Equal(count, bridgeFdb.Count(l => l.Contains(" self ") && l.Contains("extern_learn") && !l.StartsWith("00:00:00:00:00:00")));
        Assert.Equal(count, bridgeFdb.Count(l => l.Contains(" master ") && l.Contains("extern_learn")));
        Assert.Equal(16, bridgeFdb.Count(l => l.StartsWith("00:00:00:00:00:00 ")));
        // Each MAC points to its VTEP's nexthop group: a gateway and a group of it per VTEP.
        Assert.Matches($"{MacOf(42)} nhid \\d+ self extern_learn", string.Join('\n', bridgeFdb));
        Assert.Equal(Enumerable.Range(0, 16).Select(VtepOf).ToHashSet(), FdbNexthopGateways(ns.Name));
        var ipNeigh = Shell.Ip(ns.Name, "neigh", "show", "dev", VtepNamespace.BridgeOf(Vni)).Split('\n');
        Assert.Equal(count, ipNeigh.Count(l => l.Contains("extern_learn") && l.Contains("NOARP")));
        Assert.Contains($"{HostOf(7)} lladdr {MacOf(7)} extern_learn NOARP", string.Join('\n', ipNeigh));

        // MAC move: the first 500 MACs now sit behind another VTEP.
        var moved = fdb.Take(500).Select(e => e with { Vtep = newVtep }).ToList();
        var moveResult = await dataPlane.ApplyAsync(moved.Select(e => (DataPlaneIntent)new DataPlaneIntent.AddFdb(e)).ToList(), CancellationToken.None);
        Assert.Empty(moveResult.Failures);
        var afterMove = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(count, afterMove.Fdb.Count);
        Assert.All(moved, m => Assert.Contains(m, afterMove.Fdb));
        Assert.Contains(newVtep, FdbNexthopGateways(ns.Name));
        // The late withdraw toward the old VTEP of a moved MAC leaves the new entry alone.
        var late = await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFdb(fdb[0])], CancellationToken.None);
        Assert.Empty(late.Failures);
        Assert.Contains(moved[0], (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);

        // Removing one VTEP from the flood list keeps the others.
        Assert.Empty((await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFlood(flood[3])], CancellationToken.None)).Failures);
        Assert.Equal(flood.Where(f => f != flood[3]).ToHashSet(), (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Flood.ToHashSet());

        var current = fdb.Skip(500).Concat(moved).ToList();
        var withdrawals = current.Select(e => (DataPlaneIntent)new DataPlaneIntent.RemoveFdb(e))
            .Concat(flood.Select(e => new DataPlaneIntent.RemoveFlood(e)))
            .Concat(neighbors.Select(e => new DataPlaneIntent.RemoveNeighbor(e)))
            .ToList();
        var withdrawn = await dataPlane.ApplyAsync(withdrawals, CancellationToken.None);
        Assert.Empty(withdrawn.Failures);

        var left = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Empty(left.Fdb);
        Assert.Empty(left.Flood);
        Assert.Empty(left.Neighbors);
        Assert.DoesNotContain(Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)).Split('\n'), l => l.Contains("extern_learn"));
        Assert.DoesNotContain("extern_learn", Shell.Ip(ns.Name, "neigh", "show", "dev", VtepNamespace.BridgeOf(Vni)));
        // No MAC points to any VTEP any more: their nexthop groups are gone too.
        Assert.Empty(Shell.Ip(ns.Name, "nexthop", "show").Trim());
    }

    [RequiresFact(Requirement.Root)]
    public async Task With_destinations_instead_of_nexthops_each_entry_names_its_vtep()
    {
        using var ns = new VtepNamespace(Vni);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { FdbNexthops = false });
        await dataPlane.StartAsync(CancellationToken.None);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
        var fdb = Enumerable.Range(0, 100).Select(i => new FdbEntry(Vni, MacOf(i), VtepOf(i))).ToList();

        Assert.Empty((await dataPlane.ApplyAsync(fdb.Select(e => (DataPlaneIntent)new DataPlaneIntent.AddFdb(e)).ToList(), CancellationToken.None)).Failures);

        Assert.Contains($"{MacOf(42)} dst {VtepOf(42)} self extern_learn", Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)));
        Assert.Empty(Shell.Ip(ns.Name, "nexthop", "show").Trim());
        Assert.True((await dataPlane.AuditAsync(new DataPlaneState(fdb, [], []), CancellationToken.None)).IsClean);
        Assert.Empty((await dataPlane.ApplyAsync(fdb.Select(e => (DataPlaneIntent)new DataPlaneIntent.RemoveFdb(e)).ToList(), CancellationToken.None)).Failures);
        Assert.Empty((await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);
    }

    /// <summary>Someone pointed evpnd's entry at another VTEP behind its back: the withdrawal names the VTEP evpnd
    /// installed, which the kernel's entry no longer has, and must still leave no entry for the MAC.</summary>
    [RequiresFact(Requirement.Root)]
    public async Task With_destinations_a_withdrawal_removes_the_entry_even_when_it_points_to_another_vtep_by_now()
    {
        using var ns = new VtepNamespace(Vni);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { FdbNexthops = false });
        await dataPlane.StartAsync(CancellationToken.None);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
        var entry = new FdbEntry(Vni, MacOf(5), VtepOf(5));
        Assert.Empty((await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(entry)], CancellationToken.None)).Failures);
        Shell.Bridge(ns.Name, "fdb", "replace", MacOf(5).ToString(), "dev", VtepNamespace.VxlanOf(Vni), "dst", "10.9.9.9", "self", "extern_learn");
        Assert.Contains($"{MacOf(5)} dst 10.9.9.9 self extern_learn", Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)));

        var withdrawn = await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFdb(entry)], CancellationToken.None);

        Assert.Empty(withdrawn.Failures);
        Assert.DoesNotContain(MacOf(5).ToString(), Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)));
        Assert.Empty((await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_nexthop_group_deleted_behind_evpnds_back_is_made_anew_when_its_macs_are_installed_again()
    {
        using var ns = new VtepNamespace(Vni);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { Retry = new RetryPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), 5) });
        await dataPlane.StartAsync(CancellationToken.None);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
        var entry = new FdbEntry(Vni, MacOf(1), VtepOf(1));
        Assert.Empty((await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(entry)], CancellationToken.None)).Failures);

        // Deleting the member empties the group, which the kernel deletes with the entries pointing to it.
        Shell.Ip(ns.Name, "nexthop", "flush");
        Assert.Empty((await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);

        var second = new FdbEntry(Vni, MacOf(2), VtepOf(1));
        var refused = await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(entry), new DataPlaneIntent.AddFdb(second)], CancellationToken.None);
        Assert.Equal(2, refused.Failures.Count);
        Assert.All(refused.Failures, f => Assert.True(f.WillRetry, f.Message));
        // The background retry installs them toward a new group.
        await Eventually.UntilAsync(async () => (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.Count >= 2,
            "the background retry to install both entries", timeout: Wait);
        Assert.Equal(new[] { entry, second }.ToHashSet(), (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.ToHashSet());
    }

    /// <summary>The gateways of the FDB nexthops in the namespace (`ip nexthop show`: "id N via A scope link fdb").</summary>
    internal static HashSet<IpAddr> FdbNexthopGateways(string ns) =>
        Shell.Ip(ns, "nexthop", "show").Split('\n')
            .Select(l => l.Split(' '))
            .Where(w => w.Length > 3 && w[2] == "via" && w.Contains("fdb"))
            .Select(w => IpAddr.Parse(w[3]))
            .ToHashSet();
}
