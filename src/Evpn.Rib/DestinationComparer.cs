using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Destinations compared by their route key, and looked up by a route without building one:
/// the Loc-RIB is a set of destinations rather than a route-to-destination map, which saves a
/// reference per entry (a million entries make that 8 MB and a shorter resize copy).</summary>
internal sealed class DestinationComparer : IEqualityComparer<Destination>, IAlternateEqualityComparer<EvpnRoute, Destination>
{
    public static readonly DestinationComparer Instance = new();

    private DestinationComparer() { }

    public bool Equals(Destination? x, Destination? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && RouteKeyComparer.Instance.Equals(x.Key, y.Key));

    public int GetHashCode(Destination destination) => RouteKeyComparer.Instance.GetHashCode(destination.Key);

    public bool Equals(EvpnRoute route, Destination destination) => RouteKeyComparer.Instance.Equals(route, destination.Key);

    public int GetHashCode(EvpnRoute route) => RouteKeyComparer.Instance.GetHashCode(route);

    public Destination Create(EvpnRoute route) => new(route);
}
