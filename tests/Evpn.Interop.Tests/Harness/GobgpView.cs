using System.Globalization;
using System.Text.Json;

namespace Evpn.Interop.Tests.Harness;

/// <summary>GoBGP's view through `gobgp -j` (3.10): `neighbor IP -j` has state.session_state (6 = established);
/// `global rib -a evpn -j` maps destination -> [{nlri: {type, value: {rd: {admin, assigned}, ip, mac}},
/// attrs: [{type: 14 (MP_REACH), nexthop}, {type: 16 (extended communities), value: [...]},
/// {type: 22 (PMSI tunnel), tunnel-type, label}, {type: 9 (ORIGINATOR_ID), value}, {type: 10 (CLUSTER_LIST), value: [...]}],
/// neighbor-ip}]. Names are normalized to FRR's wording
/// ("Ingress Replication", "ET:8", "RT:AS:N") so the same assertions apply.</summary>
public sealed class GobgpView(Lab lab, string run, string node) : ISpeakerView
{
    /// <summary>RFC 6514 section 5: PMSI tunnel type 6 is ingress replication.</summary>
    private const int IngressReplication = 6;

    public async Task<bool> IsEstablishedAsync(string peerIp)
    {
        var result = await lab.TryRunAsync(LabPaths.LabCli, ["gobgp", run, node, "neighbor", peerIp, "-j"], Lab.QueryTimeout);
        if (!result.Succeeded)
        {
            return false;
        }
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement.TryGetProperty("state", out var state)
            && state.TryGetProperty("session_state", out var s)
            && (s.ValueKind == JsonValueKind.Number ? s.GetInt32() == 6 : s.GetString() == "established");
    }

    public async Task<IReadOnlyList<EvpnRouteView>> RoutesAsync()
    {
        var result = await lab.RunAsync(LabPaths.LabCli, ["gobgp", run, node, "global", "rib", "-a", "evpn", "-j"], Lab.QueryTimeout);
        return Parse(result.StandardOutput);
    }

    public static IReadOnlyList<EvpnRouteView> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var routes = new List<EvpnRouteView>();
        foreach (var destination in doc.RootElement.EnumerateObject())
        {
            foreach (var path in destination.Value.EnumerateArray())
            {
                var nlri = path.GetProperty("nlri");
                var type = nlri.GetProperty("type").GetInt32();
                var value = nlri.GetProperty("value");
                var rd = value.GetProperty("rd");
                string? nextHop = null, pmsiType = null, originatorId = null;
                var clusterList = new List<string>();
                uint? pmsiLabel = null;
                var communities = new List<string>();
                foreach (var attr in path.GetProperty("attrs").EnumerateArray())
                {
                    switch (attr.GetProperty("type").GetInt32())
                    {
                        case 9:
                            originatorId = attr.GetProperty("value").GetString();
                            break;
                        case 10:
                            clusterList.AddRange(attr.GetProperty("value").EnumerateArray().Select(c => c.GetString()!));
                            break;
                        case 14:
                            nextHop = attr.GetProperty("nexthop").GetString();
                            break;
                        case 16:
                            communities.AddRange(attr.GetProperty("value").EnumerateArray().Select(Community));
                            break;
                        case 22:
                            pmsiType = attr.GetProperty("tunnel-type").GetInt32() == IngressReplication
                                ? "Ingress Replication"
                                : attr.GetProperty("tunnel-type").GetInt32().ToString(CultureInfo.InvariantCulture);
                            pmsiLabel = attr.GetProperty("label").GetUInt32();
                            break;
                    }
                }
                routes.Add(new EvpnRouteView(
                    type,
                    $"{Scalar(rd.GetProperty("admin"))}:{Scalar(rd.GetProperty("assigned"))}",
                    type == 3 ? value.GetProperty("ip").GetString() : null,
                    type == 2 ? value.GetProperty("mac").GetString() : null,
                    nextHop,
                    pmsiType,
                    pmsiLabel,
                    communities,
                    !path.TryGetProperty("neighbor-ip", out _),
                    path.TryGetProperty("neighbor-ip", out var from) ? from.GetString() : null,
                    originatorId,
                    clusterList));
            }
        }
        return routes;
    }

    /// <summary>RFC 4360 extended communities as GoBGP prints them: type 3 subtype 12 is the encapsulation
    /// community (RFC 9012 section 4.1), subtype 2 a route target.</summary>
    private static string Community(JsonElement c)
    {
        var subtype = c.GetProperty("subtype").GetInt32();
        if (c.GetProperty("type").GetInt32() == 3 && subtype == 12)
        {
            return "ET:" + c.GetProperty("tunnel_type").GetInt32().ToString(CultureInfo.InvariantCulture);
        }
        return subtype == 2 && c.TryGetProperty("value", out var rt) ? "RT:" + rt.GetString() : c.GetRawText();
    }

    private static string Scalar(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
}
