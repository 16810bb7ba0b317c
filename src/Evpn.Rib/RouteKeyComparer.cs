using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Equality of EVPN routes by their RIB key, not by every NLRI field.</summary>
/// <remarks>
///   Type 1 (RFC 7432 section 7.1): RD, ESI, Ethernet tag. Type 2 (section 7.2): RD, Ethernet tag,
///   MAC, IP; the ESI and the labels are not part of the key, so a route re-sent with another label
///   replaces the old one. Type 3 (section 7.3): RD, Ethernet tag, originator IP. Type 4 (section 7.4):
///   RD, ESI, originator IP. Type 5 (RFC 9136 section 3.1): RD, Ethernet tag, prefix length, prefix.
/// </remarks>
public sealed class RouteKeyComparer : IEqualityComparer<EvpnRoute>
{
    public static readonly RouteKeyComparer Instance = new();

    private RouteKeyComparer() { }

    public bool Equals(EvpnRoute? x, EvpnRoute? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }
        if (x is null || y is null || x.Rd != y.Rd)
        {
            return false;
        }
        return (x, y) switch
        {
            (MacIpAdvertisementRoute a, MacIpAdvertisementRoute b) => a.Mac == b.Mac && a.EthernetTag == b.EthernetTag && a.Ip == b.Ip,
            (InclusiveMulticastRoute a, InclusiveMulticastRoute b) => a.EthernetTag == b.EthernetTag && a.OriginatorIp == b.OriginatorIp,
            (EthernetAutoDiscoveryRoute a, EthernetAutoDiscoveryRoute b) => a.Esi == b.Esi && a.EthernetTag == b.EthernetTag,
            (EthernetSegmentRoute a, EthernetSegmentRoute b) => a.Esi == b.Esi && a.OriginatorIp == b.OriginatorIp,
            (IpPrefixRoute a, IpPrefixRoute b) => a.EthernetTag == b.EthernetTag && a.PrefixLength == b.PrefixLength && a.Prefix == b.Prefix,
            _ => false,
        };
    }

    public int GetHashCode(EvpnRoute route) => route switch
    {
        MacIpAdvertisementRoute r => HashCode.Combine(r.Rd.Raw, r.Mac.Value, r.EthernetTag, r.Ip),
        InclusiveMulticastRoute r => HashCode.Combine(3, r.Rd.Raw, r.EthernetTag, r.OriginatorIp),
        EthernetAutoDiscoveryRoute r => HashCode.Combine(1, r.Rd.Raw, r.Esi, r.EthernetTag),
        EthernetSegmentRoute r => HashCode.Combine(4, r.Rd.Raw, r.Esi, r.OriginatorIp),
        IpPrefixRoute r => HashCode.Combine(5, r.Rd.Raw, r.EthernetTag, r.PrefixLength, r.Prefix),
        _ => route.Rd.GetHashCode(),
    };
}
