using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Evpn.Api;

namespace Evpn.Interop.Tests.Harness;

/// <summary>evpnd's view through its management API (src/Evpn.Api) on the node's Unix socket: GET /v1/summary
/// for sessions, GET /v1/routes for the Loc-RIB. A Unix socket is a file, so the test process reaches it from
/// outside the node's network namespace.</summary>
public sealed partial class EvpndView(Lab lab, string socketPath) : ISpeakerView
{
    public async Task<bool> IsEstablishedAsync(string peerIp)
    {
        using var client = new ManagementClient(socketPath, Lab.QueryTimeout);
        var json = await client.GetJsonAsync(ApiPaths.Summary);
        lab.Log($"GET {ApiPaths.Summary} on {socketPath}\n{json}");
        var summary = JsonSerializer.Deserialize<SummaryDocument>(json, ManagementClient.JsonOptions)
                      ?? throw new InvalidDataException("evpnd sent an empty summary");
        return summary.Peers.Any(p => p.Neighbor == peerIp && p.State == "Established");
    }

    public async Task<IReadOnlyList<EvpnRouteView>> RoutesAsync()
    {
        using var client = new ManagementClient(socketPath, Lab.QueryTimeout);
        var json = await client.GetJsonAsync(ApiPaths.Routes);
        lab.Log($"GET {ApiPaths.Routes} on {socketPath}\n{(json.Length <= 6000 ? json : json[..6000] + "...")}");
        var routes = JsonSerializer.Deserialize<IReadOnlyList<RouteEntry>>(json, ManagementClient.JsonOptions)
                     ?? throw new InvalidDataException("evpnd sent an empty route list");
        return routes.Select(View).ToArray();
    }

    private static EvpnRouteView View(RouteEntry r)
    {
        var local = r.Source == "local";
        var pmsi = r.Pmsi is { } text ? PmsiPattern().Match(text) : null;
        return new EvpnRouteView(
            r.Type,
            r.Rd,
            r.Type == 3 ? LastField(r.Prefix) : null,
            r.Mac?.ToLowerInvariant(),
            r.NextHop,
            pmsi is { Success: true } ? pmsi.Groups["type"].Value == "ingress-replication" ? "Ingress Replication" : pmsi.Groups["type"].Value : null,
            pmsi is { Success: true } ? uint.Parse(pmsi.Groups["label"].Value, CultureInfo.InvariantCulture) : null,
            r.ExtendedCommunities,
            local,
            local ? null : r.Source,
            r.OriginatorId,
            r.ClusterList);
    }

    /// <summary>"[3]:[0]:[32]:[10.0.0.1]" -> "10.0.0.1": the type-3 originator is the prefix's last field.</summary>
    private static string LastField(string prefix)
    {
        var open = prefix.LastIndexOf('[');
        var close = prefix.LastIndexOf(']');
        return open >= 0 && close > open ? prefix[(open + 1)..close] : prefix;
    }

    /// <summary>evpnd's PMSI text (src/Evpn.Daemon/Management/ApiViews.cs): "ingress-replication label VNI endpoint IP"
    /// or "tunnel-type N label L".</summary>
    [GeneratedRegex(@"^(?<type>ingress-replication|tunnel-type \d+) label (?<label>\d+)")]
    private static partial Regex PmsiPattern();
}
