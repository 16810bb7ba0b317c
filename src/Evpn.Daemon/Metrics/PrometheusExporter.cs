using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Evpn.Daemon.Metrics;

/// <summary>Collects every instrument of the meters whose name starts with "Evpn" and renders them in the
/// Prometheus text exposition format (version 0.0.4). prometheus-net is not on the registry here, and
/// System.Diagnostics.Metrics is what the libraries already publish to.</summary>
/// <remarks>Measurements arrive from any thread (read loops, the netlink writer); one lock guards the series.</remarks>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly object _renderGate = new();
    private readonly Dictionary<Instrument, InstrumentSeries> _series = [];
    private readonly LabelCache _labels = new();

    public PrometheusExporter(string meterPrefix = "Evpn")
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(meterPrefix, StringComparison.Ordinal))
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

    /// <summary>Prometheus metric name: dots and dashes become underscores; counters end in _total.</summary>
    internal static string MetricName(Instrument instrument)
    {
        var name = new StringBuilder(instrument.Name.Length + 8);
        foreach (var c in instrument.Name)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        if (IsCounter(instrument) && !instrument.Name.EndsWith("total", StringComparison.Ordinal))
        {
            name.Append("_total");
        }
        return name.ToString();
    }

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
