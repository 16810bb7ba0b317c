namespace Evpn.Daemon.Metrics;

/// <summary>The Prometheus page, made at most once per <see cref="MaxAge"/> however many scrapers ask: a page
/// takes a snapshot on the speaker loop, and scrapers asking while one is being made wait for that one.
/// A page that failed is not kept; the next scrape makes a new one.</summary>
public sealed class MetricsPage(Func<CancellationToken, Task<string>> make, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    /// <summary>A page the loop does not answer within this time fails (the loop is stuck or stopping).</summary>
    public static readonly TimeSpan MakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private Task<string>? _page;
    private long _madeAt;

    public Task<string> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var fresh = _page is { } page && (!page.IsCompleted || (page.IsCompletedSuccessfully && time.GetElapsedTime(_madeAt) < MaxAge));
            if (!fresh)
            {
                _madeAt = time.GetTimestamp();
                _page = MakeAsync();
            }
            return _page!.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Not the scraper's cancellation: other scrapers share the page.</summary>
    private async Task<string> MakeAsync()
    {
        using var timeout = new CancellationTokenSource(MakeTimeout, time);
        return await make(timeout.Token).ConfigureAwait(false);
    }
}
