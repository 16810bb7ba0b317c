using System.Text.Json.Nodes;

namespace Evpn.Session.Tests.Interop;

/// <summary>FRR 8.4 (zebra + bgpd) inside a <see cref="PeerNamespace"/>, with its config, pid files and vty
/// sockets in the namespace's folder. Only processes started here are stopped, by their pid files.</summary>
public sealed class FrrPeer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/frr";
    private readonly PeerNamespace _ns;

    public FrrPeer(PeerNamespace ns) => _ns = ns;

    private string Dir => _ns.Directory;
    private string[] Common => ["-d", "-N", _ns.Name, "-z", $"{Dir}/zserv.api", "--vty_socket", Dir, "-P", "0", "-u", "frr", "-g", "frr"];

    /// <summary>bgpd.conf: FRR AS 65002 peering with the engine (AS 65001) on <paramref name="enginePort"/>,
    /// L2VPN EVPN with advertise-all-vni, graceful restart, and <paramref name="extra"/> neighbor lines.</summary>
    public async Task StartAsync(int enginePort, params string[] extra)
    {
        var engine = _ns.RootAddress;
        var lines = new List<string>
        {
            "frr defaults datacenter",
            "hostname evses",
            $"log file {Dir}/bgpd.log debugging",
            "!",
            "router bgp 65002",
            $" bgp router-id {_ns.PeerAddress}",
            " no bgp default ipv4-unicast",
            " bgp graceful-restart",
            " bgp graceful-restart restart-time 60",
            // RFC 4724 F bit: without it a restarted FRR tells us to drop its routes at once.
            " bgp graceful-restart preserve-fw-state",
            $" neighbor {engine} remote-as 65001",
            $" neighbor {engine} port {enginePort}",
            $" neighbor {engine} timers 3 9",
            $" neighbor {engine} timers connect 1",
        };
        lines.AddRange(extra.Select(e => $" neighbor {engine} {e}"));
        lines.AddRange([" address-family l2vpn evpn", $"  neighbor {engine} activate", "  advertise-all-vni", " exit-address-family", "!"]);
        await File.WriteAllTextAsync($"{Dir}/bgpd.conf", string.Join('\n', lines) + "\n");
        await File.WriteAllTextAsync($"{Dir}/zebra.conf", $"frr defaults datacenter\nhostname evses\nlog file {Dir}/zebra.log informational\n!\n");
        await Shell.RunAsync("chown", ["-R", "frr:frr", Dir]);
        await _ns.ExecAsync($"{Bin}/zebra", [.. Common, "-f", $"{Dir}/zebra.conf", "-i", $"{Dir}/zebra.pid"]);
        await Eventually.UntilAsync(() => File.Exists($"{Dir}/zserv.api"), "zebra's zserv.api");
        await StartBgpdAsync();
    }

    public async Task StartBgpdAsync()
    {
        await _ns.ExecAsync($"{Bin}/bgpd", [.. Common, "-f", $"{Dir}/bgpd.conf", "-i", $"{Dir}/bgpd.pid"]);
        await Eventually.UntilAsync(async () => (await VtyshAsync(allowFailure: true, "show bgp summary")).Contains("BGP router identifier")
            || (await VtyshAsync(allowFailure: true, "show bgp summary")).Contains("No BGP neighbors"), "bgpd answering vtysh");
    }

    /// <summary>SIGKILL: bgpd disappears without a NOTIFICATION, as in a crash or an upgrade restart.</summary>
    public async Task KillBgpdAsync()
    {
        var pid = int.Parse(await File.ReadAllTextAsync($"{Dir}/bgpd.pid"));
        await Shell.RunAsync("kill", ["-KILL", pid.ToString()]);
        await Eventually.UntilAsync(() => !Directory.Exists($"/proc/{pid}"), "bgpd exit");
        File.Delete($"{Dir}/bgpd.pid");
    }

    public Task<string> VtyshAsync(params string[] commands) => VtyshAsync(false, commands);

    public Task<string> VtyshAsync(bool allowFailure, params string[] commands) =>
        _ns.ExecAsync("vtysh", ["--vty_socket", Dir, .. commands.SelectMany(c => new[] { "-c", c })], allowFailure: allowFailure);

    public async Task<JsonNode> JsonAsync(string command)
    {
        var text = await VtyshAsync(command);
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"'{command}' gave no JSON: {text}");
    }

    public async Task<string> NeighborStateAsync()
    {
        var json = await JsonAsync($"show bgp neighbors {_ns.RootAddress} json");
        return json[_ns.RootAddress.ToString()]?["bgpState"]?.GetValue<string>() ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in new[] { "bgpd", "zebra" })
        {
            var pidFile = $"{Dir}/{daemon}.pid";
            if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile), out var pid))
            {
                await Shell.TryRunAsync("kill", ["-KILL", pid.ToString()]);
            }
        }
    }
}
