namespace Evpn.Api;

// JSON documents of the management API. Field names follow FRR's `show bgp l2vpn evpn ... json`
// where one exists, so that scripts written for FRR need few changes.

/// <summary>GET /v1/summary: like `show bgp l2vpn evpn summary`.</summary>
public sealed record SummaryDocument(
    string RouterId,
    uint As,
    string? LocalVtep,
    int Vnis,
    int RoutesTotal,
    IReadOnlyList<NeighborSummary> Peers);

public sealed record NeighborSummary(
    string Neighbor,
    uint RemoteAs,
    string State,
    string UpDown,
    long MsgRcvd,
    long UpdSent,
    int PfxRcd,
    int PfxSnt,
    string? Desc,
    string? Interface = null);

/// <summary>GET /v1/neighbors/{address}: like `show bgp neighbor`. An interface neighbor (BGP unnumbered) is named by
/// its <see cref="Interface"/>; <see cref="InterfacePeer"/> is the peer's link-local address and how it was found.</summary>
public sealed record NeighborDetail(
    string Neighbor,
    uint RemoteAs,
    uint LocalAs,
    string Type,
    string State,
    string? RemoteRouterId,
    string UpDown,
    int HoldTime,
    int KeepaliveTime,
    IReadOnlyList<string> CapabilitiesAdvertised,
    IReadOnlyList<string> CapabilitiesReceived,
    IReadOnlyList<string> FamiliesNegotiated,
    IReadOnlyDictionary<string, long> MessagesReceived,
    IReadOnlyDictionary<string, long> MessagesSent,
    IReadOnlyDictionary<string, long> UpdateErrors,
    string? LastError,
    string? LastNotificationSent,
    string? LastNotificationReceived,
    string? GracefulRestart,
    string? Description,
    string? Interface = null,
    string? InterfacePeer = null,
    UpdateGroupEntry? UpdateGroup = null);

/// <summary>The update group a neighbor is in: the peers sent the same UPDATEs, packed and encoded once for all.</summary>
/// <param name="Shares">What its members have in common (role and encoding), e.g. "ibgp rr-client as4".</param>
public sealed record UpdateGroupEntry(int Id, string Shares, int Members);

/// <summary>One path of an EVPN route in GET /v1/routes.</summary>
public sealed record RouteEntry(
    int Type,
    string Rd,
    string Prefix,
    uint? Vni,
    string? Mac,
    string? Ip,
    string? NextHop,
    string Source,
    bool Best,
    string? BestReason,
    IReadOnlyList<string> ExtendedCommunities,
    string? Pmsi,
    string? AsPath,
    uint? LocalPref,
    uint? Med,
    bool Stale,
    string? OriginatorId,
    IReadOnlyList<string> ClusterList,
    string? NotInstalled = null,
    RouteFormEntry? Form = null,
    uint? PathId = null);

/// <summary>What a received type-2 or type-3 route says beyond its key: <see cref="Label2Vni"/> and
/// <see cref="RoutersMac"/> of symmetric IRB (null when absent or all-zero), <see cref="Esi"/> of a multihomed host
/// (installed toward the route's VTEP alone until evpnd does multihoming), the Default Gateway and sticky marks.</summary>
public sealed record RouteFormEntry(
    uint? Label2Vni,
    string? RoutersMac,
    string? Esi,
    bool DefaultGateway,
    bool Sticky);

/// <summary>GET /v1/vnis: like `show evpn vni`.</summary>
public sealed record VniEntry(
    uint Vni,
    string Rd,
    IReadOnlyList<string> ImportRts,
    IReadOnlyList<string> ExportRts,
    string? VxlanDevice,
    string? Bridge,
    string? LocalVtep,
    string State,
    int LocalMacs,
    int RemoteMacs,
    int RemoteVteps);

/// <summary>GET /v1/macs: like `show evpn mac vni all`.</summary>
public sealed record MacAddressEntry(
    uint Vni,
    string Mac,
    string Type,
    string? RemoteVtep,
    string? Interface,
    IReadOnlyList<string> Ips,
    uint Sequence,
    bool Sticky,
    bool Duplicate,
    uint? RemoteVni = null);

/// <summary>POST /v1/macs/clear-duplicates: the MACs released from RFC 7432 section 15.1 duplicate state (empty
/// when none matched: nothing changed), and one sentence saying what was done.</summary>
public sealed record ClearDuplicatesDocument(string Message, IReadOnlyList<ClearedDuplicateEntry> Cleared);

/// <summary>One released MAC: since when it was duplicate, whether it was frozen, and where it is served now.</summary>
public sealed record ClearedDuplicateEntry(uint Vni, string Mac, DateTimeOffset DuplicateSince, bool WasFrozen, MacAddressEntry Now);

/// <summary>GET /v1/flood: the remote VTEPs of each VNI's flood list.</summary>
public sealed record FloodListEntry(uint Vni, IReadOnlyList<string> RemoteVteps);

/// <summary>GET /v1/explain?mac=M[&amp;vni=N]: every candidate route for a MAC and why the winner won.</summary>
public sealed record ExplainDocument(
    string Mac,
    uint? Vni,
    IReadOnlyList<ExplainCandidate> Candidates,
    string Verdict,
    IReadOnlyList<string> Kernel);

public sealed record ExplainCandidate(
    string Source,
    string Rd,
    string? Vtep,
    uint Sequence,
    bool Sticky,
    bool Best,
    string Reason,
    string? Import = null);

/// <summary>GET /v1/explain/route?mac=M|rd=RD|tag=T|type=2|3[&amp;vni=N]: received routes and, for each, which VNI
/// it was imported into and why, or why into none.</summary>
public sealed record RouteExplainDocument(IReadOnlyList<RouteImportEntry> Routes, string Verdict);

/// <summary>One received route: what selects a VNI on it, the decision per VNI, and one sentence.</summary>
public sealed record RouteImportEntry(
    string Route,
    string Source,
    string NextHop,
    IReadOnlyList<string> RouteTargets,
    uint? LabelVni,
    IReadOnlyList<ImportDecisionEntry> Vnis,
    string Verdict,
    uint? PathId = null);

public sealed record ImportDecisionEntry(uint Vni, bool Imported, string Reason, IReadOnlyList<string> ImportRouteTargets, uint EthernetTag);

/// <summary>GET /v1/audit: what evpnd intends against what the data plane holds.</summary>
public sealed record AuditDocument(
    bool InSync,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Extra,
    IReadOnlyList<string> WrongVtep);

/// <summary>The answer to POST actions (reload, neighbor shutdown/enable/clear).</summary>
public sealed record ActionResult(bool Ok, string Message, IReadOnlyList<string> Details);
