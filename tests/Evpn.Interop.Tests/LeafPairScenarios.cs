using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 1 (interop/topo/leaf-pair): VTEP A and VTEP B over eBGP, VNIs 100 and 200, one host per
/// VTEP per VNI. The same scenarios run for every pairing of VTEP speakers that program the kernel: FRR with FRR
/// is the lab's control, proving the lab itself; evpnd's pairings derive from this class with other speakers.</summary>
public abstract class LeafPairScenarios(ITestOutputHelper output) : TopologyTest(output)
{
    protected const string A = "vtepa";
    protected const string B = "vtepb";
    private static readonly uint[] Vnis = [100, 200];

    protected abstract Speaker SpeakerA { get; }
    protected abstract Speaker SpeakerB { get; }

    protected override string TopologyName => "leaf-pair";

    protected override IReadOnlyList<string> UpArguments => ["--a", SpeakerA.ScriptName(), "--b", SpeakerB.ScriptName()];

    private ISpeakerView View(string node) => (node == A ? SpeakerA : SpeakerB).View(Lab, Topo, node);

    protected static string Other(string node) => node == A ? B : A;

    protected HostInfo Host(string vtep, uint vni) => Topo.Hosts.Single(h => h.Vtep == vtep && h.Vni == vni);

    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public async Task SessionWithTheOtherVtepIsEstablished(string node) =>
        Assert.True(await View(node).IsEstablishedAsync(SessionPeer(node)), $"{node}: session with {Other(node)} ({SessionPeer(node)}) not Established");

    /// <summary>How <paramref name="node"/>'s speaker names its session with the other VTEP: the other VTEP's
    /// address, or the interface of an interface neighbor (BGP unnumbered).</summary>
    protected virtual string SessionPeer(string node) => Topo.Ip(Other(node));

    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public Task ReceivesTheOtherVtepsType3RoutePerVniWithIngressReplicationLabelVni(string node) =>
        Checks.Type3PerVniAsync(View(node), node, Topo.Ip(Other(node)), Vnis);

    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public Task ReceivesType2RoutesForTheOtherVtepsHosts(string node) =>
        Checks.Type2ForHostsAsync(View(node), node, Topo.Ip(Other(node)), Topo.Hosts.Where(h => h.Vtep == Other(node)));

    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public Task ProgramsFloodAndFdbEntriesTowardTheOtherVtep(string node) =>
        Checks.FloodAndFdbTowardAsync(Topo.Kernel(node), node, Topo.Ip(Other(node)), Vnis, Topo.Hosts.Where(h => h.Vtep == Other(node)));

    /// <summary>A VTEP that loses a VNI withdraws that VNI's type-3 and type-2 routes (RFC 4271 section 9.1.3); the
    /// other VTEP removes that VNI's flood and FDB entries toward it and keeps the other VNI's.</summary>
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public async Task WhenTheOtherVtepLosesAVniOnlyThatVnisEntriesGo(string observer)
    {
        var actor = Other(observer);
        var remoteHosts = Topo.Hosts.Where(h => h.Vtep == actor).ToArray();
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(observer), observer, Topo.Ip(actor), Vnis, remoteHosts);

        await Lab.ExecAsync(Topo.Run, actor, "ip", "link", "del", "vxlan200");

        await Checks.NoEntriesTowardAsync(Topo.Kernel(observer), observer, Topo.Ip(actor), [200]);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(observer), observer, Topo.Ip(actor), [100], remoteHosts.Where(h => h.Vni == 100));
    }

    /// <summary>A speaker that stops ends its session (a Cease NOTIFICATION, RFC 4486); the other VTEP drops every
    /// route learned from it and removes every kernel entry toward it.</summary>
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public async Task WhenTheOtherVtepsSpeakerStopsEveryEntryTowardItGoes(string observer)
    {
        var actor = Other(observer);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(observer), observer, Topo.Ip(actor), Vnis, Topo.Hosts.Where(h => h.Vtep == actor));

        await Lab.RunAsync(LabPaths.LabCli, ["stop", Topo.Run, actor], Lab.QueryTimeout);

        await Checks.NoEntriesTowardAsync(Topo.Kernel(observer), observer, Topo.Ip(actor), Vnis);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    public Task HostsBehindDifferentVtepsReachEachOtherInTheSameVni(uint vni) =>
        Checks.HostsReachEachOtherAsync(Topo, Host(A, vni), Host(B, vni));

    /// <summary>The same-VNI ping first proves the path works at all, or the cross-VNI check would prove nothing.</summary>
    [Fact]
    public async Task HostsInDifferentVnisDoNotReachEachOther()
    {
        await Checks.HostsReachEachOtherAsync(Topo, Host(A, 100), Host(B, 100));
        await Checks.HostsDoNotReachEachOtherAsync(Topo, Host(A, 100), Host(B, 200));
        await Checks.HostsDoNotReachEachOtherAsync(Topo, Host(A, 100), Host(A, 200));
    }
}

/// <summary>The lab's control: FRR on both VTEPs. When this fails, the lab is broken, not evpnd.</summary>
public sealed class FrrFrrLeafPairTests(ITestOutputHelper output) : LeafPairScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Frr;
    protected override Speaker SpeakerB => Speaker.Frr;
}
