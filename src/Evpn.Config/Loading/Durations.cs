using System.Globalization;

namespace Evpn.Config.Loading;

/// <summary>Durations in the file: a bare integer is seconds (`90`); a suffix picks the unit (`90s`, `3m`, `1h`, `500ms`).</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var (digits, unit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], TimeSpan.TicksPerMillisecond),
            _ when text.EndsWith('s') => (text[..^1], TimeSpan.TicksPerSecond),
            _ when text.EndsWith('m') => (text[..^1], TimeSpan.TicksPerMinute),
            _ when text.EndsWith('h') => (text[..^1], TimeSpan.TicksPerHour),
            _ => (text, TimeSpan.TicksPerSecond),
        };
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > int.MaxValue)
        {
            return false;
        }
        value = TimeSpan.FromTicks(count * unit);
        return true;
    }
}
