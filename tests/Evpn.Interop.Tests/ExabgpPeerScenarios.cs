using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 5 (interop/topo/exabgp-peer): VTEP A with ExaBGP in VTEP B's place. ExaBGP is a third,
/// independent decoder of A's EVPN routes; it originates nothing EVPN (ExaBGP 4.2 cannot).</summary>
public abstract class ExabgpPeerScenarios(ITestOutputHelper output) : TopologyTest(output)
{
    private const string A = "vtepa";
    private const string B = "vtepb";
    private static readonly uint[] Vnis = [100, 200];

    protected abstract Speaker SpeakerA { get; }

    protected override string TopologyName => "exabgp-peer";

    protected override IReadOnlyList<string> UpArguments => ["--a", SpeakerA.ScriptName()];

    private ISpeakerView ViewB => Speaker.Exabgp.View(Lab, Topo, B);

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.ExaBgp)]
    public async Task Session_is_established_on_both_sides()
    {
        Assert.True(await SpeakerA.View(Lab, Topo, A).IsEstablishedAsync(Topo.Ip(B)), "VTEP A: session with ExaBGP not Established");
        Assert.True(await ViewB.IsEstablishedAsync(Topo.Ip(A)), "ExaBGP: session with VTEP A not up");
    }

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.ExaBgp)]
    public Task Exabgp_decodes_vtep_as_type3_routes_with_ingress_replication_label_vni() =>
        Checks.Type3PerVniAsync(ViewB, "exabgp", Topo.Ip(A), Vnis);

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.ExaBgp)]
    public Task Exabgp_decodes_vtep_as_type2_routes_for_its_hosts() =>
        Checks.Type2ForHostsAsync(ViewB, "exabgp", Topo.Ip(A), Topo.Hosts.Where(h => h.Vtep == A));
}

/// <summary>FRR as VTEP A against ExaBGP: the control for this topology.</summary>
public sealed class FrrExabgpPeerTests(ITestOutputHelper output) : ExabgpPeerScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Frr;
}
