using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The Adj-RIB-Out of one update group: per route key what the group announces (the attribute set exported
/// to the group and the peer the route came from, which must not get it back) and what the group's stream carried
/// last. Every change takes the next version and is appended to a log ordered by version, so the changes not yet
/// packed are the log's tail, and a member that left the stream (a new one, a refresh, one that fell behind)
/// catches up by walking the log from the version it has: an entry changed behind it moves ahead of it and is met
/// again. A withdrawn route stays as a tombstone until no member can still need its withdrawal.</summary>
internal sealed class GroupTable
{
    private readonly AttributeInterner _interner;
    private readonly Dictionary<EvpnRoute, Entry> _entries = new(RouteKeyComparer.Instance);

    /// <summary>Ascending by version; a slot whose entry changed since is stale and skipped, and dropped at compaction.</summary>
    private readonly List<Slot> _log = [];

    /// <summary>Routes the stream announced, per peer they came from (each member's count of routes sent is the
    /// group's less those).</summary>
    private readonly Dictionary<RibPeer, int> _streamedFrom = new(ReferenceEqualityComparer.Instance);

    public GroupTable(AttributeInterner interner) => _interner = interner;

    /// <summary>The last version given to a change.</summary>
    public long Version { get; private set; }

    /// <summary>Changes up to this version are in the stream (or were before any member needed them).</summary>
    public long PackedVersion { get; private set; }

    /// <summary>Changes staged and not packed yet.</summary>
    public int PendingCount { get; private set; }

    /// <summary>Routes the stream announced and did not withdraw since.</summary>
    public int StreamedCount { get; private set; }

    public int Count => _entries.Count;

    /// <summary>What the group announces for <paramref name="route"/> now: <paramref name="set"/> (null: nothing;
    /// the reference passes to this table) for every member but <paramref name="source"/>.</summary>
    public void Stage(EvpnRoute route, AttributeSet? set, RibPeer? source)
    {
        if (!_entries.TryGetValue(route, out var entry))
        {
            if (set is null)
            {
                return;
            }
            entry = new Entry();
            _entries.Add(route, entry);
        }
        if (entry.Attributes is { } replaced)
        {
            // The packed state holds its own reference (StreamAttributes).
            _interner.Release(replaced);
        }
        if (entry.Version <= PackedVersion)
        {
            PendingCount++;
        }
        entry.Route = route;
        entry.Attributes = set;
        entry.Source = source;
        entry.Version = ++Version;
        _log.Add(new Slot(entry.Version, entry));
    }

    /// <summary>The initial table of a new group: staged and counted as packed at once, since no member has
    /// anything yet; members walk it.</summary>
    public void Seal()
    {
        foreach (var (_, entry) in Slots(0, Version))
        {
            Packed(entry);
        }
        PendingCount = 0;
        PackedVersion = Version;
    }

    /// <summary>Packs up to <paramref name="maxRoutes"/> pending changes into segments of the stream: withdrawals
    /// (by the member they skip) and announcements (by attribute set and source), each for every member but the
    /// route's source. A route whose best path now comes from a member that was sent it from elsewhere is withdrawn
    /// from that member alone.</summary>
    public List<OutboundSegment> Pack(int maxRoutes, out int routes)
    {
        var withdrawals = new Dictionary<(RibPeer?, RibPeer?), OutboundSegment>(SegmentKeyComparer<RibPeer?>.Instance);
        var announcements = new Dictionary<(AttributeSet, RibPeer?), OutboundSegment>(SegmentKeyComparer<AttributeSet>.Instance);
        routes = 0;
        var taken = 0;
        var last = PackedVersion;
        foreach (var (version, entry) in Slots(PackedVersion, Version))
        {
            if (taken >= maxRoutes)
            {
                break;
            }
            taken++;
            last = version;
            var streamed = entry.StreamAttributes is not null;
            if (entry.Attributes is { } set)
            {
                if (!streamed || !ReferenceEquals(set, entry.StreamAttributes) || !ReferenceEquals(entry.Source, entry.StreamSource)
                    || !entry.Route.Equals(entry.StreamRoute))
                {
                    Segment(announcements, (set, entry.Source), set, entry.Source, null).Add(entry.Route);
                    routes++;
                    if (streamed && entry.Source is { } source && !ReferenceEquals(source, entry.StreamSource))
                    {
                        Segment(withdrawals, (null, source), null, null, source).Add(entry.Route);
                        routes++;
                    }
                }
            }
            else if (streamed)
            {
                Segment(withdrawals, (entry.StreamSource, null), null, entry.StreamSource, null).Add(entry.StreamRoute!);
                routes++;
            }
            Packed(entry);
        }
        PendingCount -= taken;
        PackedVersion = last;
        return [.. withdrawals.Values, .. announcements.Values];
    }

    /// <summary>The next slice of a walk (<see cref="SharedWalk"/>): from <paramref name="cursor"/> to
    /// <see cref="PackedVersion"/>, up to <paramref name="room"/> routes, each as the group holds it now, for every
    /// walker but the route's source; the source is sent its withdrawal instead when the change is after
    /// <paramref name="floor"/> (it may hold our earlier path), and so is every walker a route withdrawn after
    /// <paramref name="floor"/> (none can have a route that was gone before).</summary>
    public List<OutboundSegment> Walk(ref long cursor, long floor, int room, out int routes)
    {
        var withdrawals = new Dictionary<(RibPeer?, RibPeer?), OutboundSegment>(SegmentKeyComparer<RibPeer?>.Instance);
        var announcements = new Dictionary<(AttributeSet, RibPeer?), OutboundSegment>(SegmentKeyComparer<AttributeSet>.Instance);
        routes = 0;
        foreach (var (version, entry) in Slots(cursor, PackedVersion))
        {
            if (routes >= room)
            {
                break;
            }
            cursor = version;
            if (entry.Attributes is { } set)
            {
                Segment(announcements, (set, entry.Source), set, entry.Source, null).Add(entry.Route);
                routes++;
                if (version > floor && entry.Source is { } source)
                {
                    Segment(withdrawals, (null, source), null, null, source).Add(entry.Route);
                }
            }
            else if (version > floor)
            {
                Segment(withdrawals, (null, null), null, null, null).Add(entry.Route);
                routes++;
            }
        }
        return [.. withdrawals.Values, .. announcements.Values];
    }

    /// <summary>Whether a walk at <paramref name="cursor"/> has reached <see cref="PackedVersion"/>.</summary>
    public bool WalkedAll(long cursor) => !Slots(cursor, PackedVersion).Any();

    /// <summary>Routes a walk from <paramref name="cursor"/> has left (counts the log; for tests and show).</summary>
    public int Remaining(long cursor) => Slots(cursor, PackedVersion).Count();

    public int StreamedTo(RibPeer member) => StreamedCount - _streamedFrom.GetValueOrDefault(member);

    /// <summary>What the stream announced and did not withdraw, to every member but the route's source.</summary>
    public IEnumerable<(EvpnRoute Route, AttributeSet Attributes)> Streamed(RibPeer member)
    {
        foreach (var entry in _entries.Values)
        {
            if (entry.StreamAttributes is { } set && !ReferenceEquals(entry.StreamSource, member))
            {
                yield return (entry.StreamRoute!, set);
            }
        }
    }

    /// <summary>Drops stale log slots and the tombstones of withdrawals no member can need (at or before
    /// <paramref name="needed"/>), once the log has grown to twice what it must hold.</summary>
    public void Compact(long needed)
    {
        if (_log.Count < 1024 + 2 * _entries.Count)
        {
            return;
        }
        var kept = 0;
        for (var i = 0; i < _log.Count; i++)
        {
            var (version, entry) = _log[i];
            if (version != entry.Version)
            {
                continue;
            }
            if (entry.Attributes is null && version <= needed && version <= PackedVersion)
            {
                _entries.Remove(entry.Route);
                entry.Version = 0;
                continue;
            }
            _log[kept++] = _log[i];
        }
        _log.RemoveRange(kept, _log.Count - kept);
    }

    /// <summary>Returns every reference held (the group is gone).</summary>
    public void Clear()
    {
        foreach (var entry in _entries.Values)
        {
            if (entry.Attributes is { } set)
            {
                _interner.Release(set);
            }
            if (entry.StreamAttributes is { } streamed)
            {
                _interner.Release(streamed);
            }
        }
        _entries.Clear();
        _log.Clear();
        _streamedFrom.Clear();
    }

    /// <summary>The entry's state is now what the stream carries: the reference of the old packed state is returned,
    /// one taken on the new; a route the stream never announced and no longer has is forgotten.</summary>
    private void Packed(Entry entry)
    {
        var wasStreamed = entry.StreamAttributes is not null;
        if (entry.StreamAttributes is { } old)
        {
            _interner.Release(old);
            StreamedCount--;
            if (entry.StreamSource is { } oldSource)
            {
                var left = _streamedFrom[oldSource] - 1;
                if (left == 0)
                {
                    _streamedFrom.Remove(oldSource);
                }
                else
                {
                    _streamedFrom[oldSource] = left;
                }
            }
        }
        entry.StreamAttributes = entry.Attributes is { } set ? _interner.AddReference(set) : null;
        entry.StreamRoute = entry.Attributes is null ? null : entry.Route;
        entry.StreamSource = entry.Source;
        if (entry.Attributes is not null)
        {
            StreamedCount++;
            if (entry.Source is { } source)
            {
                _streamedFrom[source] = _streamedFrom.GetValueOrDefault(source) + 1;
            }
        }
        else if (!wasStreamed)
        {
            _entries.Remove(entry.Route);
            entry.Version = 0;
        }
    }

    private static OutboundSegment Segment<TKey>(Dictionary<TKey, OutboundSegment> segments, TKey key, AttributeSet? set, RibPeer? skip, RibPeer? only)
        where TKey : notnull
    {
        if (!segments.TryGetValue(key, out var segment))
        {
            segment = new OutboundSegment(set, skip, only);
            segments.Add(key, segment);
        }
        return segment;
    }

    /// <summary>One route key of the group. <see cref="Attributes"/>/<see cref="Source"/> is the group's view now,
    /// <see cref="StreamAttributes"/>/<see cref="StreamSource"/> what its stream carried last (null: not announced).</summary>
    private sealed class Entry
    {
        public EvpnRoute Route = null!;
        public AttributeSet? Attributes;
        public RibPeer? Source;
        public EvpnRoute? StreamRoute;
        public AttributeSet? StreamAttributes;
        public RibPeer? StreamSource;
        public long Version;
    }

    private readonly record struct Slot(long Version, Entry Entry);

    /// <summary>The log's current slots with versions in (<paramref name="after"/>, <paramref name="upTo"/>], in order.</summary>
    private IEnumerable<(long Version, Entry Entry)> Slots(long after, long upTo)
    {
        for (var i = FirstAfter(after); i < _log.Count; i++)
        {
            var (version, entry) = _log[i];
            if (version > upTo)
            {
                yield break;
            }
            if (version == entry.Version)
            {
                yield return (version, entry);
            }
        }
    }

    private int FirstAfter(long version)
    {
        int low = 0, high = _log.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_log[middle].Version <= version)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
