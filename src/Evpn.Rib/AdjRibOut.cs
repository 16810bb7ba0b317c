using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>What we sent one peer and what is waiting to be sent. A destination that changes again
/// before it is sent is sent once with its latest state (coalescing); one that changes back to what
/// the peer already has is not sent at all. A route refresh re-sends what was sent in slices like any
/// other change; refreshes asked for while one is pending or under way coalesce into one re-send.</summary>
internal sealed class AdjRibOut
{
    private readonly AttributeInterner _interner;
    private readonly Dictionary<EvpnRoute, Entry> _sent = new(RouteKeyComparer.Instance);
    private readonly Dictionary<EvpnRoute, Entry> _pending = new(RouteKeyComparer.Instance);
    private bool _resendRequested;
    private EvpnRoute[]? _resendKeys;
    private int _resendNext;
    private bool _endOfRefreshPending;

    public AdjRibOut(RibPeer peer, AttributeInterner interner)
    {
        Peer = peer;
        _interner = interner;
    }

    public RibPeer Peer { get; }
    public bool EndOfRibPending { get; set; }
    public int SentCount => _sent.Count;
    public int PendingCount => _pending.Count + (_resendRequested ? _sent.Count : (_resendKeys?.Length ?? 0) - _resendNext);
    public bool HasWork => _pending.Count > 0 || Resending || EndOfRibPending || _endOfRefreshPending;

    private bool Resending => _resendRequested || _resendKeys is not null;

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

    /// <summary>RFC 2918 route refresh: everything sent is sent again. The peer wants every route after
    /// its request, so a re-send under way starts over at the next drain; repeated requests only set
    /// this flag, however many arrive before the peer reads again.</summary>
    public void ResendAll() => _resendRequested = true;

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
        if (taken.Count < maxRoutes && Resending)
        {
            // Before the taken keys leave the pending set: a route just sent needs no second copy.
            ResendSlice(groups, maxRoutes - taken.Count);
        }
        foreach (var key in taken)
        {
            _pending.Remove(key);
        }
        // Like End-of-RIB, the end of a refresh waits for the changes still pending: a route skipped by the
        // re-send because its change was pending must reach the peer before the peer sweeps what it did not get.
        var endOfRefresh = _endOfRefreshPending && _pending.Count == 0 && !Resending;
        if (endOfRefresh)
        {
            _endOfRefreshPending = false;
        }
        var endOfRib = EndOfRibPending && _pending.Count == 0 && !Resending;
        if (endOfRib)
        {
            EndOfRibPending = false;
        }
        var announcements = new List<AnnouncementGroup>(groups.Count);
        foreach (var (set, routes) in groups)
        {
            announcements.Add(new AnnouncementGroup(set.Attributes, set.NextHop, routes));
        }
        return new OutboundUpdate(Peer.Address, AfiSafi.L2vpnEvpn, withdrawals, announcements, endOfRib, endOfRefresh);
    }

    /// <summary>The next <paramref name="room"/> routes of the re-send. The keys sent at the start of the
    /// pass are listed once (the table itself is not copied); a route withdrawn since is skipped, and one
    /// with a pending change goes with that change.</summary>
    private void ResendSlice(Dictionary<AttributeSet, List<EvpnRoute>> groups, int room)
    {
        if (_resendRequested)
        {
            _resendRequested = false;
            _resendKeys = [.. _sent.Keys];
            _resendNext = 0;
        }
        var keys = _resendKeys!;
        while (room > 0 && _resendNext < keys.Length)
        {
            var key = keys[_resendNext++];
            if (!_pending.ContainsKey(key) && _sent.TryGetValue(key, out var entry))
            {
                Group(groups, entry);
                room--;
            }
        }
        if (_resendNext == keys.Length)
        {
            _resendKeys = null;
            _resendNext = 0;
            _endOfRefreshPending = true;
        }
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
        _resendRequested = false;
        _resendKeys = null;
        _resendNext = 0;
        _endOfRefreshPending = false;
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
