using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Routes sharing one attribute set and next hop: the codec packs them into as few UPDATEs
/// (MP_REACH_NLRI) as the message size allows.</summary>
public sealed record AnnouncementGroup(PathAttributes Attributes, IpAddr NextHop, IReadOnlyList<EvpnRoute> Routes);

/// <summary>What to send one peer for one family: the <see cref="Segments"/> due to it in order (in each batch
/// withdrawals first, packed into MP_UNREACH_NLRI, then announcements by attribute set), then End-of-RIB
/// (RFC 4724 section 2) when the initial dump to this peer is complete. <see cref="EndOfRefresh"/> marks the last
/// slice of a route refresh's re-send (RFC 7313 EoRR follows it for peers that negotiated enhanced route refresh).
/// Segments of the update group's stream are shared with the group's other members, packed and encoded once
/// with <see cref="Encoding"/>, the encoding every member of the group negotiated.</summary>
public sealed record OutboundUpdate(
    PeerAddress Peer,
    AfiSafi Family,
    IReadOnlyList<OutboundSegment> Segments,
    bool EndOfRib,
    bool EndOfRefresh = false)
{
    public DecodeContext Encoding { get; init; } = DecodeContext.Default;

    public IReadOnlyList<EvpnRoute> Withdrawals => [.. Segments.Where(s => s.IsWithdrawal).SelectMany(s => s.Routes)];

    public IReadOnlyList<AnnouncementGroup> Announcements =>
        [.. Segments.Where(s => !s.IsWithdrawal).Select(s => new AnnouncementGroup(s.Set!.Attributes, s.Set.NextHop, s.Routes))];

    public int RouteCount => Segments.Sum(s => s.Routes.Count);
}

/// <summary>A Loc-RIB best path change handed to the EVPN layer: <see cref="Previous"/> is what was
/// published before (null for a new destination), <see cref="Current"/> what is now (null when gone).
/// <see cref="Key"/> is a route with the destination's key (compare it with <see cref="RouteKeyComparer"/>).</summary>
public readonly record struct BestPathChange(EvpnRoute Key, RibPath? Previous, RibPath? Current);
