using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The local speaker's facts and RIB behaviour.</summary>
/// <param name="LocalAsn">Our AS number.</param>
/// <param name="RouterId">Our BGP identifier (also the ORIGINATOR_ID loop check, RFC 4456 section 8).</param>
/// <param name="IsRouteReflector">RFC 4456: reflect iBGP routes between clients and non-clients.</param>
/// <param name="ClusterId">RFC 4456 section 7: the cluster id; the router id when not set.</param>
/// <param name="KeepPrePolicy">Keep every received route as received (Adj-RIB-In pre-policy), including
/// routes the inbound checks rejected, at the cost of one more entry per route.</param>
/// <param name="UpdateGroupBacklog">Routes an update group's stream holds ahead of a member before that member
/// leaves the stream and catches up from the group's table (<see cref="UpdateGroup"/>).</param>
public sealed record RibOptions(
    uint LocalAsn,
    IpAddr RouterId,
    bool IsRouteReflector = false,
    IpAddr? ClusterId = null,
    bool KeepPrePolicy = false,
    int UpdateGroupBacklog = RibOptions.DefaultUpdateGroupBacklog)
{
    public const int DefaultUpdateGroupBacklog = 65_536;

    public IpAddr EffectiveClusterId => ClusterId ?? RouterId;
}
