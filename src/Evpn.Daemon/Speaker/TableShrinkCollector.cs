using System.Diagnostics;

namespace Evpn.Daemon.Speaker;

/// <summary>Runs a full garbage collection when the Loc-RIB has lost an eighth of what it held since the last
/// one, so that a withdrawal's own garbage does not pile on top of the routes it dropped.</summary>
/// <remarks>
///   The routes of a large table live in the oldest generation. When a peer withdraws them (or goes down),
///   they are dead there, but the runtime collects that generation only after enough new data has been
///   promoted into it, which a shrinking table does not do; meanwhile the withdrawal's intents and decoded
///   messages are promoted on top, and the process peaked at the end of a withdraw-all, 15-30 MiB above its
///   peak after the table load (100k routes, `interop/bench/convergence.sh`). Measured at 100k, 3 runs each
///   interleaved with the code before (load about 3): peak RSS median 144 MiB against 159, the peak after
///   the table load alone 136 against 134; withdraw-all to the kernel 1,182 ms against 1,086 (the collections
///   pause the process). At 1M, one run each: 644 MiB against 804, withdraw-all 15.3 s against 14.2.
///   An eighth rather than a quarter: with a quarter, the withdraw-all still took the peak 14 MiB above the one
///   after the table load and a 10% move; 100k, interleaved, peak RSS median 146.5 MiB over 9 runs against 154.7 over 5, the
///   withdraw-all to the kernel 967 against 1,012 ms (a sixteenth: 143.4 MiB over 4 runs, but the withdraw's
///   RIB time 614 against 552 ms; sweeping instead of compacting: 149.3 MiB at an eighth over 4 runs, 149.1
///   at a quarter over 5).
///   Tables below <see cref="MinimumTable"/> destinations never cause one: they cost little memory, and a
///   small fabric's churn should not pause the speaker.
/// </remarks>
public sealed class TableShrinkCollector(Action collect)
{
    /// <summary>The high-water mark below which shrinking never triggers a collection.</summary>
    public const int MinimumTable = 20_000;

    private int _highWater;

    /// <summary>Collects with a blocking, compacting full collection.</summary>
    public TableShrinkCollector() : this(() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true))
    {
    }

    /// <summary>Called by the speaker loop after each input with the Loc-RIB's destination count. Returns how
    /// long the collection took when it ran one, null otherwise.</summary>
    public TimeSpan? Observe(int destinations)
    {
        if (destinations >= _highWater)
        {
            _highWater = destinations;
            return null;
        }
        if (_highWater < MinimumTable || destinations > _highWater / 8 * 7)
        {
            return null;
        }
        var started = Stopwatch.GetTimestamp();
        collect();
        _highWater = destinations;
        return Stopwatch.GetElapsedTime(started);
    }
}
