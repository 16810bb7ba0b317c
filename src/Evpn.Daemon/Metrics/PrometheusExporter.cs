using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Evpn.Daemon.Metrics;

/// <summary>Collects every instrument of the meters whose name starts with one of the given prefixes and renders
/// them in the Prometheus text exposition format (version 0.0.4). System.Diagnostics.Metrics is what the
/// libraries and the runtime already publish to; the text format is a page of code.</summary>
/// <remarks>Measurements arrive from any thread (read loops, the netlink writer); one lock guards the series.</remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>evpnd's own meters, and the runtime's (GC, thread pool, CPU, working set).</summary>
    public static readonly string[] DaemonMeters = ["Evpn", "System.Runtime"];

    private static readonly double[] DefaultBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly object _renderGate = new();
    private readonly Dictionary<Instrument, InstrumentSeries> _series = [];
    private readonly LabelCache _labels = new();

    public PrometheusExporter(params string[] meterPrefixes)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterPrefixes.Any(prefix => instrument.Meter.Name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                lock (_gate)
                {
                    _series[instrument] = new InstrumentSeries(instrument, BucketsFor(instrument));
                }
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_gate)
            {
                _series.Remove(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Renders all series; observable instruments are observed now.</summary>
    public string Render()
    {
        // One render at a time: another one's BeginObservation must not empty the series between this one's
        // observation and its rendering.
        lock (_renderGate)
        {
            lock (_gate)
            {
                foreach (var series in _series.Values)
                {
                    series.BeginObservation();
                }
            }
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            lock (_gate)
            {
                foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
                {
                    series.Render(text);
                }
                _labels.Sweep();
            }
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            if (_series.TryGetValue(instrument, out var series))
            {
                series.Record(_labels.Get(tags), value);
            }
        }
    }

    private static double[] BucketsFor(Instrument instrument) =>
        instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } ? [.. bounds] : DefaultBuckets;

    /// <summary>Prometheus metric name, as OpenTelemetry's Prometheus compatibility rules make it: dots and dashes
    /// become underscores, the instrument's unit becomes a suffix (s: _seconds, By: _bytes; an annotation in braces
    /// such as {entry} none) unless the name already ends in it, and counters end in _total.</summary>
    internal static string MetricName(Instrument instrument)
    {
        var name = new StringBuilder(instrument.Name.Length + 16);
        foreach (var c in instrument.Name)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        if (UnitSuffix(instrument.Unit) is { } unit && !name.ToString().EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name.Append('_').Append(unit);
        }
        if (IsCounter(instrument) && !name.ToString().EndsWith("total", StringComparison.Ordinal))
        {
            name.Append("_total");
        }
        return name.ToString();
    }

    /// <summary>The UCUM units the libraries use, in the base-unit words Prometheus names carry.</summary>
    private static string? UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => null,
        ['{', .., '}'] => null,
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "By" => "bytes",
        "%" => "percent",
        _ => new string([.. unit.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_')]),
    };

    internal static bool IsCounter(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() is var definition &&
               (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>));
    }

    internal static bool IsHistogram(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Histogram<>);
    }

    internal static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);
}
