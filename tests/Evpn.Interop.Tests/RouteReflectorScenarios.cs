using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topologies 2 and 3 (interop/topo/spine-rr): two leaves, each an iBGP client of a spine that reflects
/// l2vpn evpn between them (RFC 4456) and routes the underlay. A leaf must receive the other leaf's routes with the
/// next hop unchanged (the other leaf's VTEP, not the spine), ORIGINATOR_ID = the other leaf and the spine's
/// cluster id in CLUSTER_LIST, and must tunnel to the other leaf directly.</summary>
public abstract class RouteReflectorScenarios(ITestOutputHelper output) : TopologyTest(output)
{
    private const string Spine = "spine";
    private const string A = "vtepa";
    private const string B = "vtepb";

    /// <summary>The spine's router id, also its cluster id (interop/lib/frr.sh, frr_evpn_rr_config).</summary>
    private const string ClusterId = "10.0.1.254";

    private static readonly uint[] Vnis = [100, 200];

    protected abstract Speaker SpeakerRr { get; }
    protected abstract Speaker SpeakerA { get; }
    protected abstract Speaker SpeakerB { get; }

    protected override string TopologyName => "spine-rr";

    protected override IReadOnlyList<string> UpArguments =>
        ["--rr", SpeakerRr.ScriptName(), "--a", SpeakerA.ScriptName(), "--b", SpeakerB.ScriptName()];

    private ISpeakerView View(string node) => (node == A ? SpeakerA : SpeakerB).View(Lab, Topo, node);

    private static string Other(string node) => node == A ? B : A;

    private HostInfo Host(string vtep, uint vni) => Topo.Hosts.Single(h => h.Vtep == vtep && h.Vni == vni);

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Spine_has_sessions_with_both_leaves()
    {
        var spine = SpeakerRr.View(Lab, Topo, Spine);
        Assert.True(await spine.IsEstablishedAsync(Topo.Ip(A)), "spine: session with vtepa not Established");
        Assert.True(await spine.IsEstablishedAsync(Topo.Ip(B)), "spine: session with vtepb not Established");
    }

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public async Task Receives_the_other_leafs_type3_routes_reflected_with_their_next_hop(string node)
    {
        var other = Topo.Ip(Other(node));
        await Checks.Type3PerVniAsync(View(node), node, other, Vnis);
        var reflected = (await View(node).RoutesAsync()).Where(r => r.RouteType == 3 && r.Originator == other).ToArray();
        Assert.NotEmpty(reflected);
        foreach (var route in reflected)
        {
            Assert.Equal(Topo[node + ".peer"], route.ReceivedFrom);
            Assert.Equal(other, route.OriginatorId);
            Assert.Contains(ClusterId, route.ClusterList);
        }
    }

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public Task Programs_flood_and_fdb_entries_toward_the_other_leaf(string node) =>
        Checks.FloodAndFdbTowardAsync(Topo.Kernel(node), node, Topo.Ip(Other(node)), Vnis, Topo.Hosts.Where(h => h.Vtep == Other(node)));

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(100)]
    [InlineData(200)]
    public Task Hosts_behind_different_leaves_reach_each_other_in_the_same_vni(uint vni) =>
        Checks.HostsReachEachOtherAsync(Topo, Host(A, vni), Host(B, vni));
}

/// <summary>FRR everywhere: the control for the route-reflector topologies.</summary>
public sealed class FrrRouteReflectorTests(ITestOutputHelper output) : RouteReflectorScenarios(output)
{
    protected override Speaker SpeakerRr => Speaker.Frr;
    protected override Speaker SpeakerA => Speaker.Frr;
    protected override Speaker SpeakerB => Speaker.Frr;
}
