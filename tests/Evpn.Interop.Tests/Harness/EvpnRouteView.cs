namespace Evpn.Interop.Tests.Harness;

/// <summary>One EVPN path as a speaker shows it, reduced to what the interop tests compare across speakers.</summary>
/// <param name="RouteType">RFC 7432 section 7: 2 = MAC/IP advertisement, 3 = inclusive multicast Ethernet tag.</param>
/// <param name="Originator">Type-3: the originating router's IP (the remote VTEP). Type-2: null.</param>
/// <param name="Mac">Type-2: the advertised MAC (lower case, colon separated). Type-3: null.</param>
/// <param name="NextHop">The path's next hop: the VTEP traffic is tunnelled to.</param>
/// <param name="PmsiTunnelType">Type-3: the PMSI tunnel attribute's type as the speaker names it (RFC 6514 section 5).</param>
/// <param name="PmsiLabel">Type-3: the PMSI label, which for VXLAN carries the VNI (RFC 8365 section 5.1.3).</param>
/// <param name="ExtendedCommunities">As the speaker prints them, e.g. "ET:8" (encapsulation VXLAN), "RT:65002:100".</param>
/// <param name="Local">True for a path this speaker originated itself.</param>
/// <param name="ReceivedFrom">The peer the path came from (null for a local path).</param>
/// <param name="OriginatorId">RFC 4456 ORIGINATOR_ID, set by a route reflector; null when absent.</param>
/// <param name="ClusterList">RFC 4456 CLUSTER_LIST, one entry per reflection; empty when absent.</param>
public sealed record EvpnRouteView(
    int RouteType,
    string Rd,
    string? Originator,
    string? Mac,
    string? NextHop,
    string? PmsiTunnelType,
    uint? PmsiLabel,
    IReadOnlyList<string> ExtendedCommunities,
    bool Local,
    string? ReceivedFrom,
    string? OriginatorId,
    IReadOnlyList<string> ClusterList)
{
    public bool HasCommunity(string community) => ExtendedCommunities.Contains(community, StringComparer.Ordinal);

    /// <summary>True when a route target "RT:&lt;any AS&gt;:vni" is attached.</summary>
    public bool HasRouteTargetForVni(uint vni) =>
        ExtendedCommunities.Any(c => c.StartsWith("RT:", StringComparison.Ordinal) && c.EndsWith(":" + vni, StringComparison.Ordinal));

    public override string ToString() =>
        $"type-{RouteType} rd {Rd} {(RouteType == 3 ? "originator " + Originator : "mac " + Mac)} nh {NextHop}"
        + $"{(PmsiLabel is { } l ? $" pmsi {PmsiTunnelType} label {l}" : "")} [{string.Join(' ', ExtendedCommunities)}]{(Local ? " local" : " from " + ReceivedFrom)}"
        + $"{(OriginatorId is null ? "" : " originator-id " + OriginatorId)}{(ClusterList.Count == 0 ? "" : " cluster-list " + string.Join(',', ClusterList))}";
}
