using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 4 (interop/topo/gobgp-peer): VTEP A with GoBGP as VTEP B's speaker. GoBGP decodes A's routes
/// on its own (a second implementation's reading of A's type-3/type-2 encoding) and originates B's routes, which
/// A must turn into kernel entries. B's kernel is not asserted: GoBGP has no data plane.</summary>
public abstract class GobgpPeerScenarios(ITestOutputHelper output) : TopologyTest(output)
{
    private const string A = "vtepa";
    private const string B = "vtepb";
    private static readonly uint[] Vnis = [100, 200];

    protected abstract Speaker SpeakerA { get; }

    protected override string TopologyName => "gobgp-peer";

    protected override IReadOnlyList<string> UpArguments => ["--a", SpeakerA.ScriptName()];

    private ISpeakerView ViewA => SpeakerA.View(Lab, Topo, A);

    private ISpeakerView ViewB => Speaker.Gobgp.View(Lab, Topo, B);

    private HostInfo Host(string vtep, uint vni) => Topo.Hosts.Single(h => h.Vtep == vtep && h.Vni == vni);

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task Session_is_established_on_both_sides()
    {
        Assert.True(await ViewA.IsEstablishedAsync(Topo.Ip(B)), "VTEP A: session with GoBGP not Established");
        Assert.True(await ViewB.IsEstablishedAsync(Topo.Ip(A)), "GoBGP: session with VTEP A not Established");
    }

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task Gobgp_decodes_vtep_as_type3_and_type2_routes()
    {
        await Checks.Type3PerVniAsync(ViewB, "gobgp", Topo.Ip(A), Vnis);
        await Checks.Type2ForHostsAsync(ViewB, "gobgp", Topo.Ip(A), Topo.Hosts.Where(h => h.Vtep == A));
    }

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task Vtep_a_imports_gobgp_routes_into_the_kernel()
    {
        await Checks.Type3PerVniAsync(ViewA, A, Topo.Ip(B), Vnis);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, Topo.Ip(B), Vnis, Topo.Hosts.Where(h => h.Vtep == B));
    }

    [RequiresTheory(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    [InlineData(100)]
    [InlineData(200)]
    public Task Hosts_reach_each_other_in_the_same_vni(uint vni) => Checks.HostsReachEachOtherAsync(Topo, Host(A, vni), Host(B, vni));
}

/// <summary>FRR as VTEP A against GoBGP: the control for this topology.</summary>
public sealed class FrrGobgpPeerTests(ITestOutputHelper output) : GobgpPeerScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Frr;
}
