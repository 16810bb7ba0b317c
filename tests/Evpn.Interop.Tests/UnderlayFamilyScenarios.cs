using Evpn.Api;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology (c) (interop/topo/spine-rr --underlay ipv6): an IPv6-only underlay, evpnd on both leaves with
/// IPv6 VTEPs and IPv6 sessions to a spine route reflector. The spine is evpnd: FRR 8.4 refuses a type-3 route whose
/// PMSI tunnel identifier is an IPv6 address (16 octets; it accepts only 4) with NOTIFICATION 3/5 and resets the
/// session, so it cannot reflect an IPv6 VTEP's routes. Hosts ping across; a graceful restart of one evpnd keeps
/// its kernel entries toward the other leaf's IPv6 VTEP forwarding.</summary>
public sealed class EvpndIpv6UnderlayTests(ITestOutputHelper output) : TopologyTest(output)
{
    private const string A = "vtepa";
    private const string B = "vtepb";
    private static readonly uint[] Vnis = [100, 200];

    /// <summary>Echo requests that may go missing through the restarting evpnd's VTEP (a request in flight while the
    /// kernel takes a batch); the target is 0.</summary>
    private const int AllowedLossThroughRestartingVtep = 2;

    protected override string TopologyName => "spine-rr";

    protected override IReadOnlyList<string> UpArguments =>
        ["--underlay", "ipv6", "--rr", "evpnd", "--a", "evpnd", "--b", "evpnd", "--graceful-restart"];

    private static string Other(string node) => node == A ? B : A;

    private HostInfo Host(string vtep, uint vni) => Topo.Hosts.Single(h => h.Vtep == vtep && h.Vni == vni);

    private IReadOnlyList<HostInfo> HostsOf(string vtep) => Topo.Hosts.Where(h => h.Vtep == vtep).ToArray();

    [RequiresTheory(Requirement.Root)]
    [InlineData(A)]
    [InlineData(B)]
    public async Task Programs_flood_and_fdb_entries_toward_the_other_leafs_ipv6_vtep(string node)
    {
        Assert.Contains(':', Topo.Ip(Other(node)));
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(node), node, Topo.Ip(Other(node)), Vnis, HostsOf(Other(node)));
    }

    [RequiresTheory(Requirement.Root)]
    [InlineData(100)]
    [InlineData(200)]
    public Task Hosts_behind_different_leaves_reach_each_other_over_the_ipv6_underlay(uint vni) =>
        Checks.HostsReachEachOtherAsync(Topo, Host(A, vni), Host(B, vni));

    /// <summary>evpnd on vtepa stops gracefully and starts again while a host behind it pings one behind vtepb: its
    /// entries toward vtepb's IPv6 VTEP never leave the kernel, the new evpnd adopts them and the session and routes
    /// come back with nothing stale.</summary>
    [RequiresFact(Requirement.Root)]
    public async Task A_graceful_restart_of_one_evpnd_keeps_its_kernel_entries_and_the_pings_go_on()
    {
        var vtepB = Topo.Ip(B);
        foreach (var node in new[] { A, B })
        {
            await Checks.FloodAndFdbTowardAsync(Topo.Kernel(node), node, Topo.Ip(Other(node)), Vnis, HostsOf(Other(node)));
        }
        var required = Vnis.Select(v => (KernelFdbEntry.FloodMac, $"vxlan{v}", vtepB))
            .Concat(HostsOf(B).Select(h => (h.Mac, $"vxlan{h.Vni}", vtepB)));
        await using var watch = new FdbWatch(Topo.Run, A, required);
        var ping = await PingProbe.StartAsync(Lab, Topo, Host(A, 100), Host(B, 100), count: 100);
        await ping.ArrivingAsync();
        await Eventually.UntilAsync(() => watch.Samples > 0, "a first sample of the FDB watch");

        await Lab.RunAsync(LabPaths.LabCli, ["stop", Topo.Run, A], Lab.QueryTimeout);
        await Lab.RunAsync(LabPaths.LabCli, ["start", Topo.Run, A], Lab.TopologyTimeout);

        IReadOnlyList<RouteEntry> routes = [];
        var converged = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), async () =>
        {
            using var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);
            routes = await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes);
            return routes.Count(r => r.NextHop == vtepB) >= 4 && !routes.Any(r => r.Stale);
        });
        var outcome = await ping.FinishAsync();
        Lab.Log($"evpnd graceful restart on an IPv6 underlay, ping {Host(A, 100).Node} -> {Host(B, 100).Node}: {outcome}; " +
                $"{watch.Samples} kernel samples, {watch.Gaps.Count} with an entry toward {vtepB} missing");

        Assert.True(converged, "evpnd on vtepa did not re-converge:\n" +
            string.Join('\n', routes.Select(r => $"{r.Prefix} via {r.NextHop}{(r.Stale ? " stale" : "")}")));
        Assert.Empty(watch.Gaps);
        Assert.True(outcome.LostOnTheWayThere <= AllowedLossThroughRestartingVtep, $"echo requests lost through the restarting VTEP: {outcome}");
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, vtepB, Vnis, HostsOf(B));
        await Checks.HostsReachEachOtherAsync(Topo, Host(A, 100), Host(B, 100));
    }
}

/// <summary>Topology (c) again for MAC mobility (RFC 7432 section 15): a host moves between the two IPv6 VTEPs and back,
/// followed by both evpnd and both kernels with higher sequence numbers, pinged at each place.</summary>
public sealed class EvpndIpv6UnderlayMacMobilityTests(ITestOutputHelper output) : MacMobilityScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Evpnd;
    protected override string TopologyName => "spine-rr";
    protected override IReadOnlyList<string> UpArguments => ["--underlay", "ipv6", "--rr", "evpnd", "--a", "evpnd", "--b", "evpnd"];
}

/// <summary>Topology (d) (interop/topo/spine-rr --underlay mixed): vtepa's VTEP is IPv4, vtepb's IPv6, both evpnd,
/// evpnd reflecting (FRR 8.4 cannot take vtepb's type-3 routes, see <see cref="EvpndIpv6UnderlayTests"/>). Each receives the other's routes, keeps them, installs none of them (a VXLAN device sends over
/// one family) and says why; the hosts of one VNI behind the two leaves cannot reach each other.</summary>
public sealed class EvpndMixedUnderlayTests(ITestOutputHelper output) : TopologyTest(output)
{
    private const string A = "vtepa";
    private const string B = "vtepb";
    private static readonly uint[] Vnis = [100, 200];

    protected override string TopologyName => "spine-rr";

    protected override IReadOnlyList<string> UpArguments => ["--underlay", "mixed", "--rr", "evpnd", "--a", "evpnd", "--b", "evpnd"];

    [RequiresTheory(Requirement.Root)]
    [InlineData(A, B, "IPv6", "IPv4")]
    [InlineData(B, A, "IPv4", "IPv6")]
    public async Task Routes_toward_the_other_familys_vtep_are_kept_shown_and_not_installed(string node, string other, string otherFamily, string ownFamily)
    {
        var remote = Topo.Ip(other);
        var remoteHosts = Topo.Hosts.Where(h => h.Vtep == other).ToArray();
        using var client = new ManagementClient(Topo[node + ".evpnd-socket"], Lab.QueryTimeout);
        IReadOnlyList<RouteEntry> received = [];
        var all = await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            received = (await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes)).Where(r => r.NextHop == remote).ToArray();
            return received.Count(r => r.Type == 3) == Vnis.Length && received.Count(r => r.Type == 2) >= remoteHosts.Length;
        });
        Assert.True(all, $"{node} did not receive {other}'s type-3 and type-2 routes:\n{string.Join('\n', received.Select(r => r.Prefix))}");

        var reason = $"its VTEP {remote} is {otherFamily} and the local VTEP {Topo.Ip(node)} is {ownFamily} (no VXLAN tunnel across underlay families)";
        Assert.All(received, r => Assert.Equal(reason, r.NotInstalled));
        var explained = await client.GetAsync<RouteExplainDocument>($"{ApiPaths.ExplainRoute}?mac={remoteHosts[0].Mac}");
        Assert.Equal("not installed: " + reason, Assert.Single(explained.Routes).Verdict);

        // Positive evidence first (the routes are processed, above), then: nothing of them in the kernel.
        var fdb = await Topo.Kernel(node).FdbAsync();
        Assert.DoesNotContain(fdb, e => e.Dst == remote);
        Assert.DoesNotContain(fdb, e => remoteHosts.Any(h => string.Equals(h.Mac, e.Mac, StringComparison.OrdinalIgnoreCase) && e.Flags.Contains("self")));
    }

    [RequiresFact(Requirement.Root)]
    public async Task Hosts_of_one_vni_behind_leaves_of_different_families_do_not_reach_each_other()
    {
        var a = Topo.Hosts.Single(h => h.Vtep == A && h.Vni == 100);
        var b = Topo.Hosts.Single(h => h.Vtep == B && h.Vni == 100);
        await Checks.Type2ForHostsAsync(Speaker.Evpnd.View(Lab, Topo, A), A, Topo.Ip(B), [b]);
        Assert.False(await Topo.PingAsync(a.Node, b.Ip, count: 2), $"{a.Node} reached {b.Node} across underlay families");
    }
}
