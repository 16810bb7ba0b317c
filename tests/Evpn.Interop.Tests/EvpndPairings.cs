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

/// <summary>Topology 1, the demo's: evpnd on VTEP A and FRR on VTEP B over eBGP. Routes, kernel entries and
/// pings checked on both sides; stopping either speaker removes every entry toward it.</summary>
public sealed class EvpndFrrLeafPairTests(ITestOutputHelper output) : LeafPairScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Frr;
}

/// <summary>Topology 5 with evpnd on VTEP A: ExaBGP decodes what evpnd sends and connects in (evpnd accepts).</summary>
public sealed class EvpndExabgpPeerTests(ITestOutputHelper output) : ExabgpPeerScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Evpnd;
}

/// <summary>Topology 2: evpnd as a leaf (route-reflector client) with an FRR leaf behind an FRR spine
/// reflector: evpnd imports reflected routes with their next hop, ORIGINATOR_ID and CLUSTER_LIST intact.</summary>
public sealed class EvpndLeafFrrReflectorTests(ITestOutputHelper output) : RouteReflectorScenarios(output)
{
    protected override Speaker SpeakerRr => Speaker.Frr;
    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Frr;
}
