using System.Text.Json;

namespace Evpn.Interop.Tests.Harness;

/// <summary>FRR's view through vtysh JSON. Shapes (FRR 8.4): `show bgp l2vpn evpn summary json` has
/// peers.&lt;ip&gt;.state; `show bgp l2vpn evpn route detail json` maps RD -> prefix -> {routeType, ip, mac,
/// paths: [[{pmsi: {tunnelType, label}, extendedCommunity: {string}, nexthops: [{ip}], local, peer: {peerId},
/// originatorId, clusterList: {list}}]]}.</summary>
public sealed class FrrView(Lab lab, string run, string node) : ISpeakerView
{
    public async Task<bool> IsEstablishedAsync(string peerIp)
    {
        using var doc = JsonDocument.Parse(await lab.VtyshAsync(run, node, "show bgp l2vpn evpn summary json"));
        return doc.RootElement.TryGetProperty("peers", out var peers)
            && peers.TryGetProperty(peerIp, out var peer)
            && peer.TryGetProperty("state", out var state)
            && state.GetString() == "Established";
    }

    public async Task<IReadOnlyList<EvpnRouteView>> RoutesAsync() =>
        Parse(await lab.VtyshAsync(run, node, "show bgp l2vpn evpn route detail json"));

    public static IReadOnlyList<EvpnRouteView> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var routes = new List<EvpnRouteView>();
        foreach (var rd in doc.RootElement.EnumerateObject())
        {
            if (rd.Value.ValueKind != JsonValueKind.Object)
            {
                continue; // numPrefix, numPaths
            }
            foreach (var prefix in rd.Value.EnumerateObject())
            {
                if (prefix.Value.ValueKind != JsonValueKind.Object || !prefix.Value.TryGetProperty("paths", out var paths))
                {
                    continue; // "rd": "10.0.0.1:2"
                }
                var type = prefix.Value.GetProperty("routeType").GetInt32();
                foreach (var path in paths.EnumerateArray().SelectMany(group => group.EnumerateArray()))
                {
                    routes.Add(new EvpnRouteView(
                        type,
                        rd.Name,
                        type == 3 ? StringOrNull(prefix.Value, "ip") : null,
                        StringOrNull(prefix.Value, "mac"),
                        path.TryGetProperty("nexthops", out var nhs) && nhs.GetArrayLength() > 0 ? StringOrNull(nhs[0], "ip") : null,
                        path.TryGetProperty("pmsi", out var pmsi) ? StringOrNull(pmsi, "tunnelType") : null,
                        path.TryGetProperty("pmsi", out var p) && p.TryGetProperty("label", out var label) ? label.GetUInt32() : null,
                        path.TryGetProperty("extendedCommunity", out var ec) && StringOrNull(ec, "string") is { } s
                            ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                            : [],
                        path.TryGetProperty("local", out var local) && local.GetBoolean(),
                        path.TryGetProperty("peer", out var peer) && StringOrNull(peer, "peerId") is { } from && from != "0.0.0.0" ? from : null,
                        StringOrNull(path, "originatorId"),
                        path.TryGetProperty("clusterList", out var cl) && cl.TryGetProperty("list", out var list)
                            ? list.EnumerateArray().Select(c => c.GetString()!).ToArray()
                            : []));
                }
            }
        }
        return routes;
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
