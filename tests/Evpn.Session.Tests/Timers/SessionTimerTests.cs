using Evpn.Session.Timers;

namespace Evpn.Session.Tests.Timers;

public class SessionTimerTests
{
    private readonly FakeTimeProvider _time = new();
    private int _fired;

    private SessionTimer NewTimer() => new(_time, () => _fired++);

    [Fact]
    public void Start_fires_at_the_deadline_and_expires_once()
    {
        using var timer = NewTimer();
        timer.Start(TimeSpan.FromSeconds(90));
        _time.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal(0, _fired);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _fired);
        Assert.True(timer.TryExpire());
        Assert.False(timer.TryExpire());
        Assert.False(timer.IsRunning);
    }

    [Fact]
    public void Extend_moves_the_deadline_and_the_early_callback_rearms_for_the_rest()
    {
        using var timer = NewTimer();
        timer.Start(TimeSpan.FromSeconds(90));
        _time.Advance(TimeSpan.FromSeconds(60));
        timer.Extend();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, _fired);
        Assert.False(timer.TryExpire());
        Assert.Equal(TimeSpan.FromSeconds(60), timer.Remaining);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(2, _fired);
        Assert.True(timer.TryExpire());
    }

    [Fact]
    public void Stop_makes_a_late_callback_harmless()
    {
        using var timer = NewTimer();
        timer.Start(TimeSpan.FromSeconds(5));
        timer.Stop();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _fired);
        Assert.False(timer.TryExpire());
    }

    [Fact]
    public void Restart_after_a_callback_was_queued_does_not_expire_early()
    {
        using var timer = NewTimer();
        timer.Start(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));
        timer.Start(TimeSpan.FromSeconds(5));
        Assert.False(timer.TryExpire());
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(timer.TryExpire());
    }
}
