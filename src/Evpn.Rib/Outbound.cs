using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Routes sharing one attribute set and next hop: the codec packs them into as few UPDATEs
/// (MP_REACH_NLRI) as the message size allows.</summary>
public sealed record AnnouncementGroup(PathAttributes Attributes, IpAddr NextHop, IReadOnlyList<EvpnRoute> Routes);

/// <summary>What to send one peer for one family: withdrawals first (packed into MP_UNREACH_NLRI),
/// then announcements grouped by attribute set, then End-of-RIB (RFC 4724 section 2) when the
/// initial dump to this peer is complete. <see cref="EndOfRefresh"/> marks the last slice of a route
/// refresh's re-send (RFC 7313 EoRR follows it for peers that negotiated enhanced route refresh).</summary>
public sealed record OutboundUpdate(
    PeerAddress Peer,
    AfiSafi Family,
    IReadOnlyList<EvpnRoute> Withdrawals,
    IReadOnlyList<AnnouncementGroup> Announcements,
    bool EndOfRib,
    bool EndOfRefresh = false)
{
    public int RouteCount => Withdrawals.Count + Announcements.Sum(g => g.Routes.Count);
}

/// <summary>A Loc-RIB best path change handed to the EVPN layer: <see cref="Previous"/> is what was
/// published before (null for a new destination), <see cref="Current"/> what is now (null when gone).
/// <see cref="Key"/> is a route with the destination's key (compare it with <see cref="RouteKeyComparer"/>).</summary>
public readonly record struct BestPathChange(EvpnRoute Key, RibPath? Previous, RibPath? Current);
