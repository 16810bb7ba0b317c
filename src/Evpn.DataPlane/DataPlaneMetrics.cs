using System.Diagnostics.Metrics;

namespace Evpn.DataPlane;

/// <summary>Instruments of the data plane, on the meter "Evpn.DataPlane" (the daemon exports them).</summary>
public sealed class DataPlaneMetrics : IDisposable
{
    public const string MeterName = "Evpn.DataPlane";

    private readonly Meter _meter;

    public DataPlaneMetrics()
    {
        _meter = new Meter(MeterName);
        Applied = _meter.CreateCounter<long>("evpn.dataplane.intents.applied", "{entry}", "Entries programmed or removed");
        Failed = _meter.CreateCounter<long>("evpn.dataplane.intents.failed", "{entry}", "Entry attempts the data plane rejected (tags: kind, errno)");
        Retried = _meter.CreateCounter<long>("evpn.dataplane.intents.retried", "{entry}", "Entry attempts made again after a failure");
        Abandoned = _meter.CreateCounter<long>("evpn.dataplane.intents.abandoned", "{entry}", "Entries given up (permanent error or attempts exhausted)");
        Swept = _meter.CreateCounter<long>("evpn.dataplane.stale.swept", "{entry}", "Stale entries of a previous run removed");
        Events = _meter.CreateCounter<long>("evpn.dataplane.events", "{event}", "Events reported to the EVPN core (tag: kind)");
        BatchDuration = _meter.CreateHistogram<double>("evpn.dataplane.batch.duration", "s", "Time to apply one batch");
        ResyncCount = _meter.CreateCounter<long>("evpn.dataplane.resyncs", "{resync}", "Full re-dumps after the kernel dropped notifications");
    }

    public Counter<long> Applied { get; }
    public Counter<long> Failed { get; }
    public Counter<long> Retried { get; }
    public Counter<long> Abandoned { get; }
    public Counter<long> Swept { get; }
    public Counter<long> Events { get; }
    public Histogram<double> BatchDuration { get; }
    public Counter<long> ResyncCount { get; }

    /// <summary>Observes a value the caller owns (owned entries, pending retries) as a gauge.</summary>
    public void Observe(string name, string unit, string description, Func<int> read) =>
        _meter.CreateObservableGauge(name, read, unit, description);

    public void Dispose() => _meter.Dispose();
}
