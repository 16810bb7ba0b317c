using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>A VTEP on an IPv6 underlay (VXLAN devices with an IPv6 `local`): remote MACs on FDB nexthop groups
/// with IPv6 gateways, flood entries toward IPv6 VTEPs, and adoption and sweep by a restarted instance, in a
/// real kernel in a namespace.</summary>
public sealed class Ipv6VtepTests
{
    private const uint Vni = 100;
    private const string Local = "2001:db8:ff::1";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static MacAddress MacOf(int i) => new(0x0200_0000_0000UL | (uint)i);
    private static IpAddr VtepOf(int i) => IpAddr.Parse($"2001:db8:ff::{i % 16 + 2:x}");
    private static IpAddr HostOf(int i) => IpAddr.Parse($"fd00:100::{i + 10:x}");

    private static async Task<LinuxDataPlane> StartAsync(VtepNamespace ns)
    {
        var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);
        var up = await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
        Assert.Equal(IpAddr.Parse(Local), ((DataPlaneEvent.VniUp)up).Info.LocalVtep);
        return dataPlane;
    }

    [Fact]
    public async Task Programs_moves_and_withdraws_ten_thousand_macs_toward_ipv6_vteps()
    {
        using var ns = new VtepNamespace(Local, Vni);
        await using var dataPlane = await StartAsync(ns);

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

        // iproute2's view: each MAC on a nexthop group whose gateway is an IPv6 VTEP; flood entries name IPv6 VTEPs.
        var bridgeFdb = Command.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)).Split('\n');
        Assert.Equal(count, bridgeFdb.Count(l => l.Contains(" self ") && l.Contains("extern_learn") && !l.StartsWith("00:00:00:00:00:00")));
        Assert.Matches($"{MacOf(42)} nhid \\d+ self extern_learn", string.Join('\n', bridgeFdb));
        Assert.Contains($"00:00:00:00:00:00 dst {VtepOf(5)} self", string.Join('\n', bridgeFdb));
        Assert.Equal(Enumerable.Range(0, 16).Select(VtepOf).ToHashSet(), ProgrammingTests.FdbNexthopGateways(ns.Name));

        // A move of 500 MACs to another IPv6 VTEP, then the late withdraw toward the old one changes nothing.
        var newVtep = IpAddr.Parse("2001:db8:ff::99");
        var moved = fdb.Take(500).Select(e => e with { Vtep = newVtep }).ToList();
        Assert.Empty((await dataPlane.ApplyAsync(moved.Select(e => (DataPlaneIntent)new DataPlaneIntent.AddFdb(e)).ToList(), CancellationToken.None)).Failures);
        var afterMove = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(count, afterMove.Fdb.Count);
        Assert.All(moved, m => Assert.Contains(m, afterMove.Fdb));
        Assert.Contains(newVtep, ProgrammingTests.FdbNexthopGateways(ns.Name));
        Assert.Empty((await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFdb(fdb[0])], CancellationToken.None)).Failures);
        Assert.Contains(moved[0], (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);

        var withdrawals = fdb.Skip(500).Concat(moved).Select(e => (DataPlaneIntent)new DataPlaneIntent.RemoveFdb(e))
            .Concat(flood.Select(e => new DataPlaneIntent.RemoveFlood(e)))
            .Concat(neighbors.Select(e => new DataPlaneIntent.RemoveNeighbor(e)))
            .ToList();
        Assert.Empty((await dataPlane.ApplyAsync(withdrawals, CancellationToken.None)).Failures);

        var left = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Empty(left.Fdb);
        Assert.Empty(left.Flood);
        Assert.Empty(left.Neighbors);
        Assert.DoesNotContain(Command.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)).Split('\n'), l => l.Contains("extern_learn"));
        Assert.Empty(Command.Ip(ns.Name, "nexthop", "show").Trim());
    }

    [Fact]
    public async Task A_restarted_instance_adopts_ipv6_entries_and_sweeps_only_the_stale_ones()
    {
        var kept = new FdbEntry(Vni, MacOf(1), VtepOf(0));
        var gone = new FdbEntry(Vni, MacOf(2), VtepOf(0));
        var movedBefore = new FdbEntry(Vni, MacOf(3), VtepOf(0));
        var keptFlood = new FloodEntry(Vni, VtepOf(0));
        var goneFlood = new FloodEntry(Vni, VtepOf(1));
        var keptNeighbor = new NeighborEntry(Vni, HostOf(1), kept.Mac);
        using var ns = new VtepNamespace(Local, Vni);
        await using (var first = await StartAsync(ns))
        {
            Assert.Empty((await first.ApplyAsync(
                [
                    new DataPlaneIntent.AddFdb(kept), new DataPlaneIntent.AddFdb(gone), new DataPlaneIntent.AddFdb(movedBefore),
                    new DataPlaneIntent.AddFlood(keptFlood), new DataPlaneIntent.AddFlood(goneFlood), new DataPlaneIntent.AddNeighbor(keptNeighbor),
                ],
                CancellationToken.None)).Failures);
        }
        var groupsBefore = Command.Ip(ns.Name, "nexthop", "show");
        Assert.Contains($"via {VtepOf(0)}", groupsBefore);

        await using var second = await StartAsync(ns);
        var adopted = await second.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(new[] { kept, gone, movedBefore }.ToHashSet(), adopted.Fdb.ToHashSet());
        Assert.Equal(new[] { keptFlood, goneFlood }.ToHashSet(), adopted.Flood.ToHashSet());
        Assert.Equal([keptNeighbor], adopted.Neighbors);
        Assert.Equal(groupsBefore, Command.Ip(ns.Name, "nexthop", "show"));

        var moved = movedBefore with { Vtep = VtepOf(2) };
        Assert.Empty((await second.ApplyAsync(
            [new DataPlaneIntent.AddFdb(kept), new DataPlaneIntent.AddFdb(moved), new DataPlaneIntent.AddFlood(keptFlood), new DataPlaneIntent.AddNeighbor(keptNeighbor)],
            CancellationToken.None)).Failures);

        Assert.Equal(2, await second.SweepStaleAsync(CancellationToken.None));
        var after = await second.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(new[] { kept, moved }.ToHashSet(), after.Fdb.ToHashSet());
        Assert.Equal([keptFlood], after.Flood);
        Assert.Equal([keptNeighbor], after.Neighbors);
        Assert.Equal(new[] { kept.Vtep, moved.Vtep }.ToHashSet(), ProgrammingTests.FdbNexthopGateways(ns.Name));
    }
}
