using System.Globalization;
using Evpn.Api;
using Evpn.Wire.Model;
using Microsoft.AspNetCore.Http;

namespace Evpn.Daemon.Management;

/// <summary>GET <see cref="ApiPaths.ExplainRoute"/>: the query names received routes by their key parts (mac, rd,
/// tag, type) and optionally a VNI; a value that does not parse is a 400 saying what was expected.</summary>
public static class ExplainRouteEndpoint
{
    public static async Task AnswerAsync(HttpContext context, IManagementView view)
    {
        if (Parse(context.Request.Query, out var query) is { } error)
        {
            await ManagementEndpoints.ErrorAsync(context, StatusCodes.Status400BadRequest, error);
            return;
        }
        await ManagementEndpoints.Ok(context, view.ExplainRouteAsync(query, context.RequestAborted), ApiJsonContext.Default.RouteExplainDocument);
    }

    /// <summary>The query, or why it is not one. At least one of mac, rd, tag, type narrows the routes.</summary>
    public static string? Parse(IQueryCollection q, out RouteExplainQuery query)
    {
        query = new RouteExplainQuery(null, null, null, null, null);
        string? Text(string name) => q.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v.ToString() : null;
        MacAddress? mac = null;
        RouteDistinguisher? rd = null;
        uint? tag = null, vni = null;
        EvpnRouteType? type = null;
        if (Text("mac") is { } m)
        {
            if (!MacAddress.TryParse(m, out var parsed))
            {
                return $"mac: '{m}' is not a MAC address";
            }
            mac = parsed;
        }
        if (Text("rd") is { } r)
        {
            if (!RouteDistinguisher.TryParse(r, out var parsed))
            {
                return $"rd: '{r}' is not ASN:NN or A.B.C.D:NN";
            }
            rd = parsed;
        }
        if (Text("tag") is { } t)
        {
            if (!uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return $"tag: expected an Ethernet Tag 0..4294967295, found '{t}'";
            }
            tag = parsed;
        }
        if (Text("type") is { } k)
        {
            if (k is not ("2" or "3"))
            {
                return $"type: expected 2 or 3, found '{k}'";
            }
            type = (EvpnRouteType)(k[0] - '0');
        }
        if (Text("vni") is { } n)
        {
            if (!uint.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 0xFF_FFFF)
            {
                return $"vni: expected 1..16777215, found '{n}'";
            }
            vni = parsed;
        }
        if (mac is null && rd is null && tag is null && type is null)
        {
            return "name the route: mac, rd, tag or type (2 or 3)";
        }
        query = new RouteExplainQuery(mac, rd, tag, type, vni);
        return null;
    }
}
