using Evpn.Api;
using Evpn.Core;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Management;

/// <summary>What the management API can ask of the running daemon. Implemented by the speaker loop,
/// which answers on its own thread (it is the single owner of the state being shown); large answers are
/// streamed, made a slice per turn of the loop.</summary>
public interface IManagementView
{
    Task<SummaryDocument> SummaryAsync(CancellationToken cancellationToken);
    Task<IReadOnlyList<NeighborDetail>> NeighborsAsync(string? address, CancellationToken cancellationToken);
    /// <summary>The routes in slices taken in turns with the peers' messages.</summary>
    IAsyncEnumerable<RouteEntry> Routes(RouteFilter filter, CancellationToken cancellationToken);
    Task<IReadOnlyList<VniEntry>> VnisAsync(CancellationToken cancellationToken);
    /// <summary>The MACs of <paramref name="vni"/>, or of every VNI one VNI at a time.</summary>
    IAsyncEnumerable<MacAddressEntry> Macs(uint? vni, CancellationToken cancellationToken);
    Task<IReadOnlyList<FloodListEntry>> FloodAsync(uint? vni, CancellationToken cancellationToken);
    Task<ExplainDocument> ExplainAsync(MacAddress mac, uint? vni, CancellationToken cancellationToken);
    Task<RouteExplainDocument> ExplainRouteAsync(RouteExplainQuery query, CancellationToken cancellationToken);
    Task<AuditDocument> AuditAsync(CancellationToken cancellationToken);
    Task<ActionResult> ReloadAsync(CancellationToken cancellationToken);
    /// <summary>Releases duplicate MACs (of <paramref name="vni"/>, or every VNI; only <paramref name="mac"/>, or every
    /// MAC); null when <paramref name="vni"/> is not a VNI of this evpnd.</summary>
    Task<ClearDuplicatesDocument?> ClearDuplicatesAsync(uint? vni, MacAddress? mac, CancellationToken cancellationToken);
    Task<ActionResult> NeighborActionAsync(string address, string action, bool soft, CancellationToken cancellationToken);
}

/// <summary>Which received routes `evpnctl explain route` explains; null fields match everything.</summary>
public sealed record RouteExplainQuery(MacAddress? Mac, RouteDistinguisher? Rd, uint? EthernetTag, EvpnRouteType? Type, uint? Vni);
