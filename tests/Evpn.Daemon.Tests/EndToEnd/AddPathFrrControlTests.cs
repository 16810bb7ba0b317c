using System.Text.RegularExpressions;
using Evpn.DataPlane.Linux.Tests;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>The FRR 8.4 control of the add-path persona (interop/personas/frr-addpath-rr.md): FRR (zebra and bgpd) is
/// the receiver in place of evpnd, fed by the same GoBGP reflector and client as
/// <see cref="AddPathEndToEndTests"/>. FRR drops a path whose next hop is one of its own addresses, so the two gobgpd
/// run in a namespace of their own, joined to FRR's VTEP namespace by a link. What it asserts is what FRR 8.4 was
/// seen to do; the matrix in interop/README.md quotes it.</summary>
[Collection(EvpndCollection.Name)]
public sealed partial class AddPathFrrControlTests
{
    private const string Mac = AddPathEndToEndTests.Mac;
    private const uint Vni = AddPathEndToEndTests.Vni;
    private const string FrrAddress = "10.0.0.1";
    private const string ClientAddress = "10.0.0.2";
    private const string ReflectorAddress = "10.0.0.3";
    private const string Rd = ReflectorAddress + ":100";

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task Frr_8_4_offers_add_path_receive_for_evpn_keeps_both_paths_and_moves_the_fdb_when_the_best_is_withdrawn()
    {
        using var folder = new TempFolder();
        using var vtep = new VtepNamespace(FrrAddress, Vni);
        using var peers = new NetworkNamespace("evap");
        Shell.Ip(vtep.Name, "link", "add", "u0", "type", "veth", "peer", "name", "u0", "netns", peers.Name);
        Shell.Ip(vtep.Name, "addr", "add", FrrAddress + "/24", "dev", "u0");
        peers.Ip("addr", "add", ClientAddress + "/24", "dev", "u0");
        peers.Ip("addr", "add", ReflectorAddress + "/24", "dev", "u0");
        Shell.Ip(vtep.Name, "link", "set", "u0", "up");
        peers.Ip("link", "set", "u0", "up");
        await using var frr = await Frr.StartAsync(folder, vtep.Name);
        await using var reflector = await GoBgpd.StartAsync(folder, "reflector", ReflectorAddress,
            AddPathEndToEndTests.ReflectorConfig(ReflectorAddress, FrrAddress, ClientAddress), peers.Name);
        await using var client = await GoBgpd.StartAsync(folder, "client", ClientAddress,
            GoBgpd.Global(65001, ClientAddress) + GoBgpd.Neighbor(ClientAddress, ReflectorAddress, 65001), peers.Name);
        async Task<string> Context() => $"--- frr ---\n{await frr.VtyshAsync($"show bgp neighbors {ReflectorAddress}")}\n{await RouteAsync(frr)}" +
                                        $"\n--- reflector rib ---\n{reflector.Cli(true, "global", "rib", "-a", "evpn")}\n--- fdb ---\n{FdbText(vtep)}";

        // FRR offers add-path receive for L2VPN EVPN; the reflector offers send.
        var neighbor = string.Empty;
        await Eventually.UntilAsync(async () => (neighbor = await frr.VtyshAsync($"show bgp neighbors {ReflectorAddress}")).Contains("BGP state = Established", StringComparison.Ordinal),
            "FRR's session with the reflector", () => neighbor);
        Assert.Contains("L2VPN EVPN: RX advertised", neighbor);
        Assert.Contains("L2VPN EVPN: TX received", neighbor);

        AddPathEndToEndTests.AddMac(reflector, Rd);
        AddPathEndToEndTests.AddMac(client, Rd);
        var route = string.Empty;
        // FRR picks the client's path, as RFC 4456's ORIGINATOR_ID does in evpnd. Until it has run its best-path
        // selection over both paths, it may still show the first one to arrive as best.
        await Eventually.UntilAsync(async () => PathCount(route = await RouteAsync(frr)) == 2 && ClientPathBest().IsMatch(route)
                && FdbVteps(vtep).SequenceEqual([ClientAddress]),
            "FRR to hold both paths, the client's as best, and install it", () => Context().GetAwaiter().GetResult());
        Assert.Contains("AddPath ID: RX 1", route);
        Assert.Contains("AddPath ID: RX 2", route);

        // The client withdraws: the reflector withdraws that path identifier alone, and FRR's FDB moves.
        AddPathEndToEndTests.DeleteMac(client, Rd);
        await Eventually.UntilAsync(async () => PathCount(route = await RouteAsync(frr)) == 1 && FdbVteps(vtep).SequenceEqual([ReflectorAddress]),
            $"FRR's FDB entry of {Mac} to move to the reflector's path", () => Context().GetAwaiter().GetResult());
        Assert.Contains("AddPath ID: RX 1", route);
    }

    private static Task<string> RouteAsync(Frr frr) => frr.VtyshAsync($"show bgp l2vpn evpn route rd {Rd} mac {Mac}");

    /// <summary>N of FRR's "Paths: (N available", 0 when FRR has no such route.</summary>
    private static int PathCount(string route) => PathsLine().Match(route) is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;

    [GeneratedRegex(@"Paths: \((\d+) available")]
    private static partial Regex PathsLine();

    /// <summary>FRR's path from the client (its next hop, then its attributes line) marked best, whatever the reason.</summary>
    [GeneratedRegex(@"10\.0\.0\.2\S* from .*\n.*, best \(")]
    private static partial Regex ClientPathBest();

    private static string FdbText(VtepNamespace ns) => Shell.TryRun("bridge", "-n", ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni)).Output;

    /// <summary>The VTEPs FRR's zebra sends <see cref="Mac"/> to.</summary>
    private static List<string> FdbVteps(VtepNamespace ns) =>
        FdbText(ns).Split('\n').Where(l => l.StartsWith(Mac, StringComparison.OrdinalIgnoreCase) && l.Contains(" dst ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[Array.IndexOf(l.Split(' '), "dst") + 1]).Distinct().ToList();

    /// <summary>FRR 8.4's zebra and bgpd in a VTEP namespace, iBGP AS 65001 toward the reflector with
    /// advertise-all-vni, files and vty sockets in the test's folder. Dispose kills both by their pid files.</summary>
    private sealed class Frr : IAsyncDisposable
    {
        private readonly string _dir;
        private readonly string _ns;

        private Frr(string dir, string ns)
        {
            _dir = dir;
            _ns = ns;
        }

        private string[] Common => ["-d", "-N", _ns, "-z", $"{_dir}/zserv.api", "--vty_socket", _dir, "-P", "0", "-u", "frr", "-g", "frr"];

        public static async Task<Frr> StartAsync(TempFolder folder, string ns)
        {
            var frr = new Frr(folder.File("frr"), ns);
            Directory.CreateDirectory(frr._dir);
            File.WriteAllText($"{frr._dir}/zebra.conf", $"frr defaults datacenter\nhostname control\nlog file {frr._dir}/zebra.log informational\n");
            File.WriteAllText($"{frr._dir}/bgpd.conf", $"""
                frr defaults datacenter
                hostname control
                log file {frr._dir}/bgpd.log informational
                router bgp 65001
                 bgp router-id {FrrAddress}
                 no bgp default ipv4-unicast
                 neighbor {ReflectorAddress} remote-as 65001
                 neighbor {ReflectorAddress} update-source {FrrAddress}
                 neighbor {ReflectorAddress} timers 3 9
                 neighbor {ReflectorAddress} timers connect 1
                 address-family l2vpn evpn
                  neighbor {ReflectorAddress} activate
                  advertise-all-vni
                 exit-address-family

                """);
            // FRR drops to the frr user: it must reach its folder inside the test's private one.
            Shell.Run("chmod", "755", folder.Path);
            Shell.Run("chown", "-R", "frr:frr", frr._dir);
            try
            {
                Shell.Run("ip", ["netns", "exec", ns, "/usr/lib/frr/zebra", .. frr.Common, "-f", $"{frr._dir}/zebra.conf", "-i", $"{frr._dir}/zebra.pid"]);
                await Eventually.UntilAsync(() => File.Exists($"{frr._dir}/zserv.api"), "zebra's zserv.api");
                // bgpd listens on its own address only: the port on the others is the gobgpds'.
                Shell.Run("ip", ["netns", "exec", ns, "/usr/lib/frr/bgpd", .. frr.Common, "-l", FrrAddress, "-f", $"{frr._dir}/bgpd.conf", "-i", $"{frr._dir}/bgpd.pid"]);
                await Eventually.UntilAsync(async () => (await frr.VtyshAsync("show bgp summary")).Contains("BGP router identifier", StringComparison.Ordinal),
                    "bgpd answering vtysh");
            }
            catch
            {
                await frr.DisposeAsync();
                throw;
            }
            return frr;
        }

        public async Task<string> VtyshAsync(string command) =>
            (await Shell.TryRunAsync("vtysh", ["--vty_socket", _dir, "-c", command])).Output;

        public async ValueTask DisposeAsync()
        {
            foreach (var daemon in new[] { "bgpd", "zebra" })
            {
                var pidFile = $"{_dir}/{daemon}.pid";
                if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile), out var pid))
                {
                    await Shell.TryRunAsync("kill", ["-KILL", pid.ToString()]);
                }
            }
        }
    }
}
