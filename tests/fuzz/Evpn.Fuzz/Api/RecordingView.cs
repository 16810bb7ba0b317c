using System.Globalization;
using Evpn.Api;
using Evpn.Core;
using Evpn.Daemon.Management;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Api;

/// <summary>The management view the API target serves from: it answers every call with an empty document and
/// keeps what the request was parsed into, as the request evpnctl would send for it (<see cref="Rendered"/>).</summary>
public sealed class RecordingView : IManagementView
{
    /// <summary>The request that asks the view for the last call, written as evpnctl writes it; null when the
    /// request did not reach the view.</summary>
    public (string Method, string PathAndQuery)? Rendered { get; private set; }

    public void Clear() => Rendered = null;

    public Task<SummaryDocument> SummaryAsync(CancellationToken cancellationToken) =>
        Answer(Get(ApiPaths.Summary), new SummaryDocument("10.0.0.1", 65000, null, 0, 0, []));

    public Task<IReadOnlyList<NeighborDetail>> NeighborsAsync(string? address, CancellationToken cancellationToken) =>
        Answer<IReadOnlyList<NeighborDetail>>(Get(address is null ? ApiPaths.Neighbors : ApiPaths.Neighbor(address)), []);

    public IAsyncEnumerable<RouteEntry> Routes(RouteFilter filter, CancellationToken cancellationToken)
    {
        Rendered = Get(ApiPaths.WithQuery(ApiPaths.Routes, ("type", Number((byte?)filter.Type)), ("vni", Number(filter.Vni)), ("rd", filter.Rd?.ToString())));
        return AsyncEnumerable.Empty<RouteEntry>();
    }

    public Task<IReadOnlyList<VniEntry>> VnisAsync(CancellationToken cancellationToken) => Answer<IReadOnlyList<VniEntry>>(Get(ApiPaths.Vnis), []);

    public IAsyncEnumerable<MacAddressEntry> Macs(uint? vni, CancellationToken cancellationToken)
    {
        Rendered = Get(ApiPaths.WithQuery(ApiPaths.Macs, ("vni", Number(vni))));
        return AsyncEnumerable.Empty<MacAddressEntry>();
    }

    public Task<IReadOnlyList<FloodListEntry>> FloodAsync(uint? vni, CancellationToken cancellationToken) =>
        Answer<IReadOnlyList<FloodListEntry>>(Get(ApiPaths.WithQuery(ApiPaths.Flood, ("vni", Number(vni)))), []);

    public Task<ExplainDocument> ExplainAsync(MacAddress mac, uint? vni, CancellationToken cancellationToken) =>
        Answer(Get(ApiPaths.WithQuery(ApiPaths.Explain, ("mac", mac.ToString()), ("vni", Number(vni)))), new ExplainDocument(mac.ToString(), vni, [], "", []));

    public Task<RouteExplainDocument> ExplainRouteAsync(RouteExplainQuery query, CancellationToken cancellationToken) =>
        Answer(Get(ApiPaths.WithQuery(ApiPaths.ExplainRoute, ("mac", query.Mac?.ToString()), ("rd", query.Rd?.ToString()), ("tag", Number(query.EthernetTag)),
            ("type", Number((byte?)query.Type)), ("vni", Number(query.Vni)))), new RouteExplainDocument([], ""));

    public Task<AuditDocument> AuditAsync(CancellationToken cancellationToken) => Answer(Get(ApiPaths.Audit), new AuditDocument(true, [], [], []));

    public Task<ActionResult> ReloadAsync(CancellationToken cancellationToken) => Answer(Post(ApiPaths.Reload), new ActionResult(true, "", []));

    public Task<ClearDuplicatesDocument?> ClearDuplicatesAsync(uint? vni, MacAddress? mac, CancellationToken cancellationToken) =>
        Answer<ClearDuplicatesDocument?>(Post(ApiPaths.WithQuery(ApiPaths.ClearDuplicates, ("vni", Number(vni)), ("mac", mac?.ToString()))), new ClearDuplicatesDocument("", []));

    public Task<ActionResult> NeighborActionAsync(string address, string action, bool soft, CancellationToken cancellationToken) =>
        Answer(Post(ApiPaths.WithQuery(ApiPaths.NeighborAction(address, action), ("soft", soft ? "true" : null))), new ActionResult(true, "", []));

    private Task<T> Answer<T>((string, string) rendered, T document)
    {
        Rendered = rendered;
        return Task.FromResult(document);
    }

    private static (string, string) Get(string pathAndQuery) => ("GET", pathAndQuery);
    private static (string, string) Post(string pathAndQuery) => ("POST", pathAndQuery);

    private static string? Number<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture);
}
