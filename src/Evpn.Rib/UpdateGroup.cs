using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Peers that are sent the same bytes (equal <see cref="UpdateGroupKey"/>) share one Adj-RIB-Out (the
/// <see cref="GroupTable"/>) and one stream of outbound batches: a best-path change is staged once per group,
/// packed once into segments, and a shared segment is encoded once; every member is given the same segments and
/// its connection writes the same bytes. A member is a position in the stream, not a copy of the table.</summary>
/// <remarks>
///   A member walks the table instead (<see cref="GroupMember.Walking"/>) when it joins (the group's table, then
///   End-of-RIB), when it asks for a route refresh (RFC 2918; the end of the walk is the end of the refresh), and
///   when it falls more than the backlog behind the stream: it then leaves the stream, which no longer waits for it,
///   and catches up from the version it had. When the walk reaches what the stream holds, the member joins the
///   stream at its end. Members that join at about the same time take one walk (<see cref="SharedWalk"/>): the
///   table is cut into slices and encoded once for all of them. RFC 4456 section 6: a route is never sent back to
///   the peer it came from; each segment names the member it skips, and routes from different sources never share
///   one (their ORIGINATOR_ID differs anyway).
///   A withdrawal skips the peer the withdrawn route came from; a route whose best path moves to a member that
///   was sent the previous one is withdrawn from that member alone.
/// </remarks>
internal sealed class UpdateGroup
{
    private readonly List<GroupMember> _members = [];
    private readonly List<Batch> _stream = [];
    private readonly List<SharedWalk> _walks = [];

    /// <summary>The stream position of <c>_stream[0]</c>.</summary>
    private long _streamStart;

    /// <summary>Routes packed into the stream since the group was made; a batch records the total at its end.</summary>
    private long _streamedRoutes;

    public UpdateGroup(int id, UpdateGroupKey key, AttributeInterner interner, int backlog)
    {
        Id = id;
        Key = key;
        Encoding = key.Encoding;
        Backlog = backlog;
        Table = new GroupTable(interner);
    }

    public int Id { get; }
    public UpdateGroupKey Key { get; }

    /// <summary>The encoding every member negotiated.</summary>
    public DecodeContext Encoding { get; }

    /// <summary>Routes the stream may hold ahead of its slowest member before that member leaves it and catches up
    /// from the table.</summary>
    public int Backlog { get; }

    public GroupTable Table { get; }
    public IReadOnlyList<GroupMember> Members => _members;

    /// <summary>Batches packed and not yet taken by every member in the stream.</summary>
    public int StreamBatches => _stream.Count;

    /// <summary>Members that left the stream because they fell behind, since the group was made.</summary>
    public long Splits { get; private set; }

    private long StreamEnd => _streamStart + _stream.Count;

    /// <summary>The member when there is exactly one: the group's table holds nothing it sent (none of it may go back
    /// to it), and whoever joins it first is staged those routes (<see cref="Rib"/>).</summary>
    public RibPeer? SoleMember => _members.Count == 1 ? _members[0].Peer : null;

    /// <summary>A session came up: the member walks the table from its start, then follows the stream. Its End-of-RIB
    /// is due after <see cref="EndOfRibAfterPending(GroupMember)"/> (at once, or once routes held back are released:
    /// RFC 4724 section 4.1).</summary>
    public GroupMember Join(RibPeer peer)
    {
        var member = new GroupMember(peer);
        if (_walks.Find(w => w.OpenToJoiners) is { } shared)
        {
            member.Walk = shared;
            member.Floor = shared.Floor;
            shared.Walkers++;
        }
        else
        {
            // Nothing withdrawn before it joined was ever sent to it.
            StartWalk(member, cursor: 0, floor: Table.Version, joiners: true);
        }
        _members.Add(member);
        return member;
    }

    public void Leave(GroupMember member)
    {
        _members.Remove(member);
        LeaveWalk(member);
        Trim();
    }

    /// <summary>RFC 2918 route refresh: the member walks the table again from its start. Repeated requests before
    /// its next slice only set this flag; one while a walk is under way starts it over.</summary>
    public void RefreshRequested(GroupMember member) => member.RefreshRequested = true;

    /// <summary>RFC 4724 section 4.1: the routes held back during selection deferral are staged; each member is
    /// sent End-of-RIB once it has taken every change up to now.</summary>
    public void EndOfRibAfterPending()
    {
        foreach (var member in _members)
        {
            EndOfRibAfterPending(member);
        }
    }

    /// <summary>The member is sent End-of-RIB once it has taken every change up to now.</summary>
    public void EndOfRibAfterPending(GroupMember member) => member.EndOfRibAt = Table.Version;

    public bool HasWork(GroupMember member) =>
        member.RefreshRequested || member.Walking || member.Position < StreamEnd || Table.PendingCount > 0 || member.EndOfRibAt is not null;

    /// <summary>The member's next slice, at most <paramref name="maxRoutes"/> routes or one batch: its walk, then
    /// the stream's batches (packing the pending changes into a new batch when it is at the stream's end). Null
    /// when nothing is due to it.</summary>
    public OutboundUpdate? Take(GroupMember member, int maxRoutes)
    {
        var segments = new List<OutboundSegment>();
        var room = maxRoutes;
        bool endOfRib = false, endOfRefresh = false;
        if (member.RefreshRequested)
        {
            member.RefreshRequested = false;
            // It may hold any route the stream changed after the version it has.
            StartWalk(member, cursor: 0, floor: member.Walking ? member.Floor : member.Synced, joiners: false);
            member.RefreshWalk = true;
        }
        if (member.Walk is { } walk)
        {
            room -= TakeSlice(member, walk, room, segments);
            if (member.WalkIndex == walk.End && Table.WalkedAll(member.Cursor))
            {
                LeaveWalk(member);
                member.Position = StreamEnd;
                member.Synced = Table.PackedVersion;
                endOfRefresh = member.RefreshWalk;
                member.RefreshWalk = false;
            }
        }
        var taken = 0;
        while (!member.Walking && room > 0)
        {
            if (member.Position == StreamEnd && !PackBatch(maxRoutes))
            {
                // Everything packed is behind it, whether or not it made a batch (changes that coalesced away).
                member.Synced = Table.PackedVersion;
                break;
            }
            var batch = _stream[(int)(member.Position - _streamStart)];
            if (taken > 0 && batch.Routes > room)
            {
                break;
            }
            foreach (var segment in batch.Segments)
            {
                if (segment.IsFor(member.Peer))
                {
                    segments.Add(segment);
                }
            }
            room -= batch.Routes;
            taken++;
            member.Position++;
            member.Synced = batch.EndVersion;
        }
        if (member.EndOfRibAt is { } due && !member.Walking && member.Synced >= due)
        {
            endOfRib = true;
            member.EndOfRibAt = null;
        }
        if (segments.Count == 0 && !endOfRib && !endOfRefresh)
        {
            return null;
        }
        return new OutboundUpdate(member.Peer.Address, AfiSafi.L2vpnEvpn, segments, endOfRib, endOfRefresh) { Encoding = Encoding };
    }

    /// <summary>Gives the member the next slice of its walk, cutting it from the table when the member is the first to
    /// need it; returns the slice's routes.</summary>
    private int TakeSlice(GroupMember member, SharedWalk walk, int room, List<OutboundSegment> into)
    {
        if (walk.At(member.WalkIndex) is not { } slice)
        {
            var cursor = member.Cursor;
            var cut = Table.Walk(ref cursor, walk.Floor, room, out var routes);
            if (cursor == member.Cursor)
            {
                return 0;
            }
            walk.Add(cut, cursor, routes);
            slice = walk.At(member.WalkIndex)!;
            SplitSlowWalkers(walk);
        }
        foreach (var segment in slice.Segments)
        {
            if (segment.IsFor(member.Peer))
            {
                into.Add(segment);
            }
        }
        member.WalkIndex++;
        member.Cursor = slice.EndCursor;
        return slice.Routes;
    }

    /// <summary>A walker the walk's slices before the newest are more than the backlog ahead of walks on its own from
    /// where it is, so the walk need not keep what it has not read (the newest slice, however large, splits nobody).</summary>
    private void SplitSlowWalkers(SharedWalk walk)
    {
        var newest = walk.At(walk.End - 1)!.Routes;
        foreach (var member in _members)
        {
            if (member.Walk == walk && walk.RoutesFrom(member.WalkIndex) - newest > Backlog)
            {
                StartWalk(member, member.Cursor, walk.Floor, joiners: false);
                Splits++;
            }
        }
    }

    /// <summary>The member walks the table from <paramref name="cursor"/>, leaving the stream or the walk it was on.</summary>
    private void StartWalk(GroupMember member, long cursor, long floor, bool joiners)
    {
        LeaveWalk(member);
        var walk = new SharedWalk(floor, joiners) { Walkers = 1 };
        _walks.Add(walk);
        member.Walk = walk;
        member.WalkIndex = 0;
        member.Cursor = cursor;
        member.Floor = floor;
    }

    private void LeaveWalk(GroupMember member)
    {
        if (member.Walk is not { } walk)
        {
            return;
        }
        member.Walk = null;
        if (--walk.Walkers == 0)
        {
            _walks.Remove(walk);
        }
    }

    /// <summary>Routes waiting for the member: its walk (or a refresh's), the stream ahead of it, what is not packed yet.</summary>
    public int PendingFor(GroupMember member)
    {
        var waiting = Table.PendingCount;
        if (member.RefreshRequested)
        {
            return waiting + Table.StreamedTo(member.Peer);
        }
        if (member.Walking)
        {
            return waiting + Table.Remaining(member.Cursor);
        }
        return waiting + (int)(_streamedRoutes - RoutesBefore(member.Position));
    }

    /// <summary>Returns every reference the group holds (its last member left).</summary>
    public void Clear()
    {
        _stream.Clear();
        Table.Clear();
    }

    /// <summary>Packs pending changes into a new batch; false when nothing was pending or it all coalesced away.</summary>
    private bool PackBatch(int maxRoutes)
    {
        while (Table.PendingCount > 0)
        {
            var segments = Table.Pack(maxRoutes, out var routes);
            if (segments.Count == 0)
            {
                continue;
            }
            _streamedRoutes += routes;
            _stream.Add(new Batch(segments, Table.PackedVersion, routes, _streamedRoutes));
            SplitLaggards();
            return true;
        }
        return false;
    }

    /// <summary>A member the stream before its newest batch is more than the backlog ahead of leaves it: it catches up
    /// from the table from the version it has, so the stream need not keep what it has not read. The newest batch,
    /// however large (a take without a limit), splits nobody: the member that packed it is about to take it.</summary>
    private void SplitLaggards()
    {
        var newest = _stream[^1].Routes;
        foreach (var member in _members)
        {
            if (!member.Walking && _streamedRoutes - RoutesBefore(member.Position) - newest > Backlog)
            {
                StartWalk(member, member.Synced, member.Synced, joiners: false);
                Splits++;
            }
        }
        Trim();
    }

    /// <summary>Drops the batches every member in the stream has taken, and lets the table forget what no member can need.</summary>
    public void Trim()
    {
        var first = StreamEnd;
        var needed = Table.PackedVersion;
        var read = new Dictionary<SharedWalk, long>(ReferenceEqualityComparer.Instance);
        foreach (var member in _members)
        {
            if (member.Walk is { } walk)
            {
                read[walk] = Math.Min(read.GetValueOrDefault(walk, long.MaxValue), member.WalkIndex);
            }
            // A member in the stream that falls behind walks from the version it has; a walking one needs what is
            // ahead of its walk and after its floor (after its floor alone once a refresh restarts the walk).
            needed = Math.Min(needed, !member.Walking ? member.Synced : member.RefreshRequested ? member.Floor : Math.Max(member.Cursor, member.Floor));
            if (!member.Walking)
            {
                first = Math.Min(first, member.Position);
            }
        }
        if (first > _streamStart)
        {
            _stream.RemoveRange(0, (int)(first - _streamStart));
            _streamStart = first;
        }
        foreach (var (walk, slowest) in read)
        {
            // A walk open to joiners keeps its slices from the start (up to the backlog) for members yet to join.
            if (walk.HeldRoutes > Backlog)
            {
                walk.CloseToJoiners();
            }
            if (!walk.OpenToJoiners)
            {
                walk.DropBefore(slowest);
            }
        }
        Table.Compact(needed);
    }

    /// <summary>Routes packed into the stream before <paramref name="position"/>.</summary>
    private long RoutesBefore(long position) =>
        position >= StreamEnd ? _streamedRoutes : _stream[(int)(position - _streamStart)].TotalRoutes - _stream[(int)(position - _streamStart)].Routes;

    /// <summary>One packing of pending changes: its segments, the version it brings a member to, its routes and the
    /// stream's total routes at its end.</summary>
    private sealed record Batch(List<OutboundSegment> Segments, long EndVersion, int Routes, long TotalRoutes);
}

/// <summary>A peer's place in its update group: a position in the group's stream, or a walk of the group's table.</summary>
internal sealed class GroupMember(RibPeer peer)
{
    public RibPeer Peer { get; } = peer;

    /// <summary>The next batch of the stream it takes (while not walking).</summary>
    public long Position;

    /// <summary>It has every change up to this version (the end of the last batch or walk it took).</summary>
    public long Synced;

    /// <summary>The walk of the table it takes rather than following the stream; null when it follows the stream.</summary>
    public SharedWalk? Walk;

    /// <summary>The next slice of <see cref="Walk"/> it reads; <see cref="Cursor"/> is the version walked to.</summary>
    public long WalkIndex;
    public long Cursor;

    public bool Walking => Walk is not null;

    /// <summary>Withdrawals of changes up to this version are not sent on its walk: it cannot hold those routes.</summary>
    public long Floor;

    /// <summary>End-of-RIB is due once it is not walking and <see cref="Synced"/> reaches this version: the table's
    /// version once it joined (with the routes of a member that was alone until then), the release's version for
    /// routes held back (RFC 4724 section 4.1); null when none is due.</summary>
    public long? EndOfRibAt;

    public bool RefreshRequested;

    /// <summary>The walk under way is a refresh's: its end is the end of the refresh.</summary>
    public bool RefreshWalk;
}
