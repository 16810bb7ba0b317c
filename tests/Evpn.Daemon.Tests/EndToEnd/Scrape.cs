using System.Globalization;

namespace Evpn.Testing.EndToEnd;

/// <summary>One series of evpnd's Prometheus text, as a scraper reads it.</summary>
public static class Scrape
{
    /// <summary>The value of <paramref name="series"/> (name and braced labels exactly as rendered), or null when absent.</summary>
    public static async Task<double?> ValueAsync(string url, string series)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var prefix = series + " ";
        var line = (await http.GetStringAsync(url)).Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
