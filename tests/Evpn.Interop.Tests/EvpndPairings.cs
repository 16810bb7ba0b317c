using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 3: evpnd as the route reflector of two FRR leaves. The FRR leaves check what evpnd reflects:
/// next hop unchanged, ORIGINATOR_ID and CLUSTER_LIST (RFC 4456), and that they can tunnel to each other.</summary>
public sealed class EvpndReflectorFrrLeavesTests(ITestOutputHelper output) : RouteReflectorScenarios(output)
{
    protected override Speaker SpeakerRr => Speaker.Evpnd;
    protected override Speaker SpeakerA => Speaker.Frr;
    protected override Speaker SpeakerB => Speaker.Frr;
}

/// <summary>Topology 4 with evpnd on VTEP A: GoBGP decodes evpnd's routes, evpnd imports GoBGP's.</summary>
public sealed class EvpndGobgpPeerTests(ITestOutputHelper output) : GobgpPeerScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Evpnd;
}
