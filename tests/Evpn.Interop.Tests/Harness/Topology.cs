using System.Globalization;

namespace Evpn.Interop.Tests.Harness;

/// <summary>A host namespace behind a VTEP, as the topology script describes it (`TOPO info RUN`).</summary>
public sealed record HostInfo(string Node, string Vtep, uint Vni, string Ip, string Mac);

/// <summary>A running topology of interop/topo/: brought up by <see cref="UpAsync"/>, torn down by
/// <see cref="DisposeAsync"/> (also after a failed up). Its layout comes from the script's `info` verb, so the
/// script is the only place that knows names and addresses.</summary>
public sealed class Topology : IAsyncDisposable
{
    private static readonly TimeSpan DownTimeout = TimeSpan.FromSeconds(45);
    private readonly Lab _lab;
    private readonly string _script;
    private readonly IReadOnlyDictionary<string, string> _info;

    private Topology(Lab lab, string script, string run, IReadOnlyDictionary<string, string> info)
    {
        _lab = lab;
        _script = script;
        Run = run;
        _info = info;
    }

    public string Run { get; }

    /// <summary>Runs `interop/topo/NAME up RUN ARGS...` with a fresh run name and reads its layout.</summary>
    public static async Task<Topology> UpAsync(Lab lab, string name, params string[] arguments)
    {
        var script = LabPaths.Topology(name);
        var run = RunNames.Next();
        try
        {
            await lab.RunAsync(script, ["up", run, .. arguments], Lab.TopologyTimeout);
            var info = await lab.RunAsync(script, ["info", run], Lab.QueryTimeout);
            return new Topology(lab, script, run, ParseInfo(info.StandardOutput));
        }
        catch
        {
            await lab.TryRunAsync(script, ["down", run], DownTimeout);
            throw;
        }
    }

    public string this[string key] =>
        _info.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"topology info has no '{key}'");

    /// <summary>The IP of a node (its VTEP/underlay address).</summary>
    public string Ip(string node) => this[node + ".ip"];

    public IReadOnlyList<HostInfo> Hosts =>
        _info.Keys
            .Where(k => k.EndsWith(".vtep", StringComparison.Ordinal))
            .Select(k => k[..^".vtep".Length])
            .Order(StringComparer.Ordinal)
            .Select(h => new HostInfo(h, this[h + ".vtep"], uint.Parse(this[h + ".vni"], CultureInfo.InvariantCulture), this[h + ".ip"], this[h + ".mac"]))
            .ToArray();

    public KernelView Kernel(string node) => new(_lab, Run, node);

    /// <summary>Pings <paramref name="address"/> from a host node: true when a reply came back.</summary>
    public async Task<bool> PingAsync(string host, string address, int count = 1) =>
        (await _lab.TryExecAsync(Run, host, "ping", "-c", count.ToString(CultureInfo.InvariantCulture), "-W", "1", address)).Succeeded;

    public async ValueTask DisposeAsync() => await _lab.TryRunAsync(_script, ["down", Run], DownTimeout);

    private static Dictionary<string, string> ParseInfo(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
}
