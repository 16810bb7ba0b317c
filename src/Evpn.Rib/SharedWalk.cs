namespace Evpn.Rib;

/// <summary>A walk of an update group's table that several members take: each slice is cut from the table once and
/// its segments are packed and encoded once, and every walker reads the same slices in order, at its own pace.
/// Members that join the group while a walk begun by joining members still holds its first slice take that walk
/// from its start (200 clients connecting within a second are sent one encoded table, not 200).</summary>
/// <remarks>
///   A slice shows the table as it was when it was cut. A walker reading it later still ends with the group's
///   view: an entry changed since moved past the slice (changes take the next version) and is met again further
///   on, in a later slice or in the stream. The walk's <see cref="Floor"/> is that of its first walker; a member
///   that joins later only gets more withdrawals than it needs (of routes it does not hold, which change nothing).
/// </remarks>
internal sealed class SharedWalk(long floor, bool joiners)
{
    private readonly List<WalkSlice> _slices = [];

    /// <summary>The index of <c>_slices[0]</c>.</summary>
    private long _first;

    /// <summary>Routes in the slices cut since the walk began; a slice records the total at its end.</summary>
    private long _cutRoutes;

    private bool _joiners = joiners;

    /// <summary>Withdrawals of changes up to this version are not sent on the walk: no walker can hold those routes.</summary>
    public long Floor { get; } = floor;

    /// <summary>Members walking it.</summary>
    public int Walkers { get; set; }

    /// <summary>A member joining the group may take it from its start: it was begun by joining members and still
    /// holds its first slice.</summary>
    public bool OpenToJoiners => _joiners && _first == 0;

    /// <summary>The index after the last slice cut.</summary>
    public long End => _first + _slices.Count;

    /// <summary>Routes in the slices it holds.</summary>
    public long HeldRoutes => _slices.Count == 0 ? 0 : _cutRoutes - RoutesBefore(_first);

    public WalkSlice? At(long index) => index < End ? _slices[(int)(index - _first)] : null;

    public void Add(List<OutboundSegment> segments, long endCursor, int routes)
    {
        _cutRoutes += routes;
        _slices.Add(new WalkSlice(segments, endCursor, routes, _cutRoutes));
    }

    /// <summary>Routes cut at or after slice <paramref name="index"/>: what a walker there has still to read of it.</summary>
    public long RoutesFrom(long index) => _cutRoutes - RoutesBefore(index);

    public void CloseToJoiners() => _joiners = false;

    /// <summary>Drops the slices before <paramref name="index"/> (every walker has read them).</summary>
    public void DropBefore(long index)
    {
        if (index > _first)
        {
            _slices.RemoveRange(0, (int)(index - _first));
            _first = index;
        }
    }

    private long RoutesBefore(long index) =>
        index >= End ? _cutRoutes : _slices[(int)(index - _first)].TotalRoutes - _slices[(int)(index - _first)].Routes;
}

/// <summary>One slice of a <see cref="SharedWalk"/>: its segments, the version the walk reached, its routes and the
/// walk's total routes at its end.</summary>
internal sealed record WalkSlice(List<OutboundSegment> Segments, long EndCursor, int Routes, long TotalRoutes);
