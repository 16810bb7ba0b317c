using System.Diagnostics;

namespace Evpn.Testing.EndToEnd;

/// <summary>gobgpd on its own loopback address (BGP and API) with a test's TOML configuration, or on an address of a
/// network namespace it runs in; its CLI talks to that API. Dispose kills it.</summary>
public sealed class GoBgpd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _api;

    /// <summary>The namespace gobgpd and its CLI run in; null for the test's own.</summary>
    private readonly string? _namespace;

    private GoBgpd(Process process, string api, string address, string? ns)
    {
        _process = process;
        _api = api;
        Address = address;
        _namespace = ns;
    }

    public string Address { get; }

    /// <summary>Starts gobgpd with <paramref name="toml"/> (written to FOLDER/NAME.toml), in the network namespace
    /// <paramref name="ns"/> when given, and waits for its API.</summary>
    public static async Task<GoBgpd> StartAsync(TempFolder folder, string name, string address, string toml, string? ns = null)
    {
        var path = folder.File($"{name}.toml");
        File.WriteAllText(path, toml);
        var api = $"{address}:50051";
        var start = new ProcessStartInfo(ns is null ? "gobgpd" : "ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // `ip netns exec` execs gobgpd in place: the process killed on dispose is gobgpd itself.
        foreach (var a in (ns is null ? [] : new[] { "netns", "exec", ns, "gobgpd" }).Concat(["-f", path, "--api-hosts", api, "--pprof-disable"]))
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start gobgpd");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gobgp = new GoBgpd(process, api, address, ns);
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
        string[] command = ["gobgp", "-u", host, "-p", port, .. arguments];
        var result = _namespace is null ? Shell.TryRun(command[0], command[1..]) : Shell.TryRun("ip", ["netns", "exec", _namespace, .. command]);
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
