using System.Diagnostics.Metrics;
using Evpn.Daemon.Metrics;

namespace Evpn.Daemon.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Counters_accumulate_per_label_set_and_end_in_total()
    {
        using var meter = new Meter("Evpn.Test.Counters." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter("Evpn.Test.Counters");
        var counter = meter.CreateCounter<long>("evpn.bgp.messages.received", description: "BGP messages received");

        counter.Add(2, new KeyValuePair<string, object?>("peer", "10.0.0.2"), new KeyValuePair<string, object?>("type", "update"));
        counter.Add(3, new KeyValuePair<string, object?>("type", "update"), new KeyValuePair<string, object?>("peer", "10.0.0.2"));
        counter.Add(1, new KeyValuePair<string, object?>("peer", "10.0.0.3"), new KeyValuePair<string, object?>("type", "keepalive"));

        var lines = exporter.Render().Split('\n');

        Assert.Contains("# HELP evpn_bgp_messages_received_total BGP messages received", lines);
        Assert.Contains("# TYPE evpn_bgp_messages_received_total counter", lines);
        Assert.Contains("evpn_bgp_messages_received_total{peer=\"10.0.0.2\",type=\"update\"} 5", lines);
        Assert.Contains("evpn_bgp_messages_received_total{peer=\"10.0.0.3\",type=\"keepalive\"} 1", lines);
    }

    [Fact]
    public void Observable_gauges_report_the_current_value_at_each_scrape()
    {
        var sessions = 1;
        using var meter = new Meter("Evpn.Test.Gauges." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter("Evpn.Test.Gauges");
        meter.CreateObservableGauge("evpn.bgp.sessions", () => new Measurement<int>(sessions, new KeyValuePair<string, object?>("state", "established")));

        Assert.Contains("evpn_bgp_sessions{state=\"established\"} 1", exporter.Render().Split('\n'));
        sessions = 4;
        Assert.Contains("evpn_bgp_sessions{state=\"established\"} 4", exporter.Render().Split('\n'));
    }

    /// <summary>A dynamic peer that left is no longer in the observation: its series goes from the next scrape.</summary>
    [Fact]
    public void Observable_series_whose_labels_are_no_longer_observed_are_dropped()
    {
        List<string> peers = ["10.0.0.2", "10.0.0.3"];
        using var meter = new Meter("Evpn.Test.Departed." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter("Evpn.Test.Departed");
        meter.CreateObservableCounter("evpn.bgp.updates.received", () => peers.Select(p => new Measurement<long>(7, new KeyValuePair<string, object?>("peer", p))));

        Assert.Contains("evpn_bgp_updates_received_total{peer=\"10.0.0.3\"} 7", exporter.Render().Split('\n'));
        peers.Remove("10.0.0.3");
        var lines = exporter.Render().Split('\n');

        Assert.Contains("evpn_bgp_updates_received_total{peer=\"10.0.0.2\"} 7", lines);
        Assert.DoesNotContain(lines, l => l.Contains("10.0.0.3", StringComparison.Ordinal));
    }

    [Fact]
    public void Histograms_render_cumulative_buckets_sum_and_count()
    {
        using var meter = new Meter("Evpn.Test.Histograms." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter("Evpn.Test.Histograms");
        var histogram = meter.CreateHistogram<double>("evpn.convergence.seconds", unit: "s", description: null,
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] });

        histogram.Record(0.005);
        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(5);

        var lines = exporter.Render().Split('\n');
        Assert.Contains("# TYPE evpn_convergence_seconds histogram", lines);
        Assert.Contains("evpn_convergence_seconds_bucket{le=\"0.01\"} 1", lines);
        Assert.Contains("evpn_convergence_seconds_bucket{le=\"0.1\"} 2", lines);
        Assert.Contains("evpn_convergence_seconds_bucket{le=\"1\"} 3", lines);
        Assert.Contains("evpn_convergence_seconds_bucket{le=\"+Inf\"} 4", lines);
        Assert.Contains("evpn_convergence_seconds_sum 5.555", lines);
        Assert.Contains("evpn_convergence_seconds_count 4", lines);
    }

    [Theory]
    [InlineData("evpn.dataplane.batch.duration", "s", false, "evpn_dataplane_batch_duration_seconds")]
    [InlineData("evpn.update.to.kernel.seconds", "s", false, "evpn_update_to_kernel_seconds")]
    [InlineData("dotnet.gc.pause.time", "s", true, "dotnet_gc_pause_time_seconds_total")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", true, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("evpn.dataplane.intents.applied", "{entry}", true, "evpn_dataplane_intents_applied_total")]
    [InlineData("evpn.bgp.peer.state", null, false, "evpn_bgp_peer_state")]
    public void The_unit_becomes_the_names_suffix_before_total(string instrument, string? unit, bool counter, string expected)
    {
        using var meter = new Meter("Evpn.Test.Units." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter("Evpn.Test.Units");
        if (counter)
        {
            meter.CreateCounter<double>(instrument, unit).Add(1);
        }
        else
        {
            meter.CreateHistogram<double>(instrument, unit).Record(1);
        }

        Assert.Contains($"# TYPE {expected} {(counter ? "counter" : "histogram")}", exporter.Render().Split('\n'));
    }

    [Fact]
    public void The_runtime_meter_is_exported_beside_evpnds()
    {
        using var exporter = new PrometheusExporter(PrometheusExporter.DaemonMeters);
        GC.Collect(0);

        var lines = exporter.Render().Split('\n');

        Assert.Contains("# TYPE dotnet_gc_collections_total counter", lines);
        Assert.Contains(lines, l => l.StartsWith("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"} ", StringComparison.Ordinal));
        Assert.Contains("# TYPE dotnet_process_memory_working_set_bytes gauge", lines);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        using var meter = new Meter("Evpn.Test.Escape." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter("Evpn.Test.Escape");
        meter.CreateCounter<long>("evpn.errors").Add(1, new KeyValuePair<string, object?>("reason", "bad \"quote\"\\"));

        Assert.Contains("evpn_errors_total{reason=\"bad \\\"quote\\\"\\\\\"} 1", exporter.Render().Split('\n'));
    }

    [Fact]
    public void Meters_outside_the_prefix_are_ignored()
    {
        using var meter = new Meter("Other.Library");
        using var exporter = new PrometheusExporter("Evpn.Test.Prefix");
        meter.CreateCounter<long>("other.count").Add(1);

        Assert.DoesNotContain("other_count", exporter.Render());
    }
}
