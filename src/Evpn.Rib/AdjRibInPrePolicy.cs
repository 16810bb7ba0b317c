using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>A received route as the peer sent it (with its RFC 7911 path identifier, 0 without add-path), and
/// whether the inbound checks accepted it.</summary>
public sealed record ReceivedRoute(EvpnRoute Route, PathAttributes Attributes, IpAddr NextHop, InboundRejection Rejection, uint PathId = 0);

/// <summary>Adj-RIB-In pre-policy of one peer (kept only with <see cref="RibOptions.KeepPrePolicy"/>), one entry per
/// route and path identifier.</summary>
internal sealed class AdjRibInPrePolicy
{
    private readonly AttributeInterner _interner;
    private readonly Dictionary<PathKey, (EvpnRoute Route, AttributeSet Set, InboundRejection Rejection)> _routes = new(PathKeyComparer.Instance);

    public AdjRibInPrePolicy(AttributeInterner interner) => _interner = interner;

    public int Count => _routes.Count;

    public void Put(EvpnRoute route, uint pathId, AttributeSet set, InboundRejection rejection)
    {
        _interner.AddReference(set);
        var key = new PathKey(route, pathId);
        if (_routes.Remove(key, out var old))
        {
            _interner.Release(old.Set);
        }
        _routes[key] = (route, set, rejection);
    }

    public void Remove(EvpnRoute route, uint pathId)
    {
        if (_routes.Remove(new PathKey(route, pathId), out var old))
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
        _routes.Select(e => new ReceivedRoute(e.Value.Route, e.Value.Set.Attributes, e.Value.Set.NextHop, e.Value.Rejection, e.Key.PathId));

    private readonly record struct PathKey(EvpnRoute Route, uint PathId);

    /// <summary>The route by its RIB key (<see cref="RouteKeyComparer"/>), then the path identifier.</summary>
    private sealed class PathKeyComparer : IEqualityComparer<PathKey>
    {
        public static readonly PathKeyComparer Instance = new();

        public bool Equals(PathKey x, PathKey y) => x.PathId == y.PathId && RouteKeyComparer.Instance.Equals(x.Route, y.Route);

        public int GetHashCode(PathKey key) => HashCode.Combine(RouteKeyComparer.Instance.GetHashCode(key.Route), key.PathId);
    }
}
