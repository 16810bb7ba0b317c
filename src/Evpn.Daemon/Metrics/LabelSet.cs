using System.Text;

namespace Evpn.Daemon.Metrics;

/// <summary>The tags of one measurement, sorted by key and pre-rendered as a Prometheus label list.</summary>
internal readonly record struct LabelSet(string Rendered)
{
    public static readonly LabelSet None = new(string.Empty);

    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return None;
        }
        var pairs = tags.ToArray();
        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(SanitizeName(key)).Append("=\"").Append(Escape(value?.ToString() ?? string.Empty)).Append('"');
        }
        return new LabelSet(text.ToString());
    }

    /// <summary>This label list with one more label appended (a histogram's "le").</summary>
    public string With(string key, string value) =>
        Rendered.Length == 0 ? $"{key}=\"{value}\"" : $"{Rendered},{key}=\"{value}\"";

    public string Braced => Rendered.Length == 0 ? string.Empty : "{" + Rendered + "}";

    private static string SanitizeName(string key)
    {
        var name = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        return name.ToString();
    }

    /// <summary>Text format: backslash, double quote and line feed are escaped in label values.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
