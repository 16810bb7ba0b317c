using System.Globalization;
using System.Text.RegularExpressions;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>(e) The Prometheus endpoint of a running evpnd, scraped over TCP and parsed line by line
/// (text exposition format 0.0.4: <c>name{labels} value</c>, comments start with #).</summary>
[Collection(EvpndCollection.Name)]
public sealed partial class MetricsEndpointTests
{
    [Fact]
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

        // Each side installed one flood entry per VNI for the other.
        Assert.Equal(2, samples["evpn_dataplane_intents_applied_total{kind=\"add_flood\"}"]);
        Assert.Equal(2, samples["evpn_dataplane_entries_owned"]);
        Assert.Equal(2, samples["evpn_intents_applied_total"]);
        Assert.Equal(0, samples["evpn_duplicate_macs"]);
        Assert.Equal(samples["evpn_dataplane_batch_duration_count"], samples["evpn_dataplane_batch_duration_bucket{le=\"+Inf\"}"]);

        // BGP state from the speaker loop's snapshot: one Established session, the peer's two type-3 routes.
        var peer = pair.B.Address;
        Assert.Equal(1, samples["evpn_bgp_sessions{state=\"Established\"}"]);
        Assert.Equal(2, samples[$"evpn_bgp_prefixes_received{{peer=\"{peer}\"}}"]);
        Assert.True(samples[$"evpn_bgp_messages_received_total{{peer=\"{peer}\"}}"] >= 3);
        Assert.Equal(0, samples[$"evpn_bgp_update_errors_total{{action=\"treat-as-withdraw\",peer=\"{peer}\"}}"]);
        Assert.Equal(4, samples["evpn_routes{type=\"3\"}"]);
        Assert.Equal(1, samples["evpn_flood_vteps{vni=\"100\"}"]);
    }

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*\})?) (?<value>-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$")]
    private static partial Regex Sample();
}
