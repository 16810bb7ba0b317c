using System.Runtime.InteropServices;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The BGP RIB for L2VPN EVPN: Adj-RIB-In (post-policy paths threaded per peer, one per route and RFC 7911
/// path identifier, optional pre-policy copy), Loc-RIB destinations with their best path and reason, and one
/// Adj-RIB-Out per update group of established peers (<see cref="UpdateGroup"/>). Single-threaded: the speaker loop owns it.</summary>
/// <remarks>
///   Changes are applied to destinations at once and queued; <see cref="ProcessChanges"/> runs best path
///   once per queued destination (so a destination touched several times in one batch is decided once),
///   stages the result in every Adj-RIB-Out and returns the best-path changes for EVPN import.
///   A key with one path is kept as that <see cref="RibPath"/> alone; a <see cref="Destination"/> is made
///   when a second source sends the key, and dropped again when one path is left. A queued key remembers
///   the best path published before it was touched (in the queue for a lone path, in the destination
///   otherwise), so that a key touched several times in a batch still gives one change.
/// </remarks>
public sealed class Rib
{
    private readonly RibOptions _options;
    private readonly BestPathSelector _selector;
    private readonly ExportPolicy _export;
    private readonly LocRibTable _members = new();
    private readonly Dictionary<PeerAddress, RibPeer> _peers = new();
    private readonly Dictionary<PeerAddress, AdjRibInPrePolicy> _prePolicy = new();
    private readonly List<RibPeer> _established = new();
    private readonly Dictionary<UpdateGroupKey, UpdateGroup> _groups = new();
    private int _nextGroupId;
    private readonly List<Pending> _queue = new();

    /// <summary>Paths in the Loc-RIB by EVPN route type (index = type), kept as paths come and go: metrics read
    /// them on every scrape, and a walk of a million routes on the speaker loop would stall it.</summary>
    private readonly int[] _pathsByType = new int[256];

    /// <summary>See <see cref="HoldLearnedRoutes"/>.</summary>
    private bool _learnedHeld;

    public Rib(RibOptions options)
    {
        _options = options;
        Interner = new AttributeInterner();
        _selector = new BestPathSelector(options.RouterId);
        _export = new ExportPolicy(options, Interner);
        Local = new RibPeer(new PeerSession(options.RouterId, options.LocalAsn, options.RouterId, true, [AfiSafi.L2vpnEvpn]), isLocal: true)
        {
            IsEstablished = true,
        };
    }

    public RibOptions Options => _options;
    public AttributeInterner Interner { get; }
    public BestPathSelector Selector => _selector;

    /// <summary>The source of locally originated routes.</summary>
    public RibPeer Local { get; }

    public int DestinationCount => _members.Count;

    /// <summary>Paths in the Loc-RIB (from every source, the local one included) per route type that has any.</summary>
    public IReadOnlyDictionary<EvpnRouteType, int> PathCountsByType()
    {
        var counts = new Dictionary<EvpnRouteType, int>();
        for (var type = 0; type < _pathsByType.Length; type++)
        {
            if (_pathsByType[type] != 0)
            {
                counts[(EvpnRouteType)type] = _pathsByType[type];
            }
        }
        return counts;
    }

    /// <summary>Every destination (a key with one path is shown through a view made for the call).</summary>
    public IEnumerable<Destination> Destinations
    {
        get
        {
            foreach (var member in _members.Members)
            {
                yield return AsDestination(member);
            }
        }
    }

    /// <summary>The key of every destination, without making a view of each (a query copies them before it reads
    /// the destinations in slices).</summary>
    public IEnumerable<EvpnRoute> Keys
    {
        get
        {
            foreach (var member in _members.Members)
            {
                yield return DestinationComparer.KeyOf(member);
            }
        }
    }

    /// <summary>The best path of every key as last published (what the Adj-RIBs-Out and EVPN import were given).</summary>
    public IEnumerable<RibPath> BestPaths
    {
        get
        {
            foreach (var member in _members.Members)
            {
                if (PublishedBest(member) is { } best)
                {
                    yield return best;
                }
            }
        }
    }

    public IEnumerable<RibPeer> Peers => _peers.Values;

    /// <summary>The update groups: what they share and how many peers share it.</summary>
    public IEnumerable<UpdateGroupSummary> UpdateGroups =>
        _groups.Values.Select(g => new UpdateGroupSummary(g.Id, g.Key.ToString(), g.Members.Count, g.Table.StreamedCount, g.StreamBatches, g.Splits));

    public Destination? Find(EvpnRoute key) => _members.TryGetValue(key, out var member) ? AsDestination(member) : null;
    public RibPeer? FindPeer(PeerAddress address) => _peers.GetValueOrDefault(address);

    /// <summary>A session reached Established. A peer that was restarting (RFC 4724) keeps its stale
    /// paths until it re-sends them or sends End-of-RIB. It joins the update group of its key (made, with every
    /// best path the group may receive, if it is the first), gets the group's table and End-of-RIB, then
    /// follows the group's stream.</summary>
    public RibPeer PeerUp(PeerSession session)
    {
        if (_peers.TryGetValue(session.Address, out var peer))
        {
            peer.Session = session;
            LeaveGroup(peer);
        }
        else
        {
            peer = new RibPeer(session, isLocal: false);
            _peers.Add(session.Address, peer);
        }
        peer.IsEstablished = true;
        if (!_established.Contains(peer))
        {
            _established.Add(peer);
        }
        if (session.Families.Contains(AfiSafi.L2vpnEvpn))
        {
            var group = GroupFor(UpdateGroupKey.For(session), peer);
            var alone = group.SoleMember;
            peer.Group = group;
            peer.Member = group.Join(peer);
            if (alone is not null)
            {
                // The routes the member alone until now sent go to the one joining it.
                StageBestPaths(group, path => ReferenceEquals(path.Source, alone));
            }
            if (!_learnedHeld)
            {
                group.EndOfRibAfterPending(peer.Member);
            }
        }
        return peer;
    }

    /// <summary>RFC 4724 section 4.1: a restarting speaker defers route selection until its peers have sent
    /// End-of-RIB, and until then has none of their routes to advertise. Its own routes do not depend on that
    /// selection, so they go at once: a peer that could not keep our routes across the restart (no helper for the
    /// family) has its forwarding back as soon as the session is. Until <see cref="ReleaseLearnedRoutes"/>, best
    /// paths learned from peers are advertised to nobody (a local route they replace is withdrawn) and no
    /// End-of-RIB is sent.</summary>
    public void HoldLearnedRoutes() => _learnedHeld = true;

    /// <summary>Selection deferral ended: every established peer is sent the learned best paths it may receive,
    /// then End-of-RIB.</summary>
    public void ReleaseLearnedRoutes()
    {
        if (!_learnedHeld)
        {
            return;
        }
        _learnedHeld = false;
        foreach (var group in _groups.Values)
        {
            StageBestPaths(group, path => !path.Source.IsLocal);
            group.EndOfRibAfterPending();
        }
    }

    /// <summary>What <paramref name="group"/> is to be sent for <paramref name="best"/> now: nothing for a learned path
    /// while learned routes are held, nor for a path from the group's only member (RFC 4271 section 9.2: it is not
    /// sent back to its source, and the table then need not hold it at all).</summary>
    private AttributeSet? ExportNow(RibPath? best, UpdateGroup group) =>
        (_learnedHeld && best is { Source.IsLocal: false }) || (best is not null && ReferenceEquals(best.Source, group.SoleMember))
            ? null
            : _export.Export(best, group.Key);

    /// <summary>Stages in <paramref name="group"/> every published best path that <paramref name="which"/> picks and the
    /// group may be sent now.</summary>
    private void StageBestPaths(UpdateGroup group, Func<RibPath, bool> which)
    {
        foreach (var member in _members.Members)
        {
            if (PublishedBest(member) is { } best && which(best) && ExportNow(best, group) is { } set)
            {
                group.Table.Stage(best.Route, set, best.Source);
            }
        }
    }

    /// <summary>The session left Established. With <paramref name="retainStale"/> (RFC 4724 section 4.2,
    /// the peer can restart gracefully) its paths stay as stale; otherwise they are removed.</summary>
    public void PeerDown(PeerAddress address, bool retainStale)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            return;
        }
        peer.IsEstablished = false;
        _established.Remove(peer);
        LeaveGroup(peer);
        if (_prePolicy.Remove(address, out var pre))
        {
            pre.Clear();
        }
        if (retainStale)
        {
            peer.IsRestarting = true;
            foreach (var path in PathsOf(peer))
            {
                path.IsStale = true;
            }
            return;
        }
        RemovePaths(peer, staleOnly: false);
        _peers.Remove(address);
    }

    /// <summary>RFC 4724 section 4.2: End-of-RIB received, or the restart/stale timer expired: paths still
    /// stale are removed.</summary>
    public void SweepStale(PeerAddress address)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            return;
        }
        RemovePaths(peer, staleOnly: true);
        peer.StalePaths = null;
        peer.IsRestarting = false;
        if (!peer.IsEstablished)
        {
            _peers.Remove(address);
        }
    }

    /// <summary>The EVPN routes of one UPDATE (or one MP_REACH_NLRI) with their shared attributes; each replaces the
    /// path the peer sent before with its path identifier (RFC 7911 section 3: 0 from a peer without add-path), and
    /// other paths of the peer for the route stay. Returns false, changing nothing, when <paramref name="address"/>
    /// is not an established peer (an UPDATE still queued when its session went down).</summary>
    public bool Receive(PeerAddress address, IReadOnlyList<Nlri> routes, PathAttributes attributes, IpAddr nextHop)
    {
        if (!_peers.TryGetValue(address, out var peer) || !peer.IsEstablished)
        {
            return false;
        }
        var set = Interner.Acquire(attributes, nextHop, peer);
        var rejection = InboundChecks.Check(_options, peer, attributes);
        var pre = _options.KeepPrePolicy ? PrePolicy(address) : null;
        if (rejection == InboundRejection.None)
        {
            _members.Reserve(routes);
        }
        foreach (var nlri in routes)
        {
            if (nlri.Evpn is not { } route)
            {
                continue;
            }
            pre?.Put(route, nlri.PathId, set, rejection);
            if (rejection == InboundRejection.None)
            {
                AddPath(peer, route, nlri.PathId, set);
            }
            else
            {
                RemovePath(peer, route, nlri.PathId);
            }
        }
        Interner.Release(set);
        return true;
    }

    /// <summary>Withdrawn routes (MP_UNREACH_NLRI), or the routes of an UPDATE that RFC 7606 says to
    /// treat as withdrawn: each removes the one path the peer sent with its path identifier (RFC 7911 section 3).</summary>
    public void Withdraw(PeerAddress address, IReadOnlyList<Nlri> routes)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            return;
        }
        _prePolicy.TryGetValue(address, out var pre);
        foreach (var nlri in routes)
        {
            if (nlri.Evpn is { } route)
            {
                pre?.Remove(route, nlri.PathId);
                RemovePath(peer, route, nlri.PathId);
            }
        }
    }

    /// <summary>Adds or replaces a locally originated route.</summary>
    public void Originate(EvpnRoute route, PathAttributes attributes, IpAddr nextHop)
    {
        var set = Interner.Acquire(attributes, nextHop, Local);
        AddPath(Local, route, 0, set);
        Interner.Release(set);
    }

    public void WithdrawLocal(EvpnRoute route) => RemovePath(Local, route, 0);

    /// <summary>RFC 2918: the peer asked for our routes again.</summary>
    public void RefreshRequested(PeerAddress address)
    {
        if (_peers.TryGetValue(address, out var peer) && peer.Group is { } group)
        {
            group.RefreshRequested(peer.Member!);
        }
    }

    /// <summary>Runs best path on every destination changed since the last call, stages the results
    /// in the Adj-RIBs-Out and appends each best-path change to <paramref name="changes"/>.</summary>
    public void ProcessChanges(List<BestPathChange> changes)
    {
        foreach (var (member, queuedPrevious) in _queue)
        {
            RibPath? best;
            RibPath? previous;
            EvpnRoute key;
            if (member is RibPath only)
            {
                only.Slot = -1;
                previous = queuedPrevious;
                best = only.Withdrawn ? null : only;
                key = only.Route;
                if (only.Withdrawn)
                {
                    _members.Remove(only);
                }
            }
            else
            {
                var destination = (Destination)member;
                destination.Slot = -1;
                best = _selector.Select(destination, out var reason);
                destination.Reason = reason;
                previous = destination.PublishedBest;
                destination.PublishedBest = best;
                key = destination.Key;
                if (destination.PathCount <= 1)
                {
                    // Back to one path (or none): the key is kept as that path alone, or dropped.
                    _members.Remove(destination);
                    if (best is not null)
                    {
                        _members.Add(best);
                    }
                }
            }
            if (!ReferenceEquals(best, previous))
            {
                changes.Add(new BestPathChange(key, previous, best));
                foreach (var group in _groups.Values)
                {
                    // Nothing to stage when neither the old nor the new best path goes to this group.
                    if (_export.Allows(best, group.Key) || _export.Allows(previous, group.Key))
                    {
                        group.Table.Stage((best ?? previous)!.Route, ExportNow(best, group), best?.Source);
                    }
                }
            }
        }
        _queue.Clear();
    }

    /// <summary>Takes what is waiting for each peer, at most <paramref name="maxRoutesPerPeer"/> routes (or one batch of
    /// its group's stream) each (call again while <see cref="HasOutboundWork"/>): the writer pulls at its own pace, and
    /// what is not pulled yet keeps coalescing in the group's table. A peer <paramref name="canTake"/> refuses (its
    /// writer is still busy with what it was given) is skipped: its group's stream goes on without it.</summary>
    public List<OutboundUpdate> TakeOutbound(int maxRoutesPerPeer = int.MaxValue, Predicate<PeerAddress>? canTake = null)
    {
        var updates = new List<OutboundUpdate>();
        foreach (var peer in _established)
        {
            if (peer.Group is { } group && group.HasWork(peer.Member!) && (canTake is null || canTake(peer.Address))
                && group.Take(peer.Member!, maxRoutesPerPeer) is { } update)
            {
                updates.Add(update);
            }
        }
        foreach (var group in _groups.Values)
        {
            group.Trim();
        }
        return updates;
    }

    public OutboundUpdate? TakeOutbound(PeerAddress address, int maxRoutes = int.MaxValue)
    {
        if (!_peers.TryGetValue(address, out var peer) || peer.Group is not { } group || !group.HasWork(peer.Member!))
        {
            return null;
        }
        var update = group.Take(peer.Member!, maxRoutes);
        group.Trim();
        return update;
    }

    public bool HasOutboundWork(Predicate<PeerAddress>? canTake = null) =>
        _established.Exists(p => p.Group is { } group && group.HasWork(p.Member!) && (canTake is null || canTake(p.Address)));

    /// <summary>The routes the peer's update group sent and did not withdraw, but those that came from the peer
    /// (Adj-RIB-Out), with their exported attributes.</summary>
    public IEnumerable<(EvpnRoute Route, AttributeSet Attributes)> AdjRibOut(PeerAddress address) =>
        _peers.TryGetValue(address, out var peer) && peer.Group is { } group ? group.Table.Streamed(peer) : [];

    public int PendingOutboundCount(PeerAddress address) =>
        _peers.TryGetValue(address, out var peer) && peer.Group is { } group ? group.PendingFor(peer.Member!) : 0;

    /// <summary>Adj-RIB-In pre-policy of a peer (empty unless <see cref="RibOptions.KeepPrePolicy"/>).</summary>
    public IEnumerable<ReceivedRoute> AdjRibInPrePolicy(PeerAddress address) =>
        _prePolicy.TryGetValue(address, out var pre) ? pre.Routes() : [];

    /// <summary>Adj-RIB-In post-policy of a peer: the paths it contributes.</summary>
    public IEnumerable<RibPath> AdjRibInPostPolicy(PeerAddress address)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            yield break;
        }
        foreach (var path in PathsOf(peer))
        {
            yield return path;
        }
    }

    /// <summary>The group of peers with <paramref name="key"/>; a new one starts with every best path it may receive
    /// but those of <paramref name="joining"/>, its first member.</summary>
    private UpdateGroup GroupFor(UpdateGroupKey key, RibPeer joining)
    {
        if (_groups.TryGetValue(key, out var group))
        {
            return group;
        }
        group = new UpdateGroup(++_nextGroupId, key, Interner, _options.UpdateGroupBacklog);
        StageBestPaths(group, path => !ReferenceEquals(path.Source, joining));
        group.Table.Seal();
        _groups.Add(key, group);
        return group;
    }

    /// <summary>The peer leaves its update group; the last member's leaving drops the group.</summary>
    private void LeaveGroup(RibPeer peer)
    {
        if (peer.Group is not { } group)
        {
            return;
        }
        group.Leave(peer.Member!);
        if (group.Members.Count == 0)
        {
            group.Clear();
            _groups.Remove(group.Key);
        }
        peer.Group = null;
        peer.Member = null;
    }

    private AdjRibInPrePolicy PrePolicy(PeerAddress address)
    {
        if (!_prePolicy.TryGetValue(address, out var pre))
        {
            pre = new AdjRibInPrePolicy(Interner);
            _prePolicy.Add(address, pre);
        }
        return pre;
    }

    private void AddPath(RibPeer source, EvpnRoute route, uint pathId, AttributeSet set)
    {
        // Added first, looked up only when the key is known already: a new key (the bulk of a table
        // load) then costs one probe of the Loc-RIB rather than two.
        var path = RibPath.Create(route, set, pathId);
        if (_members.Add(path))
        {
            Interner.AddReference(set);
            Enqueue(path, previous: null);
            Counted(path, +1);
            return;
        }
        _members.TryGetValue(route, out var member);
        if (member is RibPath only)
        {
            AddToOnlyPath(only, path);
            return;
        }
        var destination = (Destination)member!;
        if (destination.Find(source, pathId) is { } existing &&
            ReferenceEquals(existing.Attributes, set) && existing.Route.Equals(route))
        {
            // The same route again (a duplicate, or a restarting peer re-sending): no change.
            existing.IsStale = false;
            return;
        }
        Interner.AddReference(set);
        if (destination.Replace(path) is { } replaced)
        {
            Retire(replaced);
        }
        Counted(path, +1);
        Enqueue(destination);
    }

    /// <summary>A new <paramref name="path"/> for a key held as its only path <paramref name="only"/>: the same
    /// path again, its replacement (from the same source and path identifier, or after it was withdrawn), or a
    /// second path, which makes a destination.</summary>
    private void AddToOnlyPath(RibPath only, RibPath path)
    {
        var sameSource = only.IsFrom(path.Source, path.PathId) && !only.Withdrawn;
        if (sameSource && ReferenceEquals(only.Attributes, path.Attributes) && only.Route.Equals(path.Route))
        {
            only.IsStale = false;
            return;
        }
        Interner.AddReference(path.Attributes);
        Counted(path, +1);
        object replacement = path;
        if (sameSource)
        {
            Retire(only);
        }
        else if (!only.Withdrawn)
        {
            var destination = new Destination(only.Route);
            destination.Replace(only);
            destination.Replace(path);
            destination.PublishedBest = PublishedBest(only);
            replacement = destination;
        }
        _members.Remove(only);
        _members.Add(replacement);
        if (only.Slot >= 0)
        {
            // Queued already: the replacement takes its place and keeps what was published before.
            CollectionsMarshal.AsSpan(_queue)[only.Slot].Member = replacement;
            SetSlot(replacement, only.Slot);
            only.Slot = -1;
        }
        else if (replacement is Destination created)
        {
            Enqueue(created);
        }
        else
        {
            Enqueue(path, previous: only);
        }
    }

    /// <summary>A path entered (+1) or left (-1) the Loc-RIB: its source's count and its type's.</summary>
    private void Counted(RibPath path, int delta)
    {
        path.Source.PathCount += delta;
        _pathsByType[(int)path.Route.Type] += delta;
    }

    /// <summary>A path leaves the Loc-RIB (replaced by a newer one from the same source and path identifier, or
    /// withdrawn): it is no longer stale, counted, nor a holder of its attributes.</summary>
    private void Retire(RibPath replaced)
    {
        replaced.IsStale = false;
        Counted(replaced, -1);
        Interner.Release(replaced.Attributes);
    }

    private void RemovePath(RibPeer source, EvpnRoute route, uint pathId)
    {
        if (!_members.TryGetValue(route, out var member))
        {
            return;
        }
        if (member is RibPath only)
        {
            if (only.IsFrom(source, pathId) && !only.Withdrawn)
            {
                Detach(only, member);
            }
        }
        else if (((Destination)member).Find(source, pathId) is { } path)
        {
            Detach(path, member);
        }
    }

    private void RemovePaths(RibPeer peer, bool staleOnly)
    {
        foreach (var path in PathsOf(peer))
        {
            if (!staleOnly || path.IsStale)
            {
                Detach(path);
            }
        }
    }

    /// <summary>A peer's paths (all its path identifiers), found by one pass over the Loc-RIB (session loss, stale
    /// marking, show).</summary>
    private List<RibPath> PathsOf(RibPeer peer)
    {
        var paths = new List<RibPath>(peer.PathCount);
        if (peer.PathCount == 0)
        {
            return paths;
        }
        foreach (var member in _members.Members)
        {
            if (member is RibPath only)
            {
                if (ReferenceEquals(only.Source, peer) && !only.Withdrawn)
                {
                    paths.Add(only);
                }
            }
            else
            {
                ((Destination)member).CollectFrom(peer, paths);
            }
        }
        return paths;
    }

    private void Detach(RibPath path)
    {
        if (_members.TryGetValue(path.Route, out var member))
        {
            Detach(path, member);
        }
        else
        {
            Retire(path);
        }
    }

    /// <summary>Removes <paramref name="path"/> from <paramref name="member"/>, the Loc-RIB member of its key (found
    /// by the caller already: a withdrawal looks it up once).</summary>
    private void Detach(RibPath path, object member)
    {
        Retire(path);
        if (ReferenceEquals(member, path))
        {
            // The key's only path: left in place, withdrawn, until the batch is decided.
            path.Withdrawn = true;
            if (path.Slot < 0)
            {
                Enqueue(path, previous: path);
            }
            return;
        }
        var destination = (Destination)member;
        destination.Remove(path);
        Enqueue(destination);
    }

    /// <summary>The best path handed out for a member at the last <see cref="ProcessChanges"/>.</summary>
    private RibPath? PublishedBest(object member) => member switch
    {
        RibPath { Slot: >= 0 } queued => _queue[queued.Slot].Previous,
        RibPath only => only,
        _ => ((Destination)member).PublishedBest,
    };

    private Destination AsDestination(object member) =>
        member as Destination ?? Destination.View((RibPath)member, PublishedBest(member));

    private void Enqueue(RibPath only, RibPath? previous)
    {
        only.Slot = _queue.Count;
        _queue.Add(new Pending(only, previous));
    }

    private void Enqueue(Destination destination)
    {
        if (destination.Slot < 0)
        {
            destination.Slot = _queue.Count;
            _queue.Add(new Pending(destination, null));
        }
    }

    private static void SetSlot(object member, int slot)
    {
        if (member is RibPath only)
        {
            only.Slot = slot;
        }
        else
        {
            ((Destination)member).Slot = slot;
        }
    }

    /// <summary>A key waiting for best path: its member now, and for a lone path the best path published
    /// before the batch (a destination keeps its own).</summary>
    private struct Pending(object member, RibPath? previous)
    {
        public object Member = member;
        public readonly RibPath? Previous = previous;

        public readonly void Deconstruct(out object member, out RibPath? previous)
        {
            member = Member;
            previous = Previous;
        }
    }
}
