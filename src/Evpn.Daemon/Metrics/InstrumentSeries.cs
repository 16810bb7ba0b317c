using System.Diagnostics.Metrics;
using System.Text;

namespace Evpn.Daemon.Metrics;

/// <summary>The values of one instrument, per label set. Counters and up-down counters accumulate;
/// observable instruments keep their last observation; histograms keep cumulative buckets.</summary>
internal sealed class InstrumentSeries(Instrument instrument, double[] buckets)
{
    private readonly Dictionary<LabelSet, double> _values = [];
    private readonly Dictionary<LabelSet, Histogram> _histograms = [];
    private readonly bool _isHistogram = PrometheusExporter.IsHistogram(instrument);

    public string Name { get; } = PrometheusExporter.MetricName(instrument);

    /// <summary>Before observable instruments are observed again: what they report now replaces what they
    /// reported before, so a series whose labels are gone (a departed dynamic peer) is no longer rendered.</summary>
    public void BeginObservation()
    {
        if (instrument.IsObservable)
        {
            _values.Clear();
        }
    }

    public void Record(LabelSet labels, double value)
    {
        if (_isHistogram)
        {
            if (!_histograms.TryGetValue(labels, out var histogram))
            {
                histogram = new Histogram(buckets.Length);
                _histograms[labels] = histogram;
            }
            histogram.Add(buckets, value);
            return;
        }
        if (instrument.IsObservable)
        {
            // Observable instruments report their current value (or running total) at each collection.
            _values[labels] = value;
            return;
        }
        _values[labels] = _values.GetValueOrDefault(labels) + value;
    }

    public void Render(StringBuilder text)
    {
        if (!string.IsNullOrEmpty(instrument.Description))
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(instrument.Description.Replace("\n", " ")).Append('\n');
        }
        var type = _isHistogram ? "histogram" : PrometheusExporter.IsCounter(instrument) ? "counter" : "gauge";
        text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in _values.OrderBy(p => p.Key.Rendered, StringComparer.Ordinal))
        {
            text.Append(Name).Append(labels.Braced).Append(' ').Append(PrometheusExporter.FormatValue(value)).Append('\n');
        }
        foreach (var (labels, histogram) in _histograms.OrderBy(p => p.Key.Rendered, StringComparer.Ordinal))
        {
            histogram.Render(text, Name, labels, buckets);
        }
    }

    private sealed class Histogram(int bucketCount)
    {
        private readonly long[] _counts = new long[bucketCount + 1];
        private double _sum;
        private long _count;

        public void Add(double[] bounds, double value)
        {
            var index = Array.BinarySearch(bounds, value);
            _counts[index >= 0 ? index : ~index]++;
            _sum += value;
            _count++;
        }

        public void Render(StringBuilder text, string name, LabelSet labels, double[] bounds)
        {
            long cumulative = 0;
            for (var i = 0; i <= bounds.Length; i++)
            {
                cumulative += _counts[i];
                var le = i < bounds.Length ? PrometheusExporter.FormatValue(bounds[i]) : "+Inf";
                text.Append(name).Append("_bucket{").Append(labels.With("le", le)).Append("} ").Append(cumulative).Append('\n');
            }
            text.Append(name).Append("_sum").Append(labels.Braced).Append(' ').Append(PrometheusExporter.FormatValue(_sum)).Append('\n');
            text.Append(name).Append("_count").Append(labels.Braced).Append(' ').Append(_count).Append('\n');
        }
    }
}
