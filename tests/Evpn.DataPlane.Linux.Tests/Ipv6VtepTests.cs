using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>A VTEP on an IPv6 underlay (VXLAN devices with an IPv6 `local`): adoption and sweep by a restarted
/// instance of MACs on FDB nexthop groups with IPv6 gateways and of flood entries toward IPv6 VTEPs, in a real kernel
/// in a namespace. Programming, moving and withdrawing 10,000 MACs on both underlays is in <see cref="ProgrammingTests"/>.</summary>
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
        Assert.Equal(IpAddr.Parse(Local), up.Info.LocalVtep);
        return dataPlane;
    }

    [RequiresFact(Requirement.Root)]
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
        var groupsBefore = Shell.Ip(ns.Name, "nexthop", "show");
        Assert.Contains($"via {VtepOf(0)}", groupsBefore);

        await using var second = await StartAsync(ns);
        var adopted = await second.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(new[] { kept, gone, movedBefore }.ToHashSet(), adopted.Fdb.ToHashSet());
        Assert.Equal(new[] { keptFlood, goneFlood }.ToHashSet(), adopted.Flood.ToHashSet());
        Assert.Equal([keptNeighbor], adopted.Neighbors);
        Assert.Equal(groupsBefore, Shell.Ip(ns.Name, "nexthop", "show"));

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
