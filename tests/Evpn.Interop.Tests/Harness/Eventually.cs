namespace Evpn.Interop.Tests.Harness;

/// <summary>Bounded polling: peers converge in their own time, tests wait for a condition with a limit.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Evaluates <paramref name="probe"/> until it returns true; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> TrueWithinAsync(TimeSpan timeout, Func<Task<bool>> probe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe())
            {
                return true;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(Interval);
        }
    }
}
