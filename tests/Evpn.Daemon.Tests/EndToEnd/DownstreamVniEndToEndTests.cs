using Evpn.DataPlane.Linux.Tests;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>Downstream-assigned VNIs (RFC 8365 section 5.1.3) end to end: two evpnd, each with the Linux data plane
/// in a VTEP namespace of its own, the namespaces joined by an underlay link. One side's segment is VNI 100, the
/// other's VNI 2001, under one route target unique to each: each imports the other's routes by that route target
/// and must send with the VNI the other's label names. The hosts ping across, and a capture on the underlay shows
/// the VXLAN header of each direction carrying the receiver's VNI.</summary>
[Collection(EvpndCollection.Name)]
public sealed class DownstreamVniEndToEndTests
{
    private const uint VniA = 100;
    private const uint VniB = 2001;
    private const string Rt = "65000:77";
    private const string VtepA = "10.77.0.1";
    private const string VtepB = "10.77.0.2";
    private const string MacA = "52:54:00:77:00:01";
    private const string MacB = "52:54:00:77:00:02";
    private const string HostA = "10.100.0.11";
    private const string HostB = "10.100.0.12";

    /// <summary>Side A points its MACs to nexthop groups (the entry with a remote VNI names its VTEP), side B names
    /// VTEPs in every entry.</summary>
    [RequiresFact(Requirement.Root)]
    public async Task Hosts_in_vnis_of_different_numbers_under_one_route_target_reach_each_other_and_each_side_sends_the_others_vni()
    {
        using var folder = new TempFolder();
        using var a = new VtepNamespace(VtepA, VniA);
        using var b = new VtepNamespace(VtepB, VniB);
        Shell.Ip(a.Name, "link", "add", "u0", "type", "veth", "peer", "name", "u0", "netns", b.Name);
        foreach (var (ns, address) in new[] { (a, VtepA), (b, VtepB) })
        {
            Shell.Ip(ns.Name, "addr", "add", address + "/24", "dev", "u0");
            Shell.Ip(ns.Name, "link", "set", "u0", "up");
        }
        using var hostA = a.AddHost(VniA, "pa", MacA, HostA);
        using var hostB = b.AddHost(VniB, "pb", MacB, HostB);

        var bgpA = LoopbackAddresses.Next();
        var bgpB = LoopbackAddresses.Next();
        var socketA = folder.File("a.sock");
        var socketB = folder.File("b.sock");
        File.WriteAllText(folder.File("a.yaml"), Config(bgpA, 65001, bgpB, 65002, VtepA, VniA, a.Name, socketA, nexthops: true));
        File.WriteAllText(folder.File("b.yaml"), Config(bgpB, 65002, bgpA, 65001, VtepB, VniB, b.Name, socketB, nexthops: false));
        await using var evpndA = EvpndProcess.Start("downstream-a", "--config", folder.File("a.yaml"));
        await using var evpndB = EvpndProcess.Start("downstream-b", "--config", folder.File("b.yaml"));
        await evpndA.WaitForApiAsync(socketA);
        await evpndB.WaitForApiAsync(socketB);
        string Context() => $"{evpndA.Describe()}\n{evpndB.Describe()}\n--- fdb a ---\n{FdbText(a, VniA)}--- fdb b ---\n{FdbText(b, VniB)}";

        // Each flood list holds the other VTEP with the other's VNI (the type-3 routes' PMSI labels).
        await Eventually.UntilAsync(() => FdbText(a, VniA).Contains($"00:00:00:00:00:00 dst {VtepB} vni {VniB} self", StringComparison.Ordinal)
                && FdbText(b, VniB).Contains($"00:00:00:00:00:00 dst {VtepA} vni {VniA} self", StringComparison.Ordinal),
            "each side's flood entry toward the other with the other's VNI", Context);

        using var capture = new VxlanCapture(a.Name, "u0");
        await capture.WaitUntilListeningAsync();
        await Eventually.UntilAsync(() => Shell.TryRun("ip", "netns", "exec", hostA.Name, "ping", "-c", "1", "-W", "1", HostB).Succeeded,
            "host A to reach host B across the two VNIs", Context);
        Assert.True(Shell.TryRun("ip", "netns", "exec", hostB.Name, "ping", "-c", "3", "-i", "0.2", "-W", "1", HostA).Succeeded, Context());

        // The MACs were learned and advertised: each side's FDB sends to the other with the other's VNI.
        Assert.Contains($"{MacB} dst {VtepB} vni {VniB} self extern_learn", FdbText(a, VniA));
        Assert.Contains($"{MacA} dst {VtepA} vni {VniA} self extern_learn", FdbText(b, VniB));
        var packets = await capture.StopAsync();
        Assert.Contains((VtepA, VniB), packets);
        Assert.Contains((VtepB, VniA), packets);
        Assert.DoesNotContain(packets, p => (p.Source, p.Vni) is (VtepA, VniA) or (VtepB, VniB));

        var macs = await Evpnctl.RunAsync(socketA, "show", "macs", "--vni", $"{VniA}");
        Assert.True(macs.ExitCode == 0, macs.ToString());
        Assert.Contains($"{VtepB} vni {VniB}", macs.Output);
        var explain = await Evpnctl.RunAsync(socketA, "explain", "mac", MacB, "--vni", $"{VniA}");
        Assert.Contains($"frames to it carry VNI {VniB}, its label (downstream-assigned)", explain.Output);
        Assert.Contains($"fdb {MacB} vni {VniA} dst {VtepB} remote-vni {VniB}", explain.Output);
        var flood = await Evpnctl.RunAsync(socketB, "show", "flood");
        Assert.Contains($"{VtepA} (vni {VniA})", flood.Output);
    }

    private static string FdbText(VtepNamespace ns, uint vni) =>
        Shell.TryRun("bridge", "-n", ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(vni)).Output;

    private static string Config(string address, uint asn, string peer, uint peerAsn, string vtep, uint vni, string ns, string socket, bool nexthops) => $"""
        router:
          asn: {asn}
          router-id: {address}
          local-vtep: {vtep}
          listen-address: {address}
        neighbors:
          - address: {peer}
            remote-as: {peerAsn}
            source-address: {address}
            timers: {"{"}hold-time: 9, keepalive: 3, connect-retry: 1s{"}"}
        evpn:
          advertise-all-vni: false
          vnis:
            - vni: {vni}
              import-rts: {Rt}
              export-rts: {Rt}
        data-plane:
          kind: linux
          namespace: {ns}
          fdb-nexthops: {(nexthops ? "true" : "false")}
        management:
          socket: {socket}
        metrics:
          enabled: false
        logging:
          level: information

        """;

    /// <summary>tshark on one link of a namespace, VXLAN only: each packet's outer source and VNI. Killed on dispose.</summary>
    private sealed class VxlanCapture(string ns, string device) : IDisposable
    {
        private readonly BackgroundCommand _tshark = new("ip", "netns", "exec", ns, "tshark", "-l", "-n", "-i", device, "-f", "udp port 4789",
            "-d", "udp.port==4789,vxlan", "-T", "fields", "-e", "ip.src", "-e", "vxlan.vni");

        public Task WaitUntilListeningAsync() =>
            Eventually.UntilAsync(() => _tshark.Errors.Any(l => l.Contains("Capturing on", StringComparison.Ordinal)), "tshark to start capturing",
                () => string.Join('\n', _tshark.Errors), TimeSpan.FromSeconds(30));

        /// <summary>Ends the capture (SIGINT, so tshark flushes) and returns (outer source, VNI) of every packet seen.</summary>
        public async Task<HashSet<(string Source, uint Vni)>> StopAsync()
        {
            Shell.TryRun("kill", "-INT", $"{_tshark.Id}");
            await _tshark.WaitForExitAsync(TimeSpan.FromSeconds(30));
            return _tshark.Output.Select(l => l.Split('\t')).Where(f => f.Length == 2 && uint.TryParse(f[1], out _))
                .Select(f => (f[0], uint.Parse(f[1]))).ToHashSet();
        }

        public void Dispose() => _tshark.Dispose();
    }
}
