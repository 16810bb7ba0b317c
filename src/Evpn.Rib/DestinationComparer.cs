using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Loc-RIB members (a <see cref="Destination"/> for a key with several paths, or the only
/// <see cref="RibPath"/> of a key) compared by their route key, and looked up by a route without building
/// one: the Loc-RIB is a set of members rather than a route-to-destination map, which saves a reference
/// per entry (a million entries make that 8 MB and a shorter resize copy).</summary>
internal sealed class DestinationComparer : IEqualityComparer<object>, IAlternateEqualityComparer<EvpnRoute, object>
{
    public static readonly DestinationComparer Instance = new();

    private DestinationComparer() { }

    public static EvpnRoute KeyOf(object member) => member is RibPath path ? path.Route : ((Destination)member).Key;

    public new bool Equals(object? x, object? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && RouteKeyComparer.Instance.Equals(KeyOf(x), KeyOf(y)));

    public int GetHashCode(object member) => RouteKeyComparer.Instance.GetHashCode(KeyOf(member));

    public bool Equals(EvpnRoute route, object member) => RouteKeyComparer.Instance.Equals(route, KeyOf(member));

    public int GetHashCode(EvpnRoute route) => RouteKeyComparer.Instance.GetHashCode(route);

    public object Create(EvpnRoute route) => new Destination(route);
}
