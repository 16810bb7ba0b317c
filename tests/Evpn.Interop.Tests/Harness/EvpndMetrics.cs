using System.Globalization;

namespace Evpn.Interop.Tests.Harness;

/// <summary>evpnd's Prometheus metrics (src/Evpn.Daemon/Metrics), served on 127.0.0.1:9179 inside the node's
/// namespace when the topology was brought up with `--metrics`. Samples are keyed by series as rendered, labels in
/// evpnd's (sorted) order: `evpn_duplicate_macs`, `evpn_bgp_update_errors_total{action="treat-as-withdraw",peer="10.0.0.2"}`.</summary>
public static class EvpndMetrics
{
    public const string UpOption = "--metrics";
    private const string Url = "http://127.0.0.1:9179/metrics";

    public static async Task<IReadOnlyDictionary<string, double>> ScrapeAsync(Lab lab, Topology topology, string node)
    {
        var text = (await lab.ExecAsync(topology.Run, node, "curl", "-sf", "--max-time", "10", Url)).StandardOutput;
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#')))
        {
            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return samples;
    }

    /// <summary>Scrapes until <paramref name="series"/> has the value <paramref name="expected"/> (the speaker's
    /// figures are published as a snapshot, a moment after the management API shows them); returns the last value.</summary>
    public static async Task<double?> ValueWithinAsync(Lab lab, Topology topology, string node, string series, double expected)
    {
        double? value = null;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
            (value = (await ScrapeAsync(lab, topology, node)).TryGetValue(series, out var v) ? v : null) == expected);
        return value;
    }
}
