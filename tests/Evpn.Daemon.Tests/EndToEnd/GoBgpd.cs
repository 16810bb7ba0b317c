using System.Diagnostics;

namespace Evpn.Testing.EndToEnd;

/// <summary>gobgpd on its own loopback address (BGP and API) with a test's TOML configuration; its CLI talks to that
/// API. Dispose kills it.</summary>
public sealed class GoBgpd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _api;

    private GoBgpd(Process process, string api, string address)
    {
        _process = process;
        _api = api;
        Address = address;
    }

    public string Address { get; }

    /// <summary>Starts gobgpd with <paramref name="toml"/> (written to FOLDER/NAME.toml) and waits for its API.</summary>
    public static async Task<GoBgpd> StartAsync(TempFolder folder, string name, string address, string toml)
    {
        var path = folder.File($"{name}.toml");
        File.WriteAllText(path, toml);
        var api = $"{address}:50051";
        var start = new ProcessStartInfo("gobgpd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", path, "--api-hosts", api, "--pprof-disable" })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start gobgpd");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gobgp = new GoBgpd(process, api, address);
        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(gobgp.Cli(allowFailure: true, "global").Contains("AS:", StringComparison.Ordinal)), $"{name}'s API");
        }
        catch
        {
            await gobgp.DisposeAsync();
            throw;
        }
        return gobgp;
    }

    /// <summary>The [global] section of a gobgpd on <paramref name="address"/> (its router id too).</summary>
    public static string Global(uint asn, string address) => $"""
        [global.config]
          as = {asn}
          router-id = "{address}"
          port = 179
          local-address-list = ["{address}"]

        """;

    /// <summary>One L2VPN EVPN neighbor from <paramref name="address"/> with short timers; <paramref name="extra"/> is
    /// TOML added after the family's config (its add-paths section) and <paramref name="sections"/> before it.</summary>
    public static string Neighbor(string address, string peer, uint peerAs, string sections = "", string extra = "") => $"""
        [[neighbors]]
          [neighbors.config]
            neighbor-address = "{peer}"
            peer-as = {peerAs}
          [neighbors.transport.config]
            local-address = "{address}"
          [neighbors.timers.config]
            connect-retry = 1
            hold-time = 9
            keepalive-interval = 3
        {sections}
          [[neighbors.afi-safis]]
            [neighbors.afi-safis.config]
              afi-safi-name = "l2vpn-evpn"
        {extra}

        """;

    public string Cli(bool allowFailure, params string[] arguments)
    {
        var (host, port) = (_api[.._api.LastIndexOf(':')], _api[(_api.LastIndexOf(':') + 1)..]);
        var result = Shell.TryRun("gobgp", ["-u", host, "-p", port, .. arguments]);
        return allowFailure ? result.Output : result.EnsureSuccess();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }
}
