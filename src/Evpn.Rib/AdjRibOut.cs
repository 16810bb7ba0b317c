using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>What we sent one peer and what is waiting to be sent. A destination that changes again
/// before it is sent is sent once with its latest state (coalescing); one that changes back to what
/// the peer already has is not sent at all.</summary>
internal sealed class AdjRibOut
{
    private readonly AttributeInterner _interner;
    private readonly Dictionary<EvpnRoute, Entry> _sent = new(RouteKeyComparer.Instance);
    private readonly Dictionary<EvpnRoute, Entry> _pending = new(RouteKeyComparer.Instance);
    private bool _resendAll;

    public AdjRibOut(RibPeer peer, AttributeInterner interner)
    {
        Peer = peer;
        _interner = interner;
    }

    public RibPeer Peer { get; }
    public bool EndOfRibPending { get; set; }
    public int SentCount => _sent.Count;
    public int PendingCount => _pending.Count + (_resendAll ? _sent.Count : 0);
    public bool HasWork => _pending.Count > 0 || _resendAll || EndOfRibPending;

    /// <summary>An attribute set of null means "not advertised" (withdraw if sent).
    /// The reference on <paramref name="attributes"/> passes to this table.</summary>
    public void Stage(EvpnRoute route, AttributeSet? attributes)
    {
        if (_pending.Remove(route, out var queued) && queued.Attributes is { } old)
        {
            _interner.Release(old);
        }
        var hasSent = _sent.TryGetValue(route, out var sent);
        var unchanged = attributes is null
            ? !hasSent
            : hasSent && ReferenceEquals(sent.Attributes, attributes) && sent.Route.Equals(route);
        if (unchanged)
        {
            if (attributes is not null)
            {
                _interner.Release(attributes);
            }
            return;
        }
        _pending[route] = new Entry(route, attributes);
    }

    /// <summary>RFC 2918 route refresh: everything sent is sent again.</summary>
    public void ResendAll() => _resendAll = true;

    /// <summary>Takes up to <paramref name="maxRoutes"/> pending changes as one outbound batch.</summary>
    public OutboundUpdate Drain(int maxRoutes)
    {
        var withdrawals = new List<EvpnRoute>();
        var groups = new Dictionary<AttributeSet, List<EvpnRoute>>(ReferenceEqualityComparer.Instance);
        var taken = new List<EvpnRoute>();
        foreach (var (key, entry) in _pending)
        {
            if (taken.Count >= maxRoutes)
            {
                break;
            }
            taken.Add(key);
            if (entry.Attributes is null)
            {
                if (_sent.Remove(key, out var old))
                {
                    withdrawals.Add(old.Route);
                    _interner.Release(old.Attributes!);
                }
                continue;
            }
            if (_sent.Remove(key, out var replaced))
            {
                _interner.Release(replaced.Attributes!);
            }
            _sent[entry.Route] = entry;
            Group(groups, entry);
        }
        foreach (var key in taken)
        {
            _pending.Remove(key);
        }
        if (_resendAll && taken.Count < maxRoutes)
        {
            foreach (var entry in _sent.Values)
            {
                if (!_pending.ContainsKey(entry.Route))
                {
                    Group(groups, entry);
                }
            }
            _resendAll = false;
        }
        var endOfRib = EndOfRibPending && _pending.Count == 0 && !_resendAll;
        if (endOfRib)
        {
            EndOfRibPending = false;
        }
        var announcements = new List<AnnouncementGroup>(groups.Count);
        foreach (var (set, routes) in groups)
        {
            announcements.Add(new AnnouncementGroup(set.Attributes, set.NextHop, routes));
        }
        return new OutboundUpdate(Peer.Address, AfiSafi.L2vpnEvpn, withdrawals, announcements, endOfRib);
    }

    public IEnumerable<(EvpnRoute Route, AttributeSet Attributes)> Sent()
    {
        foreach (var entry in _sent.Values)
        {
            yield return (entry.Route, entry.Attributes!);
        }
    }

    /// <summary>Drops everything (session down), returning every reference held.</summary>
    public void Clear()
    {
        foreach (var entry in _sent.Values)
        {
            _interner.Release(entry.Attributes!);
        }
        foreach (var entry in _pending.Values)
        {
            if (entry.Attributes is { } set)
            {
                _interner.Release(set);
            }
        }
        _sent.Clear();
        _pending.Clear();
        _resendAll = false;
        EndOfRibPending = false;
    }

    private static void Group(Dictionary<AttributeSet, List<EvpnRoute>> groups, Entry entry)
    {
        if (!groups.TryGetValue(entry.Attributes!, out var routes))
        {
            routes = new List<EvpnRoute>();
            groups.Add(entry.Attributes!, routes);
        }
        routes.Add(entry.Route);
    }

    private readonly record struct Entry(EvpnRoute Route, AttributeSet? Attributes);
}
