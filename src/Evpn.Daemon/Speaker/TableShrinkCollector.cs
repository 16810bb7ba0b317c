using System.Diagnostics;

namespace Evpn.Daemon.Speaker;

/// <summary>Runs a full garbage collection when the Loc-RIB has lost an eighth of what it held since the last
/// one, so that a withdrawal's own garbage does not pile on top of the routes it dropped.</summary>
/// <remarks>
///   The routes of a large table live in the oldest generation. When a peer withdraws them (or goes down),
///   they are dead there, but the runtime collects that generation only after enough new data has been
///   promoted into it, which a shrinking table does not do; meanwhile the withdrawal's intents and decoded
///   messages are promoted on top, so without this the process would reach its peak at the end of a
///   withdraw-all rather than after the table load. The collection pauses the process, which is the price.
///   An eighth rather than a quarter: at a quarter the withdraw-all still peaked above the table load; much
///   smaller steps collect so often that the withdrawal itself slows down.
///   Tables below <see cref="MinimumTable"/> destinations never cause one: they cost little memory, and a
///   small fabric's churn should not pause the speaker.
/// </remarks>
public sealed class TableShrinkCollector(Action collect)
{
    /// <summary>The high-water mark below which shrinking never triggers a collection.</summary>
    public const int MinimumTable = 20_000;

    private int _highWater;

    /// <summary>Collects with a blocking full collection that does not compact: the space the dropped routes
    /// leave is reused where it is by what is promoted next, which is all the peak needs, and moving the
    /// surviving table was most of the pause.</summary>
    public TableShrinkCollector() : this(() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false))
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
