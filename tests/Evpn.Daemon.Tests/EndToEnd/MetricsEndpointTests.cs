using System.Globalization;
using System.Text.RegularExpressions;
using Evpn.Api;
using Evpn.Config.Tests;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>(e) The Prometheus endpoint of a running evpnd, scraped over TCP and parsed line by line
/// (text exposition format 0.0.4: <c>name{labels} value</c>, comments start with #).</summary>
[Collection(EvpndCollection.Name)]
public sealed partial class MetricsEndpointTests
{
    [RequiresFact(Requirement.Root)]
    public async Task The_metrics_endpoint_serves_parseable_prometheus_text_with_the_data_plane_series()
    {
        await using var pair = await DaemonPair.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync(pair.A.MetricsUrl);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = new Dictionary<string, double>();
        foreach (var line in body.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var sample = Sample().Match(line);
            Assert.True(sample.Success, $"not 'name{{labels}} value': {line}");
            samples[sample.Groups["series"].Value] = double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        Assert.All(body.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)),
            l => Assert.Matches(@"^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$", l));

        // Each side installed one flood entry per VNI for the other; counted once, by the data plane.
        Assert.Equal(2, samples["evpn_dataplane_intents_applied_total{kind=\"add_flood\"}"]);
        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("evpn_intents_applied", StringComparison.Ordinal));
        Assert.Equal(2, samples["evpn_dataplane_entries_owned"]);
        Assert.Equal(0, samples["evpn_duplicate_macs"]);
        // Units from the instruments: seconds.
        Assert.Equal(samples["evpn_dataplane_batch_duration_seconds_count"], samples["evpn_dataplane_batch_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.True(samples["evpn_update_to_kernel_seconds_count"] >= 1);

        // BGP state from the speaker loop's snapshot: one Established session, the peer's two type-3 routes.
        var peer = pair.B.Address;
        Assert.Equal(1, samples["evpn_bgp_sessions{state=\"Established\"}"]);
        Assert.Equal(2, samples[$"evpn_bgp_prefixes_received{{peer=\"{peer}\"}}"]);
        Assert.True(samples[$"evpn_bgp_messages_received_total{{peer=\"{peer}\"}}"] >= 3);
        Assert.Equal(0, samples[$"evpn_bgp_update_errors_total{{action=\"treat-as-withdraw\",peer=\"{peer}\"}}"]);
        Assert.Equal(4, samples["evpn_routes{type=\"3\"}"]);
        Assert.Equal(1, samples["evpn_flood_vteps{vni=\"100\"}"]);

        // Per peer: BGP4-MIB state 6 (established) and the time since.
        Assert.Equal(6, samples[$"evpn_bgp_peer_state{{peer=\"{peer}\"}}"]);
        Assert.InRange(samples[$"evpn_bgp_peer_uptime_seconds{{peer=\"{peer}\"}}"], double.Epsilon, 600);
        Assert.Equal(1, samples[$"evpnd_build_info{{commit=\"{BuildVersion.Commit ?? "unknown"}\",version=\"{BuildVersion.Version}\"}}"]);
        Assert.NotEqual("0.0.0", BuildVersion.Version);

        // The runtime's own meter: collections by generation, the thread pool, the process.
        Assert.True(samples.ContainsKey("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}"), string.Join('\n', samples.Keys));
        // The runtime publishes the thread count as an observable counter: its name ends in _total.
        Assert.True(samples["dotnet_thread_pool_thread_count_total"] >= 1);
        Assert.True(samples["dotnet_process_memory_working_set_bytes"] > 0);
        Assert.True(samples.ContainsKey("dotnet_gc_pause_time_seconds_total"));

        // The dashboard and the alert rules shipped in configs/ ask only for series a real evpnd serves.
        var families = body.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        foreach (var file in new[] { RepositoryFiles.Path("configs", "grafana", "evpnd.json"), RepositoryFiles.Path("configs", "prometheus", "alerts.yaml") })
        {
            var asked = SeriesName().Matches(File.ReadAllText(file)).Select(m => m.Value).ToHashSet();
            Assert.NotEmpty(asked);
            Assert.All(asked, name => Assert.True(families.Contains(name) || families.Contains(HistogramSuffix().Replace(name, string.Empty)),
                $"{Path.GetFileName(file)} asks for {name}, which evpnd does not serve"));
        }
    }

    [GeneratedRegex(@"\b(evpnd?|dotnet)_[a-z0-9_]+")]
    private static partial Regex SeriesName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*\})?) (?<value>-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$")]
    private static partial Regex Sample();
}
