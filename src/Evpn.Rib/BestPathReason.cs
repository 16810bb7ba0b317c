namespace Evpn.Rib;

/// <summary>The decision step that made one path better than another, in decision order: a later
/// step only decides when every earlier one tied. Kept with each best path for <c>explain</c>.</summary>
public enum BestPathReason : byte
{
    /// <summary>No other candidate.</summary>
    OnlyPath,

    /// <summary>RFC 7432 section 15.2: a sticky (static) MAC route wins over a non-sticky one.</summary>
    StickyMac,

    /// <summary>RFC 7432 section 15.1: the higher MAC Mobility sequence number wins.</summary>
    MobilitySequence,

    /// <summary>Locally originated routes carry the highest weight (implementation-local, before LOCAL_PREF).</summary>
    Weight,

    /// <summary>RFC 4271 section 9.1.1: higher LOCAL_PREF (100 when absent or learned over eBGP).</summary>
    LocalPreference,

    /// <summary>RFC 4271 section 9.1.2.2 a): shorter AS_PATH.</summary>
    AsPathLength,

    /// <summary>RFC 4271 section 9.1.2.2 b): lower ORIGIN (IGP, EGP, INCOMPLETE).</summary>
    Origin,

    /// <summary>RFC 4271 section 9.1.2.2 c): lower MED, among paths from the same neighbouring AS.</summary>
    MultiExitDiscriminator,

    /// <summary>RFC 4271 section 9.1.2.2 d): a path learned over eBGP wins over one learned over iBGP.</summary>
    ExternalOverInternal,

    /// <summary>RFC 4271 section 9.1.2.2 f), with ORIGINATOR_ID standing in for the router id (RFC 4456 section 9).</summary>
    RouterId,

    /// <summary>RFC 4456 section 9: shorter CLUSTER_LIST.</summary>
    ClusterListLength,

    /// <summary>RFC 4271 section 9.1.2.2 g): lower peer address.</summary>
    PeerAddress,

    /// <summary>Two paths of one add-path peer that tie on everything else: the lower RFC 7911 path identifier, so that
    /// the choice does not depend on the order the paths arrived in.</summary>
    PathIdentifier,
}
