using Evpn.Session.Speaker;

namespace Evpn.Session.Tests.Speaker;

public class LogRateLimiterTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void One_line_per_key_per_interval_and_the_next_one_says_how_many_were_held_back()
    {
        var time = new FakeTimeProvider();
        var limiter = new LogRateLimiter<string>(time, Minute);

        var written = Enumerable.Range(0, 1000).Count(i => limiter.TryLog("10.0.0.2", out _));
        Assert.Equal(1, written);
        Assert.True(limiter.TryLog("10.0.0.3", out var other));
        Assert.Equal(0, other);

        time.Advance(Minute - TimeSpan.FromSeconds(1));
        Assert.False(limiter.TryLog("10.0.0.2", out _));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryLog("10.0.0.2", out var heldBack));
        Assert.Equal(1000, heldBack);
        Assert.False(limiter.TryLog("10.0.0.2", out _));
    }

    /// <summary>A host scanning from many addresses cannot grow the limiter: beyond its key limit new keys are
    /// held back until old windows end and make room.</summary>
    [Fact]
    public void Keys_are_bounded_and_ended_windows_make_room()
    {
        var time = new FakeTimeProvider();
        var limiter = new LogRateLimiter<int>(time, Minute);
        for (var key = 0; key < LogRateLimiter<int>.MaxKeys; key++)
        {
            Assert.True(limiter.TryLog(key, out _));
        }

        Assert.False(limiter.TryLog(-1, out _));
        time.Advance(Minute);
        Assert.True(limiter.TryLog(-1, out _));
    }
}
