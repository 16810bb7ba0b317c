using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>A received route as the peer sent it, and whether the inbound checks accepted it.</summary>
public sealed record ReceivedRoute(EvpnRoute Route, PathAttributes Attributes, IpAddr NextHop, InboundRejection Rejection);

/// <summary>Adj-RIB-In pre-policy of one peer (kept only with <see cref="RibOptions.KeepPrePolicy"/>).</summary>
internal sealed class AdjRibInPrePolicy
{
    private readonly AttributeInterner _interner;
    private readonly Dictionary<EvpnRoute, (EvpnRoute Route, AttributeSet Set, InboundRejection Rejection)> _routes = new(RouteKeyComparer.Instance);

    public AdjRibInPrePolicy(AttributeInterner interner) => _interner = interner;

    public int Count => _routes.Count;

    public void Put(EvpnRoute route, AttributeSet set, InboundRejection rejection)
    {
        _interner.AddReference(set);
        if (_routes.Remove(route, out var old))
        {
            _interner.Release(old.Set);
        }
        _routes[route] = (route, set, rejection);
    }

    public void Remove(EvpnRoute route)
    {
        if (_routes.Remove(route, out var old))
        {
            _interner.Release(old.Set);
        }
    }

    public void Clear()
    {
        foreach (var entry in _routes.Values)
        {
            _interner.Release(entry.Set);
        }
        _routes.Clear();
    }

    public IEnumerable<ReceivedRoute> Routes() =>
        _routes.Values.Select(e => new ReceivedRoute(e.Route, e.Set.Attributes, e.Set.NextHop, e.Rejection));
}
