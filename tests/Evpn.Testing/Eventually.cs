namespace Evpn.Testing;

/// <summary>Bounded waits on positive evidence: check a condition, a little less often the longer it takes,
/// until it holds or the deadline passes. A test never sleeps for a fixed time and then hopes.</summary>
public static class Eventually
{
    /// <summary>Generous: two cores are often shared by several builds and test runs, and a dotnet start is slow there.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits until <paramref name="condition"/> holds. A condition that throws counts as not yet holding.
    /// After <paramref name="timeout"/> (<see cref="Deadline"/> when null) fails with a <see cref="TimeoutException"/>
    /// that says what was awaited (<paramref name="what"/>), the last error and <paramref name="lastSeen"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string>? lastSeen = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Deadline;
        Exception? last = null;
        var held = await WithinAsync(limit, async () =>
        {
            try
            {
                var holds = await condition();
                last = null;
                return holds;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
                return false;
            }
        });
        if (!held)
        {
            var error = last is null ? "" : $"\nlast error: {last.Message}";
            var seen = lastSeen is null ? "" : $"\nlast seen: {lastSeen()}";
            throw new TimeoutException($"waited {limit.TotalSeconds:0.#} s for {what}{error}{seen}");
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, Func{string}?, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, string what, Func<string>? lastSeen = null, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, lastSeen, timeout);

    /// <summary>Evaluates <paramref name="probe"/> until it returns true: false when <paramref name="timeout"/> passed
    /// first, for a test that then asserts with a message of its own. Exceptions from the probe propagate.</summary>
    public static async Task<bool> TrueWithinAsync(TimeSpan timeout, Func<Task<bool>> probe) => await WithinAsync(timeout, probe);

    private static async Task<bool> WithinAsync(TimeSpan timeout, Func<Task<bool>> probe)
    {
        var deadline = DateTime.UtcNow + timeout;
        var interval = FirstInterval;
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
            await Task.Delay(interval);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, LongestInterval.Ticks));
        }
    }
}
