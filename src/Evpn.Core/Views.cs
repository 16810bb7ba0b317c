using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>A MAC-VRF as show commands see it.</summary>
public sealed record VniView(
    uint Vni,
    RouteDistinguisher Rd,
    IReadOnlyList<ExtendedCommunity> ImportRouteTargets,
    IReadOnlyList<ExtendedCommunity> ExportRouteTargets,
    bool Configured,
    bool Present,
    IpAddr LocalVtep,
    int LocalMacs,
    int RemoteMacs,
    int FloodVteps);

public enum MacLocation : byte
{
    Local,
    Remote,

    /// <summary>Known (e.g. a local neighbor whose MAC is not learned yet, or moved away) but not served.</summary>
    Inactive,
}

/// <summary>One MAC of a MAC-VRF: where it is, with what sequence number, and its IPs.</summary>
public sealed record MacView(
    uint Vni,
    MacAddress Mac,
    MacLocation Location,
    IpAddr? Vtep,
    uint Sequence,
    bool Sticky,
    bool Duplicate,
    int Moves,
    IReadOnlyList<IpAddr> Ips,
    string? LocalPort,
    bool DefaultGateway,
    uint? RemoteVni = null);

/// <summary>A duplicate MAC an operator released (<see cref="EvpnCore.ClearDuplicates"/>): since when it was
/// duplicate, whether it was frozen, and where it is now that it is served again.</summary>
public sealed record ClearedDuplicate(DateTimeOffset DuplicateSince, bool WasFrozen, MacView Now);

/// <summary>Filter for <see cref="CoreQueries.Routes"/>; null fields match everything.</summary>
public sealed record RouteFilter(EvpnRouteType? Type = null, uint? Vni = null, RouteDistinguisher? Rd = null, MacAddress? Mac = null);

/// <summary>One path of the Loc-RIB; <see cref="NotInstalled"/> says why a received one stays out of the data plane;
/// <see cref="PathId"/> is its RFC 7911 path identifier when its peer sends them.</summary>
public sealed record RouteView(
    EvpnRoute Route,
    PathAttributes Attributes,
    IpAddr NextHop,
    string Source,
    bool IsBest,
    bool IsStale,
    BestPathReason? BestReason,
    uint? LabelVni,
    string? NotInstalled = null,
    uint? PathId = null);

/// <summary>One claimed location of a MAC and how it fared against the winner.</summary>
public sealed record MacCandidateView(
    bool IsLocal,
    IpAddr Vtep,
    uint Sequence,
    bool Sticky,
    EvpnRoute? Route,
    string? LearnedFrom,
    bool IsWinner,
    MobilityReason Reason,
    BestPathReason? BgpReason,
    int BgpCandidates,
    string? Import = null);

/// <summary>Why a received route was or was not imported into one MAC-VRF (RFC 8365 sections 5.1.2, 5.1.3).
/// The first three import; the others do not.</summary>
public enum ImportReason : byte
{
    /// <summary>VLAN-aware bundle: the route's Ethernet Tag names the VNI.</summary>
    ByEthernetTag,

    /// <summary>VLAN-based service: the VXLAN label is the VNI.</summary>
    ByLabel,

    /// <summary>VLAN-based service: the label names another VNI, but a route target is imported by this VNI alone.</summary>
    ByUniqueRouteTarget,

    /// <summary>A route target matches, but the Ethernet Tag names another VNI.</summary>
    EthernetTagMismatch,

    /// <summary>A route target matches but is shared with other VNIs, and the label does not name this one.</summary>
    LabelMismatch,

    /// <summary>None of the route's route targets is imported by the VNI.</summary>
    NoRouteTargetMatch,
}

/// <summary><c>explain mac</c>: every location claimed for the MAC and why the winner won
/// (RFC 7432 section 15 between locations, RFC 4271 section 9.1.2 between paths of one route).</summary>
public sealed record MacExplanation(
    uint Vni,
    MacAddress Mac,
    bool VniKnown,
    IReadOnlyList<MacCandidateView> Candidates,
    MacCandidateView? Winner,
    bool Duplicate,
    string Summary);

/// <summary>How a received route fared with one VNI: imported or why not.</summary>
public sealed record ImportDecisionView(uint Vni, bool Imported, ImportReason Reason, IReadOnlyList<ExtendedCommunity> ImportRouteTargets, uint EthernetTag);

/// <summary><c>explain route</c>: one received route (its best path), what selects a VNI on it (route targets,
/// Ethernet Tag, label), the decision for every VNI it matched by route target, or when none did, the nearest ones.</summary>
public sealed record RouteImportExplanation(
    EvpnRoute Route,
    string Source,
    IpAddr NextHop,
    IReadOnlyList<ExtendedCommunity> RouteTargets,
    uint EthernetTag,
    uint? LabelVni,
    IReadOnlyList<ImportDecisionView> Decisions,
    string Summary,
    uint? PathId = null);
