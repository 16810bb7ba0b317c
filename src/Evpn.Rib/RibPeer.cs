using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>What the session layer reports when a BGP session reaches Established: the facts the RIB
/// needs for best path (RFC 4271 section 9.1.2), route reflection (RFC 4456) and export. <see cref="SendContext"/>
/// is what the session negotiated for encoding (4-octet AS, extended messages, add-path): peers whose encoding and
/// export rules are equal share an update group. <see cref="ReceivesPathIds"/>: add-path receive was negotiated for
/// L2VPN EVPN (RFC 7911), so its routes carry path identifiers.</summary>
public sealed record PeerSession(
    PeerAddress Address,
    uint PeerAsn,
    IpAddr RouterId,
    bool IsInternal,
    IReadOnlyCollection<AfiSafi> Families,
    bool IsRouteReflectorClient = false,
    DecodeContext? SendContext = null,
    bool ReceivesPathIds = false);

/// <summary>A source of paths in the RIB: a BGP peer, or the local speaker for routes it originates.
/// Mutable, owned by the RIB. Its paths are not linked from here (two pointers per route would cost
/// more than the rare session loss): finding them is one pass over the Loc-RIB.</summary>
public sealed class RibPeer
{
    internal RibPeer(PeerSession session, bool isLocal)
    {
        Session = session;
        IsLocal = isLocal;
    }

    public PeerSession Session { get; internal set; }
    public bool IsLocal { get; }
    public PeerAddress Address => Session.Address;
    public bool IsInternal => Session.IsInternal;
    public bool IsRouteReflectorClient => Session.IsRouteReflectorClient;

    /// <summary>True while the session is Established (always true for the local source).</summary>
    public bool IsEstablished { get; internal set; }

    /// <summary>RFC 4724: the session went down with graceful restart; its paths are kept as stale.</summary>
    public bool IsRestarting { get; internal set; }

    /// <summary>Paths this source contributes to the Loc-RIB (its Adj-RIB-In post-policy).</summary>
    public int PathCount { get; internal set; }

    /// <summary>The update group it is in while Established with EVPN, and its place there.</summary>
    internal UpdateGroup? Group;
    internal GroupMember? Member;

    /// <summary>The id of its update group (show and metrics); null when in none.</summary>
    public int? UpdateGroupId => Group?.Id;

    /// <summary>RFC 4724: this source's paths marked stale (see <see cref="RibPath.IsStale"/>); null when none.</summary>
    internal HashSet<RibPath>? StalePaths;

    /// <summary>Routes its update group sent and did not withdraw, but those that came from this peer (FRR's PfxSnt);
    /// 0 for the local source.</summary>
    public int RoutesSent => Group?.Table.StreamedTo(this) ?? 0;

    public override string ToString() => IsLocal ? "local" : Address.ToString();
}
