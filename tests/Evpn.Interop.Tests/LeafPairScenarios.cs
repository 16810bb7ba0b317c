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

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public async Task Session_with_the_other_vtep_is_established(string node) =>
        Assert.True(await View(node).IsEstablishedAsync(SessionPeer(node)), $"{node}: session with {Other(node)} ({SessionPeer(node)}) not Established");

    /// <summary>How <paramref name="node"/>'s speaker names its session with the other VTEP: the other VTEP's
    /// address, or the interface of an interface neighbor (BGP unnumbered).</summary>
    protected virtual string SessionPeer(string node) => Topo.Ip(Other(node));

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public Task Receives_the_other_vteps_type3_route_per_vni_with_ingress_replication_label_vni(string node) =>
        Checks.Type3PerVniAsync(View(node), node, Topo.Ip(Other(node)), Vnis);

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public Task Receives_type2_routes_for_the_other_vteps_hosts(string node) =>
        Checks.Type2ForHostsAsync(View(node), node, Topo.Ip(Other(node)), Topo.Hosts.Where(h => h.Vtep == Other(node)));

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public Task Programs_flood_and_fdb_entries_toward_the_other_vtep(string node) =>
        Checks.FloodAndFdbTowardAsync(Topo.Kernel(node), node, Topo.Ip(Other(node)), Vnis, Topo.Hosts.Where(h => h.Vtep == Other(node)));

    /// <summary>A VTEP that loses a VNI withdraws that VNI's type-3 and type-2 routes (RFC 4271 section 9.1.3); the
    /// other VTEP removes that VNI's flood and FDB entries toward it and keeps the other VNI's.</summary>
    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public async Task When_the_other_vtep_loses_a_vni_only_that_vnis_entries_go(string observer)
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
    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A)]
    [InlineData(B)]
    public async Task When_the_other_vteps_speaker_stops_every_entry_toward_it_goes(string observer)
    {
        var actor = Other(observer);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(observer), observer, Topo.Ip(actor), Vnis, Topo.Hosts.Where(h => h.Vtep == actor));

        await Lab.RunAsync(LabPaths.LabCli, ["stop", Topo.Run, actor], Lab.QueryTimeout);

        await Checks.NoEntriesTowardAsync(Topo.Kernel(observer), observer, Topo.Ip(actor), Vnis);
    }

    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(100)]
    [InlineData(200)]
    public Task Hosts_behind_different_vteps_reach_each_other_in_the_same_vni(uint vni) =>
        Checks.HostsReachEachOtherAsync(Topo, Host(A, vni), Host(B, vni));

    /// <summary>The same-VNI ping first proves the path works at all, or the cross-VNI check would prove nothing.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Hosts_in_different_vnis_do_not_reach_each_other()
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
