namespace Evpn.LoadGen;

/// <summary>Wall-clock time in Unix nanoseconds, comparable with `date +%s%N` in the harness.</summary>
public static class UnixClock
{
    public static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}
