using System.Diagnostics;

namespace Evpn.Session.Tests.Interop;

/// <summary>GoBGP 3.10 (gobgpd) inside a <see cref="PeerNamespace"/>: AS 65003 peering with the engine for
/// L2VPN EVPN with graceful restart; its API listens on 127.0.0.1 of the namespace.</summary>
public sealed class GoBgpPeer : IAsyncDisposable
{
    private const string ApiPort = "50051";
    private readonly PeerNamespace _ns;
    private Process? _process;

    public GoBgpPeer(PeerNamespace ns) => _ns = ns;

    public async Task StartAsync(int enginePort)
    {
        var config = $"""
            [global.config]
              as = 65003
              router-id = "{_ns.PeerAddress}"
              port = 179
              local-address-list = ["{_ns.PeerAddress}"]

            [[neighbors]]
              [neighbors.config]
                neighbor-address = "{_ns.RootAddress}"
                peer-as = 65001
              [neighbors.transport.config]
                remote-port = {enginePort}
              [neighbors.timers.config]
                connect-retry = 1
                hold-time = 9
                keepalive-interval = 3
              [neighbors.graceful-restart.config]
                enabled = true
                restart-time = 60
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "l2vpn-evpn"
                [neighbors.afi-safis.mp-graceful-restart.config]
                  enabled = true
            """;
        var path = Path.Combine(_ns.Directory, "gobgpd.toml");
        await File.WriteAllTextAsync(path, config);
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", _ns.Name, "gobgpd", "-f", path, "--api-hosts", $"127.0.0.1:{ApiPort}", "--pprof-disable" })
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start gobgpd");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.UntilAsync(async () => (await CliAsync(allowFailure: true, "global")).Contains("AS:"), "gobgpd API");
    }

    public Task<string> CliAsync(params string[] args) => CliAsync(false, args);

    public Task<string> CliAsync(bool allowFailure, params string[] args) =>
        _ns.ExecAsync("gobgp", ["-p", ApiPort, .. args], allowFailure: allowFailure);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process?.Dispose();
    }
}
