using Evpn.Api;
using Evpn.DataPlane.Linux.Tests;
using Evpn.Testing.EndToEnd;
using Evpn.Wire;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>RFC 7911 ADD-PATH receive on a running evpnd with the Linux data plane in a namespace. A GoBGP route
/// reflector with add-path send for L2VPN EVPN (as FRR 10.5's `addpath-tx-all-paths`) holds one MAC route (one RD)
/// from two VTEPs, its own and a client's (a second gobgpd), and sends evpnd both paths under two path identifiers.
/// evpnd keeps both, installs the best path's VTEP, and when that path is withdrawn (by its identifier alone) moves
/// the FDB entry to the other VTEP. The MRT dump holds the UPDATEs with their identifiers (RFC 8050 subtypes).</summary>
[Collection(EvpndCollection.Name)]
public sealed class AddPathEndToEndTests
{
    internal const string Mac = "52:54:00:ad:d0:01";
    internal const uint Vni = 100;

    [RequiresFact(Requirement.Root, Requirement.GoBgp)]
    public async Task Two_paths_of_one_mac_from_an_add_path_reflector_are_both_kept_and_the_fdb_follows_the_withdrawal_of_the_best()
    {
        using var folder = new TempFolder();
        using var vtep = new VtepNamespace(Vni);
        var evpndAddress = LoopbackAddresses.Next();
        // The client's address is the lower: its reflected path (ORIGINATOR_ID = the client) beats the reflector's own.
        var clientAddress = LoopbackAddresses.Next();
        var reflectorAddress = LoopbackAddresses.Next();
        var socket = folder.File("evpnd.sock");
        var dump = folder.File("updates.mrt");
        var rd = $"{reflectorAddress}:100";
        File.WriteAllText(folder.File("evpnd.yaml"), Config(evpndAddress, reflectorAddress, vtep.Name, socket, dump));
        await using var reflector = await GoBgpd.StartAsync(folder, "reflector", reflectorAddress, ReflectorConfig(reflectorAddress, evpndAddress, clientAddress));
        await using var client = await GoBgpd.StartAsync(folder, "client", clientAddress, ClientConfig(clientAddress, reflectorAddress));
        await using var evpnd = EvpndProcess.Start("add-path", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);
        string Context() => $"{evpnd.Describe()}\n--- reflector rib ---\n{reflector.Cli(true, "global", "rib", "-a", "evpn")}" +
                            $"\n--- reflector neighbor ---\n{reflector.Cli(true, "neighbor", evpndAddress)}" +
                            $"\n--- fdb ---\n{Shell.Run("ip", "netns", "exec", vtep.Name, "bridge", "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni))}";

        // The same route (RD, tag, MAC) from two VTEPs: the reflector's own and the client's, reflected.
        AddMac(reflector, rd);
        AddMac(client, rd);

        List<RouteEntry> paths = [];
        await Eventually.UntilAsync(async () => (paths = await PathsAsync(socket)).Count == 2 && FdbVteps(vtep).Count == 1,
            "evpnd to hold both paths of the MAC from the reflector and install one", Context);
        Assert.All(paths, p => Assert.Equal(reflectorAddress, p.Source));
        Assert.Equal(new[] { clientAddress, reflectorAddress }.Order(StringComparer.Ordinal), paths.Select(p => p.NextHop!).Order(StringComparer.Ordinal));
        Assert.Equal(2, paths.Select(p => p.PathId).Distinct().Count());
        Assert.All(paths, p => Assert.NotNull(p.PathId));
        var best = Assert.Single(paths, p => p.Best);
        var other = Assert.Single(paths, p => !p.Best);
        // RFC 4456 section 9: ORIGINATOR_ID (the client) against the reflector's router id for its own path.
        Assert.Equal(clientAddress, best.NextHop);
        Assert.Equal("RouterId", best.BestReason);
        Assert.Equal([best.NextHop!], FdbVteps(vtep));

        var neighbor = await Evpnctl.RunAsync(socket, "show", "neighbors", reflectorAddress);
        Assert.Contains("add-path l2vpn-evpn receive", neighbor.Output);
        Assert.Contains("add-path l2vpn-evpn send", neighbor.Output);
        // Max-prefix and PfxRcd count paths, as FRR counts them: two from one peer for one route.
        using (var api = new ManagementClient(socket, TimeSpan.FromSeconds(10)))
        {
            var summary = await api.GetAsync<SummaryDocument>(ApiPaths.Summary);
            Assert.Equal(2, Assert.Single(summary.Peers).PfxRcd);
        }
        var shown = await Evpnctl.RunAsync(socket, "show", "routes", "--type", "2");
        Assert.Contains($"add-path rx path-id {best.PathId}", shown.Output);
        Assert.Contains($"add-path rx path-id {other.PathId}", shown.Output);
        Assert.Contains("(2 paths)", shown.Output);

        // The client withdraws its route: the reflector withdraws that path identifier alone.
        DeleteMac(client, rd);
        await Eventually.UntilAsync(async () => FdbVteps(vtep).SequenceEqual([other.NextHop!]) && (paths = await PathsAsync(socket)).Count == 1,
            $"the FDB entry of {Mac} to move from {best.NextHop} to {other.NextHop}", Context);
        var left = Assert.Single(paths);
        Assert.Equal(other.PathId, left.PathId);
        Assert.Equal(other.NextHop, left.NextHop);
        Assert.True(left.Best);

        var explained = await Evpnctl.RunAsync(socket, "explain", "route", "--mac", Mac);
        Assert.Contains($"from {reflectorAddress} path-id {other.PathId} via {other.NextHop}", explained.Output);

        // The dump holds the UPDATEs as received: add-path subtypes, and the path identifiers evpnd acted on.
        evpnd.Signal(EvpndProcess.SIGTERM);
        Assert.Equal(0, await evpnd.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var received = MrtDumpTests.Read(File.ReadAllBytes(dump)).Where(e => !e.Local && !e.IsStateChange).ToList();
        var addPath = received.Where(e => e.AddPath).Select(e => (UpdateMessage)BgpDecoder.Decode(e.Message.AsSpan(), e.DecodeContext).Message!).ToList();
        Assert.Contains(addPath, u => u.MpReach?.Nlri.Any(n => n.PathId == best.PathId && n.Evpn is MacIpAdvertisementRoute) == true);
        Assert.Contains(addPath, u => u.MpUnreach?.Nlri.Any(n => n.PathId == best.PathId) == true);
    }

    internal static void AddMac(GoBgpd gobgpd, string rd) =>
        gobgpd.Cli(false, "global", "rib", "-a", "evpn", "add", "macadv", Mac, "0.0.0.0", "etag", "0", "label", $"{Vni}",
            "rd", rd, "rt", $"65001:{Vni}", "encap", "vxlan", "nexthop", gobgpd.Address);

    internal static void DeleteMac(GoBgpd gobgpd, string rd) =>
        gobgpd.Cli(false, "global", "rib", "-a", "evpn", "del", "macadv", Mac, "0.0.0.0", "etag", "0", "label", $"{Vni}",
            "rd", rd, "rt", $"65001:{Vni}", "encap", "vxlan", "nexthop", gobgpd.Address);

    /// <summary>evpnd's received paths of <see cref="Mac"/>.</summary>
    private static async Task<List<RouteEntry>> PathsAsync(string socket)
    {
        using var client = new ManagementClient(socket, TimeSpan.FromSeconds(10));
        var routes = await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes);
        return routes.Where(r => r.Mac?.Equals(Mac, StringComparison.OrdinalIgnoreCase) == true && r.Source != "local").ToList();
    }

    /// <summary>The VTEPs the kernel's FDB sends <see cref="Mac"/> to.</summary>
    private static List<string> FdbVteps(VtepNamespace ns) =>
        Shell.Run("ip", "netns", "exec", ns.Name, "bridge", "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)).Split('\n')
            .Where(l => l.StartsWith(Mac, StringComparison.OrdinalIgnoreCase) && l.Contains(" dst ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[l.Split(' ').ToList().IndexOf("dst") + 1]).Distinct().ToList();

    private static string Config(string address, string reflector, string ns, string socket, string dump) => $"""
        router:
          asn: 65001
          local-vtep: {address}
          listen-address: {address}
          allow-loopback-vteps: true
        mrt-dump: {dump}
        neighbors:
          - address: {reflector}
            remote-as: internal
            source-address: {address}
            add-path: receive
            timers: {"{"}hold-time: 9, keepalive: 3, connect-retry: 1s{"}"}
        evpn:
          advertise-all-vni: false
          vnis:
            - vni: {Vni}
        {DaemonConfig.LinuxServices(ns, socket)}

        """;

    /// <summary>The reflector: evpnd (or the receiver in its place) and the second gobgpd are its clients; toward evpnd
    /// it sends up to 8 paths per route (GoBGP's "advertise N paths", the counterpart of FRR's `addpath-tx-all-paths`).</summary>
    internal static string ReflectorConfig(string address, string evpnd, string client)
    {
        var reflectorClient = $"""
              [neighbors.route-reflector.config]
                route-reflector-client = true
                route-reflector-cluster-id = "{address}"
            """;
        const string addPathSend = """
                [neighbors.afi-safis.add-paths.config]
                  send-max = 8
            """;
        return GoBgpd.Global(65001, address) + GoBgpd.Neighbor(address, evpnd, 65001, reflectorClient, addPathSend) +
               GoBgpd.Neighbor(address, client, 65001, reflectorClient);
    }

    private static string ClientConfig(string address, string reflector) => GoBgpd.Global(65001, address) + GoBgpd.Neighbor(address, reflector, 65001);
}
