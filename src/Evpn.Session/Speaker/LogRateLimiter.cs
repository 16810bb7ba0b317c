namespace Evpn.Session.Speaker;

/// <summary>Lets one log line per key through per interval and counts the ones held back, so a peer repeating
/// an error or a host knocking on the listener cannot flood the log; the next line that goes through says how
/// many were held back. The counters of the event are kept elsewhere (metrics): this only decides what is
/// written. At most <see cref="MaxKeys"/> keys are tracked; beyond that, lines of new keys are held back until
/// old windows expire.</summary>
/// <remarks>Not thread-safe: its owner is the speaker loop.</remarks>
public sealed class LogRateLimiter<TKey>(TimeProvider time, TimeSpan interval) where TKey : notnull
{
    public const int MaxKeys = 4096;

    private readonly Dictionary<TKey, Window> _windows = [];

    public TimeSpan Interval => interval;

    /// <summary>True when a line for <paramref name="key"/> may be written now; <paramref name="heldBack"/>
    /// is how many were held back for that key since the last line written.</summary>
    public bool TryLog(TKey key, out long heldBack)
    {
        var now = time.GetTimestamp();
        heldBack = 0;
        if (_windows.TryGetValue(key, out var window))
        {
            if (time.GetElapsedTime(window.Opened, now) < interval)
            {
                _windows[key] = window with { HeldBack = window.HeldBack + 1 };
                return false;
            }
            heldBack = window.HeldBack;
        }
        else if (_windows.Count >= MaxKeys && !Prune(now))
        {
            return false;
        }
        _windows[key] = new Window(now, 0);
        return true;
    }

    /// <summary>Forgets windows that ended; true when that made room.</summary>
    private bool Prune(long now)
    {
        foreach (var (key, window) in _windows)
        {
            if (time.GetElapsedTime(window.Opened, now) >= interval)
            {
                _windows.Remove(key);
            }
        }
        return _windows.Count < MaxKeys;
    }

    private readonly record struct Window(long Opened, long HeldBack);
}
