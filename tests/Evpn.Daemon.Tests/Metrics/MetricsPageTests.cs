using Evpn.Daemon.Metrics;
using Evpn.Session.Tests;

namespace Evpn.Daemon.Tests.Metrics;

/// <summary>However many scrapers ask, the page (and the speaker-loop snapshot it takes) is made at most once a second.</summary>
public class MetricsPageTests
{
    private readonly FakeTimeProvider _time = new();
    private int _made;
    private TaskCompletionSource<string> _making = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MetricsPage Page() => new(_ =>
    {
        _made++;
        return _making.Task;
    }, _time);

    [Fact]
    public async Task Scrapers_asking_together_share_one_page()
    {
        var page = Page();

        var scrapes = Enumerable.Range(0, 200).Select(_ => page.GetAsync(CancellationToken.None)).ToList();
        _making.SetResult("page 1");

        Assert.All(await Task.WhenAll(scrapes), text => Assert.Equal("page 1", text));
        Assert.Equal(1, _made);
    }

    [Fact]
    public async Task A_page_is_made_again_only_after_a_second()
    {
        var page = Page();
        _making.SetResult("page 1");
        Assert.Equal("page 1", await page.GetAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("page 1", await page.GetAsync(CancellationToken.None));
        Assert.Equal(1, _made);

        _making = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _making.SetResult("page 2");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("page 2", await page.GetAsync(CancellationToken.None));
        Assert.Equal(2, _made);
    }

    [Fact]
    public async Task A_failed_page_is_not_kept()
    {
        var page = Page();
        _making.SetException(new TimeoutException("the loop did not answer"));
        await Assert.ThrowsAsync<TimeoutException>(() => page.GetAsync(CancellationToken.None));

        _making = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _making.SetResult("page 2");

        Assert.Equal("page 2", await page.GetAsync(CancellationToken.None));
        Assert.Equal(2, _made);
    }
}
