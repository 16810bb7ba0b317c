using Evpn.Session.Timers;

namespace Evpn.Session.Tests.Timers;

public class IdleHoldDampingTests
{
    private static readonly IdleHoldOptions Options = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5));
    private readonly DateTimeOffset _t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Flapping_peer_waits_twice_as_long_each_time_up_to_the_maximum()
    {
        var damping = new IdleHoldDamping(Options);
        var waits = Enumerable.Range(0, 9).Select(i =>
        {
            damping.OnEstablished(_t0.AddSeconds(i * 10));
            return damping.OnDown(_t0.AddSeconds(i * 10 + 5)).TotalSeconds;
        }).ToArray();
        Assert.Equal(new double[] { 1, 2, 4, 8, 16, 32, 60, 60, 60 }, waits);
    }

    [Fact]
    public void Stable_session_resets_the_damping()
    {
        var damping = new IdleHoldDamping(Options);
        damping.OnDown(_t0);
        damping.OnDown(_t0);
        damping.OnDown(_t0);
        Assert.Equal(TimeSpan.FromSeconds(8), damping.Next);
        damping.OnEstablished(_t0);
        Assert.Equal(TimeSpan.FromSeconds(1), damping.OnDown(_t0.AddMinutes(6)));
    }

    [Fact]
    public void Reset_forgets_past_flaps()
    {
        var damping = new IdleHoldDamping(Options);
        damping.OnDown(_t0);
        damping.OnDown(_t0);
        damping.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), damping.Next);
    }
}
