using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>MP_REACH_NLRI, RFC 4760 section 3, for a family the codec understands.</summary>
/// <param name="Family">AFI/SAFI of the NLRI.</param>
/// <param name="NextHop">The next hop: a VTEP address for EVPN (4 or 16 octets, RFC 7432 section 7),
/// the global address for IPv6 unicast.</param>
/// <param name="LinkLocalNextHop">RFC 2545 section 3: the optional second (link-local) IPv6 next hop.</param>
/// <param name="Nlri">The reachable NLRI.</param>
public sealed record MpReachNlri(AfiSafi Family, IpAddr NextHop, IpAddr? LinkLocalNextHop, EquatableArray<Nlri> Nlri)
{
    public MpReachNlri(AfiSafi family, IpAddr nextHop, EquatableArray<Nlri> nlri)
        : this(family, nextHop, null, nlri)
    {
    }
}

/// <summary>MP_UNREACH_NLRI, RFC 4760 section 4. With no NLRI it is the End-of-RIB marker of its
/// family (RFC 4724 section 2).</summary>
public sealed record MpUnreachNlri(AfiSafi Family, EquatableArray<Nlri> Nlri);
