namespace Evpn.Interop.Tests.Harness;

/// <summary>The assertions the topologies share. Each waits (bounded) for the condition, then asserts on the
/// last state it saw, so a failure message shows what the speaker or the kernel actually had.</summary>
public static class Checks
{
    /// <summary>EVPN routes and kernel entries follow an Established session within seconds; this bounds every wait.</summary>
    public static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    /// <summary>RFC 8365 section 5.1.3 / RFC 7432 section 11: per VNI one type-3 route originated by
    /// <paramref name="originator"/>, with a PMSI tunnel attribute of type ingress replication whose label is the
    /// VNI, the VXLAN encapsulation extended community (tunnel type 8, RFC 9012) and a route target for the VNI.</summary>
    public static async Task Type3PerVniAsync(ISpeakerView view, string node, string originator, IEnumerable<uint> vnis)
    {
        var wanted = vnis.ToArray();
        IReadOnlyList<EvpnRouteView> routes = [];
        await Eventually.TrueWithinAsync(Convergence, async () =>
        {
            routes = await view.RoutesAsync();
            return wanted.All(vni => routes.Any(r => IsType3(r, originator, vni)));
        });
        foreach (var vni in wanted)
        {
            var route = routes.FirstOrDefault(r => IsType3(r, originator, vni));
            Assert.True(route is not null,
                $"{node} has no type-3 route from {originator} with PMSI label {vni}; it has:\n{string.Join('\n', routes)}");
            Assert.Equal("Ingress Replication", route.PmsiTunnelType);
            Assert.True(route.HasCommunity("ET:8"), $"{node}: no VXLAN encapsulation community on {route}");
            Assert.True(route.HasRouteTargetForVni(vni), $"{node}: no route target for VNI {vni} on {route}");
            Assert.Equal(originator, route.NextHop);
            Assert.False(route.Local, $"{node}: {route} should be a received route");
        }
    }

    /// <summary>Type-2 routes for <paramref name="hosts"/> (their MACs), received from the VTEP <paramref name="nextHop"/>.</summary>
    public static async Task Type2ForHostsAsync(ISpeakerView view, string node, string nextHop, IEnumerable<HostInfo> hosts)
    {
        var wanted = hosts.ToArray();
        IReadOnlyList<EvpnRouteView> routes = [];
        await Eventually.TrueWithinAsync(Convergence, async () =>
        {
            routes = await view.RoutesAsync();
            return wanted.All(h => routes.Any(r => IsType2(r, h, nextHop)));
        });
        foreach (var host in wanted)
        {
            Assert.True(routes.Any(r => IsType2(r, host, nextHop)),
                $"{node} has no type-2 route for {host.Mac} ({host.Node}, VNI {host.Vni}) via {nextHop}; it has:\n{string.Join('\n', routes)}");
        }
    }

    /// <summary>A received type-3 becomes the flood-list entry (all-zero MAC, dst = remote VTEP) on the VNI's VXLAN
    /// device; a received type-2 for a remote host becomes an FDB entry for its MAC toward the remote VTEP.</summary>
    public static async Task FloodAndFdbTowardAsync(
        KernelView kernel, string node, string remoteVtep, IEnumerable<uint> vnis, IEnumerable<HostInfo> remoteHosts)
    {
        var wantedVnis = vnis.ToArray();
        var hosts = remoteHosts.ToArray();
        IReadOnlyList<KernelFdbEntry> fdb = [];
        await Eventually.TrueWithinAsync(Convergence, async () =>
        {
            fdb = await kernel.FdbAsync();
            return wantedVnis.All(vni => fdb.Any(e => IsFlood(e, vni, remoteVtep)))
                && hosts.All(h => fdb.Any(e => IsRemoteMac(e, h, remoteVtep)));
        });
        var table = string.Join('\n', fdb);
        foreach (var vni in wantedVnis)
        {
            Assert.True(fdb.Any(e => IsFlood(e, vni, remoteVtep)), $"{node}: no flood entry toward {remoteVtep} on vxlan{vni}:\n{table}");
        }
        foreach (var host in hosts)
        {
            Assert.True(fdb.Any(e => IsRemoteMac(e, host, remoteVtep)),
                $"{node}: no FDB entry {host.Mac} dst {remoteVtep} on vxlan{host.Vni} ({host.Node}):\n{table}");
        }
    }

    /// <summary>Waits until the kernel has no flood or FDB entry toward <paramref name="vtep"/> on the VXLAN devices
    /// of <paramref name="vnis"/>: the withdrawals reached the data plane.</summary>
    public static async Task NoEntriesTowardAsync(KernelView kernel, string node, string vtep, IEnumerable<uint> vnis)
    {
        var devices = vnis.Select(v => $"vxlan{v}").ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<KernelFdbEntry> left = [];
        await Eventually.TrueWithinAsync(Convergence, async () =>
        {
            left = (await kernel.FdbAsync()).Where(e => e.Dst == vtep && devices.Contains(e.Device)).ToArray();
            return left.Count == 0;
        });
        Assert.True(left.Count == 0, $"{node} still has entries toward {vtep}:\n{string.Join('\n', left)}");
    }

    /// <summary>Pings both ways between two hosts; the first direction may wait for convergence.</summary>
    public static async Task HostsReachEachOtherAsync(Topology topo, HostInfo a, HostInfo b)
    {
        Assert.True(await Eventually.TrueWithinAsync(Convergence, () => topo.PingAsync(a.Node, b.Ip)),
            $"{a.Node} ({a.Ip}, VNI {a.Vni}) cannot reach {b.Node} ({b.Ip}, VNI {b.Vni})");
        Assert.True(await topo.PingAsync(b.Node, a.Ip), $"{b.Node} ({b.Ip}) cannot reach {a.Node} ({a.Ip})");
    }

    /// <summary>Hosts route all of 192.168.0.0/16 on-link, so a ping to a host of another VNI is an ARP inside the
    /// sender's own VNI: it goes unanswered only because the VNIs are separate layer-2 domains.</summary>
    public static async Task HostsDoNotReachEachOtherAsync(Topology topo, HostInfo a, HostInfo b)
    {
        Assert.False(await topo.PingAsync(a.Node, b.Ip, count: 2), $"{a.Node} (VNI {a.Vni}) reached {b.Node} (VNI {b.Vni})");
        Assert.False(await topo.PingAsync(b.Node, a.Ip, count: 2), $"{b.Node} (VNI {b.Vni}) reached {a.Node} (VNI {a.Vni})");
    }

    private static bool IsType3(EvpnRouteView r, string originator, uint vni) =>
        r.RouteType == 3 && r.Originator == originator && r.PmsiLabel == vni;

    private static bool IsType2(EvpnRouteView r, HostInfo host, string nextHop) =>
        r.RouteType == 2 && string.Equals(r.Mac, host.Mac, StringComparison.OrdinalIgnoreCase) && r.NextHop == nextHop
        && r.HasRouteTargetForVni(host.Vni);

    private static bool IsFlood(KernelFdbEntry e, uint vni, string vtep) =>
        e.IsFloodEntry && e.Device == $"vxlan{vni}" && e.Dst == vtep;

    private static bool IsRemoteMac(KernelFdbEntry e, HostInfo host, string vtep) =>
        string.Equals(e.Mac, host.Mac, StringComparison.OrdinalIgnoreCase) && e.Device == $"vxlan{host.Vni}" && e.Dst == vtep;
}
