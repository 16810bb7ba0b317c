using System.Diagnostics;

namespace Evpn.Daemon.Speaker;

/// <summary>Runs one full garbage collection after the Loc-RIB has lost an eighth of what it held since the last
/// one, once the shrinking is over: the table has not changed between two ticks and the data plane has taken
/// every intent.</summary>
/// <remarks>
///   The routes of a large table live in the oldest generation. When a peer withdraws them (or goes down),
///   they are dead there, but the runtime collects that generation only after enough new data has been
///   promoted into it, which a shrinking table does not do, so without this the dead table would stay in
///   memory until the next load. A collection during the withdrawal itself would pause the speaker and the
///   data-plane writer while they have work, and a withdraw-all would run several of them; after it, one
///   pause costs nobody anything.
///   Tables below <see cref="MinimumTable"/> destinations never cause one: they cost little memory, and a
///   small fabric's churn should not pause the speaker.
/// </remarks>
public sealed class TableShrinkCollector(Action collect)
{
    /// <summary>The high-water mark below which shrinking never triggers a collection.</summary>
    public const int MinimumTable = 20_000;

    private int _highWater;
    private bool _due;

    /// <summary>The destination count of the previous <see cref="CollectIfSettled"/>; -1 before the first.</summary>
    private int _lastTick = -1;

    /// <summary>Collects with a blocking full collection that does not compact: the space the dropped routes
    /// leave is reused where it is by the next load, and moving the surviving table was most of the pause.</summary>
    public TableShrinkCollector() : this(() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false))
    {
    }

    /// <summary>Called by the speaker loop after each input with the Loc-RIB's destination count: notes whether a
    /// collection is due.</summary>
    public void Observe(int destinations)
    {
        if (destinations >= _highWater)
        {
            _highWater = destinations;
        }
        else if (_highWater >= MinimumTable && destinations <= _highWater / 8 * 7)
        {
            _due = true;
        }
    }

    /// <summary>Called by the speaker loop on its tick. Runs the due collection when the table has the count it
    /// had at the previous tick and <paramref name="writerIdle"/>; returns how long it took when it ran one.</summary>
    public TimeSpan? CollectIfSettled(int destinations, bool writerIdle)
    {
        var settled = destinations == _lastTick;
        _lastTick = destinations;
        if (!_due || !settled || !writerIdle)
        {
            return null;
        }
        var started = Stopwatch.GetTimestamp();
        collect();
        _due = false;
        _highWater = destinations;
        return Stopwatch.GetElapsedTime(started);
    }
}
