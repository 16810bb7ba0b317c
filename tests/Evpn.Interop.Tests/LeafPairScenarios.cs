using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 1 (interop/topo/leaf-pair): VTEP A and VTEP B over eBGP, VNIs 100 and 200, one host per
/// VTEP per VNI. Each test brings up its own topology with the speakers the concrete class names and tears it
/// down afterwards. The same scenarios run for every pairing: FRR with FRR is the lab's control, proving the
/// lab itself; evpnd's pairings derive from this class with other speakers.</summary>
[Collection(LabCollection.Name)]
public abstract class LeafPairScenarios(ITestOutputHelper output) : IAsyncLifetime
{
    private const string A = "vtepa";
    private const string B = "vtepb";
    private static readonly uint[] Vnis = [100, 200];

    /// <summary>EVPN routes follow an Established session within seconds; this bounds every wait.</summary>
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    private readonly Lab _lab = new(output);
    private Topology? _topology;

    protected abstract Speaker SpeakerA { get; }
    protected abstract Speaker SpeakerB { get; }

    private Topology Topo => _topology ?? throw new InvalidOperationException("topology is not up");

    public async Task InitializeAsync() =>
        _topology = await Topology.UpAsync(_lab, "leaf-pair", "--a", SpeakerA.ScriptName(), "--b", SpeakerB.ScriptName());

    public async Task DisposeAsync()
    {
        if (_topology is not null)
        {
            await _topology.DisposeAsync();
        }
    }

    private ISpeakerView View(string node) => (node == A ? SpeakerA : SpeakerB).View(_lab, Topo.Run, node);

    private static string Other(string node) => node == A ? B : A;

    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public async Task SessionWithTheOtherVtepIsEstablished(string node)
    {
        Assert.True(await View(node).IsEstablishedAsync(Topo.Ip(Other(node))), $"{node}: session with {Other(node)} not Established");
    }

    /// <summary>RFC 8365 section 5.1.3 / RFC 7432 section 11: per VNI one type-3 route from the remote VTEP with a
    /// PMSI tunnel attribute of type ingress replication whose label is the VNI, and the VXLAN encapsulation
    /// extended community (tunnel type 8).</summary>
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public async Task ReceivesTheOtherVtepsType3RoutePerVniWithIngressReplicationLabelVni(string node)
    {
        var remote = Topo.Ip(Other(node));
        IReadOnlyList<EvpnRouteView> routes = [];
        await Eventually.TrueWithinAsync(Convergence, async () =>
        {
            routes = await View(node).RoutesAsync();
            return Vnis.All(vni => routes.Any(r => IsType3For(r, remote, vni)));
        });
        foreach (var vni in Vnis)
        {
            var route = routes.FirstOrDefault(r => IsType3For(r, remote, vni));
            Assert.True(route is not null, $"{node} has no type-3 route from {remote} for VNI {vni}; it has:\n{string.Join('\n', routes)}");
            Assert.Equal("Ingress Replication", route.PmsiTunnelType);
            Assert.True(route.HasCommunity("ET:8"), $"no VXLAN encapsulation community on {route}");
            Assert.True(route.HasRouteTargetForVni(vni), $"no route target for VNI {vni} on {route}");
            Assert.Equal(remote, route.NextHop);
            Assert.False(route.Local);
        }
    }

    private static bool IsType3For(EvpnRouteView r, string originator, uint vni) =>
        r.RouteType == 3 && r.Originator == originator && r.PmsiLabel == vni;

    /// <summary>A received type-3 becomes the flood-list entry (all-zero MAC, dst = remote VTEP) on the VNI's VXLAN
    /// device; a received type-2 for the remote host becomes an FDB entry toward the remote VTEP.</summary>
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public async Task ProgramsFloodAndFdbEntriesTowardTheOtherVtep(string node)
    {
        var remote = Topo.Ip(Other(node));
        var remoteHosts = Topo.Hosts.Where(h => h.Vtep == Other(node)).ToArray();
        IReadOnlyList<KernelFdbEntry> fdb = [];
        await Eventually.TrueWithinAsync(Convergence, async () =>
        {
            fdb = await Topo.Kernel(node).FdbAsync();
            return Vnis.All(vni => fdb.Any(e => IsFloodToward(e, vni, remote)))
                && remoteHosts.All(h => fdb.Any(e => IsRemoteMac(e, h, remote)));
        });
        var table = string.Join('\n', fdb);
        foreach (var vni in Vnis)
        {
            Assert.True(fdb.Any(e => IsFloodToward(e, vni, remote)), $"{node}: no flood entry toward {remote} on vxlan{vni}:\n{table}");
        }
        foreach (var host in remoteHosts)
        {
            Assert.True(fdb.Any(e => IsRemoteMac(e, host, remote)),
                $"{node}: no FDB entry {host.Mac} dst {remote} on vxlan{host.Vni} ({host.Node}):\n{table}");
        }
    }

    private static bool IsFloodToward(KernelFdbEntry e, uint vni, string vtep) =>
        e.IsFloodEntry && e.Device == $"vxlan{vni}" && e.Dst == vtep;

    private static bool IsRemoteMac(KernelFdbEntry e, HostInfo host, string vtep) =>
        e.Mac == host.Mac && e.Device == $"vxlan{host.Vni}" && e.Dst == vtep;

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    public async Task HostsBehindDifferentVtepsReachEachOtherInTheSameVni(uint vni)
    {
        var hostA = Topo.Hosts.Single(h => h.Vtep == A && h.Vni == vni);
        var hostB = Topo.Hosts.Single(h => h.Vtep == B && h.Vni == vni);
        Assert.True(await Eventually.TrueWithinAsync(Convergence, () => Topo.PingAsync(hostA.Node, hostB.Ip)),
            $"{hostA.Node} ({hostA.Ip}) cannot reach {hostB.Node} ({hostB.Ip}) in VNI {vni}");
        Assert.True(await Topo.PingAsync(hostB.Node, hostA.Ip), $"{hostB.Node} cannot reach {hostA.Node} in VNI {vni}");
    }

    /// <summary>Hosts route all of 192.168.0.0/16 on-link, so a ping to the other VNI's host is an ARP inside the
    /// sender's own VNI: it must go unanswered because the VNIs are separate layer-2 domains. The same-VNI ping
    /// first proves that the path works at all.</summary>
    [Fact]
    public async Task HostsInDifferentVnisDoNotReachEachOther()
    {
        var a100 = Topo.Hosts.Single(h => h.Vtep == A && h.Vni == 100);
        var b100 = Topo.Hosts.Single(h => h.Vtep == B && h.Vni == 100);
        var b200 = Topo.Hosts.Single(h => h.Vtep == B && h.Vni == 200);
        var a200 = Topo.Hosts.Single(h => h.Vtep == A && h.Vni == 200);
        Assert.True(await Eventually.TrueWithinAsync(Convergence, () => Topo.PingAsync(a100.Node, b100.Ip)),
            $"control ping {a100.Node} -> {b100.Node} failed: the cross-VNI check would prove nothing");
        Assert.False(await Topo.PingAsync(a100.Node, b200.Ip, count: 2), $"{a100.Node} (VNI 100) reached {b200.Node} (VNI 200)");
        Assert.False(await Topo.PingAsync(b200.Node, a100.Ip, count: 2), $"{b200.Node} (VNI 200) reached {a100.Node} (VNI 100)");
        Assert.False(await Topo.PingAsync(a100.Node, a200.Ip, count: 2), $"{a100.Node} (VNI 100) reached {a200.Node} (VNI 200) on the same VTEP");
    }
}

/// <summary>The lab's control: FRR on both VTEPs. When this fails, the lab is broken, not evpnd.</summary>
public sealed class FrrFrrLeafPairTests(ITestOutputHelper output) : LeafPairScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Frr;
    protected override Speaker SpeakerB => Speaker.Frr;
}
