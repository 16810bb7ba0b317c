using System.Diagnostics;
using System.Net;
using Evpn.Api;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology (b) (interop/topo/unnumbered-fabric): an evpnd leaf under two FRR 8.4 spines, every fabric link
/// BGP unnumbered on both ends (evpnd `interface: swpN`, FRR `neighbor swpN interface remote-as external`), an FRR
/// leaf on the other side. The spines pass the EVPN routes on with the leaf's loopback VTEP as next hop; the hosts
/// ping across. One spine link going down ends the session on it at once while the traffic goes on through the other
/// spine.</summary>
public sealed class EvpndFrrUnnumberedFabricTests(ITestOutputHelper output) : TopologyTest(output)
{
    private const string A = "vtepa";
    private const string B = "vtepb";
    private static readonly uint[] Vnis = [100, 200];

    /// <summary>The lab's hold time (interop/lib/evpnd.sh EVPND_LAB_TIMERS): link down must end the session well before it.</summary>
    private static readonly TimeSpan HoldTime = TimeSpan.FromSeconds(9);

    /// <summary>Echo replies that may go missing while FRR on the far leaf moves its route to vtepa's loopback off the
    /// failed spine (that spine withdraws it in IPv4 unicast): 2 s of the probe's 100 ms pings.</summary>
    private const int AllowedLossWhileTheUnderlayReconverges = 20;

    protected override string TopologyName => "unnumbered-fabric";

    protected override IReadOnlyList<string> UpArguments => ["--a", "evpnd"];

    private IReadOnlyList<string> Uplinks => Topo[A + ".uplinks"].Split(' ');

    private HostInfo Host(string vtep, uint vni) => Topo.Hosts.Single(h => h.Vtep == vtep && h.Vni == vni);

    private IReadOnlyList<HostInfo> HostsOf(string vtep) => Topo.Hosts.Where(h => h.Vtep == vtep).ToArray();

    private async Task<NeighborDetail> NeighborAsync(string uplink)
    {
        using var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);
        return await client.GetAsync<NeighborDetail>(ApiPaths.Neighbor(uplink));
    }

    private async Task<string> LinkLocalAsync(string node, string device) =>
        (await Lab.ExecAsync(Topo.Run, node, "ip", "-6", "-o", "addr", "show", "dev", device, "scope", "link")).StandardOutput
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "inet6").ElementAt(1).Split('/')[0];

    /// <summary>evpnd peers with each spine over the link-local address it found on that uplink; both spines pass the
    /// leaves' routes on with the VTEP loopbacks as next hops, both kernels point at the other leaf's loopback, and
    /// hosts of both VNIs reach each other.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Both_uplinks_peer_unnumbered_and_the_hosts_reach_each_other_through_the_spines()
    {
        foreach (var uplink in Uplinks)
        {
            var detail = await NeighborAsync(uplink);
            Assert.Equal((uplink, "Established", 65100u), (detail.Interface, detail.State, detail.RemoteAs));
            var spine = Topo[$"{A}.{uplink}"];
            var spineAddress = IPAddress.Parse(await LinkLocalAsync(spine, "swp1"));
            Assert.True(IPAddress.TryParse(detail.InterfacePeer?.Split(' ')[0], out var shown), $"no discovered address: {detail.InterfacePeer}");
            Assert.Equal(spineAddress, new IPAddress(shown.GetAddressBytes()));
        }

        // Through the spines, each leaf's routes reach the other with its loopback VTEP as next hop.
        await Checks.Type3PerVniAsync(Speaker.Frr.View(Lab, Topo, B), B, Topo.Ip(A), Vnis);
        await Checks.Type2ForHostsAsync(Speaker.Frr.View(Lab, Topo, B), B, Topo.Ip(A), HostsOf(A));
        await Checks.Type3PerVniAsync(Speaker.Evpnd.View(Lab, Topo, A), A, Topo.Ip(B), Vnis);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, Topo.Ip(B), Vnis, HostsOf(B));
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(B), B, Topo.Ip(A), Vnis, HostsOf(A));
        foreach (var vni in Vnis)
        {
            await Checks.HostsReachEachOtherAsync(Topo, Host(A, vni), Host(B, vni));
        }
    }

    /// <summary>vtepa's link to spine1 goes down while a host behind vtepa pings one behind vtepb: evpnd ends the
    /// session on that link at once (not after the hold time), the session to spine2 stays up, the kernel entries
    /// toward vtepb never leave (the same routes arrive through spine2) and the pings go on through spine2. Link up
    /// brings the session back.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task One_spine_link_down_ends_its_session_at_once_and_the_traffic_goes_on_through_the_other_spine()
    {
        var (failed, kept) = (Uplinks[0], Uplinks[1]);
        var vtepB = Topo.Ip(B);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, vtepB, Vnis, HostsOf(B));
        await Checks.HostsReachEachOtherAsync(Topo, Host(A, 100), Host(B, 100));
        var required = Vnis.Select(v => (KernelFdbEntry.FloodMac, $"vxlan{v}", vtepB))
            .Concat(HostsOf(B).Select(h => (h.Mac, $"vxlan{h.Vni}", vtepB)));
        await using var watch = new FdbWatch(Topo.Run, A, required);
        var ping = await PingProbe.StartAsync(Lab, Topo, Host(A, 100), Host(B, 100), count: 100);
        await ping.ArrivingAsync();

        var down = Stopwatch.StartNew();
        await Lab.ExecAsync(Topo.Run, A, "ip", "link", "set", failed, "down");
        NeighborDetail detail = await NeighborAsync(failed);
        var ended = await Eventually.TrueWithinAsync(HoldTime, async () => (detail = await NeighborAsync(failed)).State != "Established");
        var gone = down.Elapsed;
        Lab.Log($"session on {failed} {detail.State} {gone.TotalSeconds:F2} s after link down ({detail.LastError})");
        Assert.True(ended, $"the session on {failed} outlived the link: {detail.State}");
        Assert.True(gone < HoldTime / 2, $"the session on {failed} ended only after {gone.TotalSeconds:F1} s: it waited for its hold timer");
        Assert.Contains("down", detail.LastError, StringComparison.Ordinal);
        var spine = Topo[$"{A}.{failed}"];
        Assert.True(await Eventually.TrueWithinAsync(HoldTime, async () => !await Speaker.Frr.View(Lab, Topo, spine).IsEstablishedAsync("swp1")),
            $"{spine} still has its session with vtepa up");

        var outcome = await ping.FinishAsync();
        Lab.Log($"{failed} down on {A}, ping {Host(A, 100).Node} -> {Host(B, 100).Node}: {outcome}; " +
                $"{watch.Samples} kernel samples, {watch.Gaps.Count} with an entry toward {vtepB} missing");
        Assert.Equal("Established", (await NeighborAsync(kept)).State);
        Assert.Empty(watch.Gaps);
        Assert.Equal(0, outcome.LostOnTheWayThere);
        Assert.True(outcome.LostRoundTrip <= AllowedLossWhileTheUnderlayReconverges, $"the traffic did not go on through {Topo[$"{A}.{kept}"]}: {outcome}");
        await Checks.HostsReachEachOtherAsync(Topo, Host(A, 200), Host(B, 200));

        await Lab.ExecAsync(Topo.Run, A, "ip", "link", "set", failed, "up");
        Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence, () => Speaker.Evpnd.View(Lab, Topo, A).IsEstablishedAsync(failed)),
            $"the session on {failed} did not come back after link up");
    }
}
