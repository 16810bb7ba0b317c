using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The BGP RIB for L2VPN EVPN: Adj-RIB-In (post-policy paths threaded per peer, optional
/// pre-policy copy), Loc-RIB destinations with their best path and reason, and one Adj-RIB-Out per
/// established peer. Single-threaded: the speaker loop owns it.</summary>
/// <remarks>
///   Changes are applied to destinations at once and queued; <see cref="ProcessChanges"/> runs best path
///   once per queued destination (so a destination touched several times in one batch is decided once),
///   stages the result in every Adj-RIB-Out and returns the best-path changes for EVPN import.
/// </remarks>
public sealed class Rib
{
    private readonly RibOptions _options;
    private readonly BestPathSelector _selector;
    private readonly ExportPolicy _export;
    private readonly HashSet<Destination> _destinations = new(DestinationComparer.Instance);
    private readonly HashSet<Destination>.AlternateLookup<EvpnRoute> _byRoute;
    private readonly Dictionary<IpAddr, RibPeer> _peers = new();
    private readonly Dictionary<IpAddr, AdjRibInPrePolicy> _prePolicy = new();
    private readonly List<RibPeer> _established = new();
    private readonly List<Destination> _queue = new();

    public Rib(RibOptions options)
    {
        _options = options;
        _byRoute = _destinations.GetAlternateLookup<EvpnRoute>();
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

    public int DestinationCount => _destinations.Count;
    public IEnumerable<Destination> Destinations => _destinations;
    public IEnumerable<RibPeer> Peers => _peers.Values;

    public Destination? Find(EvpnRoute key) => _byRoute.TryGetValue(key, out var destination) ? destination : null;
    public RibPeer? FindPeer(IpAddr address) => _peers.GetValueOrDefault(address);

    /// <summary>A session reached Established. A peer that was restarting (RFC 4724) keeps its stale
    /// paths until it re-sends them or sends End-of-RIB. Every best path it may receive is staged
    /// to it, followed by End-of-RIB.</summary>
    public RibPeer PeerUp(PeerSession session)
    {
        if (_peers.TryGetValue(session.Address, out var peer))
        {
            peer.Session = session;
            peer.Out?.Clear();
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
            peer.Out ??= new AdjRibOut(peer, Interner);
            foreach (var destination in _destinations)
            {
                if (destination.PublishedBest is { } best && _export.Export(best, peer) is { } set)
                {
                    peer.Out.Stage(best.Route, set);
                }
            }
            peer.Out.EndOfRibPending = true;
        }
        return peer;
    }

    /// <summary>The session left Established. With <paramref name="retainStale"/> (RFC 4724 section 4.2,
    /// the peer can restart gracefully) its paths stay as stale; otherwise they are removed.</summary>
    public void PeerDown(IpAddr address, bool retainStale)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            return;
        }
        peer.IsEstablished = false;
        _established.Remove(peer);
        peer.Out?.Clear();
        peer.Out = null;
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
    public void SweepStale(IpAddr address)
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

    /// <summary>The routes of one UPDATE (or one MP_REACH_NLRI) with their shared attributes. Returns
    /// false, changing nothing, when <paramref name="address"/> is not an established peer (an UPDATE
    /// still queued when its session went down).</summary>
    public bool Receive(IpAddr address, IReadOnlyList<EvpnRoute> routes, PathAttributes attributes, IpAddr nextHop)
    {
        if (!_peers.TryGetValue(address, out var peer) || !peer.IsEstablished)
        {
            return false;
        }
        var set = Interner.Acquire(attributes, nextHop);
        var rejection = InboundChecks.Check(_options, peer, attributes);
        var pre = _options.KeepPrePolicy ? PrePolicy(address) : null;
        foreach (var route in routes)
        {
            pre?.Put(route, set, rejection);
            if (rejection == InboundRejection.None)
            {
                AddPath(peer, route, set);
            }
            else
            {
                RemovePath(peer, route);
            }
        }
        Interner.Release(set);
        return true;
    }

    /// <summary>Withdrawn routes (MP_UNREACH_NLRI), or the routes of an UPDATE that RFC 7606 says to
    /// treat as withdrawn.</summary>
    public void Withdraw(IpAddr address, IReadOnlyList<EvpnRoute> routes)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            return;
        }
        _prePolicy.TryGetValue(address, out var pre);
        foreach (var route in routes)
        {
            pre?.Remove(route);
            RemovePath(peer, route);
        }
    }

    /// <summary>Adds or replaces a locally originated route.</summary>
    public void Originate(EvpnRoute route, PathAttributes attributes, IpAddr nextHop)
    {
        var set = Interner.Acquire(attributes, nextHop);
        AddPath(Local, route, set);
        Interner.Release(set);
    }

    public void WithdrawLocal(EvpnRoute route) => RemovePath(Local, route);

    /// <summary>RFC 2918: the peer asked for our routes again.</summary>
    public void RefreshRequested(IpAddr address)
    {
        if (_peers.TryGetValue(address, out var peer) && peer.Out is { } adjRibOut)
        {
            adjRibOut.ResendAll();
        }
    }

    /// <summary>Runs best path on every destination changed since the last call, stages the results
    /// in the Adj-RIBs-Out and appends each best-path change to <paramref name="changes"/>.</summary>
    public void ProcessChanges(List<BestPathChange> changes)
    {
        foreach (var destination in _queue)
        {
            destination.IsQueued = false;
            var best = _selector.Select(destination, out var reason);
            destination.Reason = reason;
            var previous = destination.PublishedBest;
            if (!ReferenceEquals(best, previous))
            {
                destination.PublishedBest = best;
                changes.Add(new BestPathChange(destination, previous, best));
                foreach (var peer in _established)
                {
                    // Nothing to stage when neither the old nor the new best path goes to this peer.
                    if (peer.Out is { } adjRibOut && (_export.Allows(best, peer) || _export.Allows(previous, peer)))
                    {
                        adjRibOut.Stage((best ?? previous)!.Route, _export.Export(best, peer));
                    }
                }
            }
            if (destination.IsEmpty)
            {
                _destinations.Remove(destination);
            }
        }
        _queue.Clear();
    }

    /// <summary>Takes what is waiting for each peer, at most <paramref name="maxRoutesPerPeer"/> routes each
    /// (call again while <see cref="HasOutboundWork"/>): the writer pulls at its own pace, and what is
    /// not pulled yet keeps coalescing.</summary>
    public List<OutboundUpdate> TakeOutbound(int maxRoutesPerPeer = int.MaxValue)
    {
        var updates = new List<OutboundUpdate>();
        foreach (var peer in _established)
        {
            if (peer.Out is { HasWork: true } adjRibOut)
            {
                updates.Add(adjRibOut.Drain(maxRoutesPerPeer));
            }
        }
        return updates;
    }

    public OutboundUpdate? TakeOutbound(IpAddr address, int maxRoutes = int.MaxValue) =>
        _peers.TryGetValue(address, out var peer) && peer.Out is { HasWork: true } adjRibOut ? adjRibOut.Drain(maxRoutes) : null;

    public bool HasOutboundWork => _established.Exists(p => p.Out is { HasWork: true });

    /// <summary>The routes last sent to a peer (Adj-RIB-Out), with their exported attributes.</summary>
    public IEnumerable<(EvpnRoute Route, AttributeSet Attributes)> AdjRibOut(IpAddr address) =>
        _peers.TryGetValue(address, out var peer) && peer.Out is { } adjRibOut ? adjRibOut.Sent() : [];

    public int PendingOutboundCount(IpAddr address) =>
        _peers.TryGetValue(address, out var peer) && peer.Out is { } adjRibOut ? adjRibOut.PendingCount : 0;

    /// <summary>Adj-RIB-In pre-policy of a peer (empty unless <see cref="RibOptions.KeepPrePolicy"/>).</summary>
    public IEnumerable<ReceivedRoute> AdjRibInPrePolicy(IpAddr address) =>
        _prePolicy.TryGetValue(address, out var pre) ? pre.Routes() : [];

    /// <summary>Adj-RIB-In post-policy of a peer: the paths it contributes.</summary>
    public IEnumerable<RibPath> AdjRibInPostPolicy(IpAddr address)
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

    private AdjRibInPrePolicy PrePolicy(IpAddr address)
    {
        if (!_prePolicy.TryGetValue(address, out var pre))
        {
            pre = new AdjRibInPrePolicy(Interner);
            _prePolicy.Add(address, pre);
        }
        return pre;
    }

    private void AddPath(RibPeer source, EvpnRoute route, AttributeSet set)
    {
        if (!_byRoute.TryGetValue(route, out var destination))
        {
            destination = new Destination(route);
            _destinations.Add(destination);
        }
        else if (destination.Find(source) is { } existing &&
                 ReferenceEquals(existing.Attributes, set) && existing.Route.Equals(route))
        {
            // The same route again (a duplicate, or a restarting peer re-sending): no change.
            existing.IsStale = false;
            return;
        }
        var path = new RibPath(route, Interner.AddReference(set), source, destination);
        if (destination.Replace(path) is { } replaced)
        {
            replaced.IsStale = false;
            source.PathCount--;
            Interner.Release(replaced.Attributes);
        }
        source.PathCount++;
        Enqueue(destination);
    }

    private void RemovePath(RibPeer source, EvpnRoute route)
    {
        if (_byRoute.TryGetValue(route, out var destination) && destination.Find(source) is { } path)
        {
            Detach(path);
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

    /// <summary>A peer's paths, found by one pass over the Loc-RIB (session loss, stale marking, show).</summary>
    private List<RibPath> PathsOf(RibPeer peer)
    {
        var paths = new List<RibPath>(peer.PathCount);
        if (peer.PathCount == 0)
        {
            return paths;
        }
        foreach (var destination in _destinations)
        {
            if (destination.Find(peer) is { } path)
            {
                paths.Add(path);
            }
        }
        return paths;
    }

    private void Detach(RibPath path)
    {
        path.IsStale = false;
        path.Destination.Remove(path);
        path.Source.PathCount--;
        Interner.Release(path.Attributes);
        Enqueue(path.Destination);
    }

    private void Enqueue(Destination destination)
    {
        if (!destination.IsQueued)
        {
            destination.IsQueued = true;
            _queue.Add(destination);
        }
    }
}
