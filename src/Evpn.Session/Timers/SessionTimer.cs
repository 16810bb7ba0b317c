namespace Evpn.Session.Timers;

/// <summary>A one-shot timer on <see cref="TimeProvider"/> whose expiry is only a hint: the callback
/// posts to the speaker loop, and the loop asks <see cref="TryExpire"/> whether the deadline really
/// passed. That makes a late callback from a stopped or re-armed timer harmless, and lets a timer be
/// pushed back (hold timer on every message) by moving the deadline without touching the OS timer.</summary>
public sealed class SessionTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action _onFire;
    private ITimer? _timer;
    private long _deadline;

    public SessionTimer(TimeProvider time, Action onFire)
    {
        _time = time;
        _onFire = onFire;
    }

    public bool IsRunning { get; private set; }

    /// <summary>The configured span of the last <see cref="Start"/>.</summary>
    public TimeSpan Period { get; private set; }

    public void Start(TimeSpan due)
    {
        Period = due;
        IsRunning = true;
        _deadline = _time.GetTimestamp() + ToTicks(due);
        Arm(due);
    }

    /// <summary>Moves the deadline to now + <see cref="Period"/> without re-arming the OS timer; the
    /// early callback re-arms for the remainder. Cheap enough to call for every received message.</summary>
    public void Extend()
    {
        if (IsRunning)
        {
            _deadline = _time.GetTimestamp() + ToTicks(Period);
        }
    }

    public void Stop()
    {
        IsRunning = false;
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Called on the speaker loop when the callback's event arrives. True once per real
    /// expiry; false (re-armed for what is left) when the deadline moved or the timer stopped.</summary>
    public bool TryExpire()
    {
        if (!IsRunning)
        {
            return false;
        }
        var left = _deadline - _time.GetTimestamp();
        if (left > 0)
        {
            Arm(TimeSpan.FromSeconds((double)left / _time.TimestampFrequency));
            return false;
        }
        IsRunning = false;
        return true;
    }

    public TimeSpan Remaining => IsRunning
        ? TimeSpan.FromSeconds(Math.Max(0, (double)(_deadline - _time.GetTimestamp()) / _time.TimestampFrequency))
        : TimeSpan.Zero;

    private void Arm(TimeSpan due)
    {
        _timer ??= _time.CreateTimer(static state => ((SessionTimer)state!)._onFire(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    public void Dispose()
    {
        IsRunning = false;
        _timer?.Dispose();
    }
}
