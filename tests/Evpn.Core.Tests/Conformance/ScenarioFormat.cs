using System.Globalization;
using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core.Tests.Conformance;

/// <summary>How routes, attributes and outputs are written in scenario files: one line each, tokens
/// separated by spaces, <c>key=value</c> options anywhere after the positional ones.</summary>
internal static class ScenarioFormat
{
    public static Dictionary<string, string> Options(IEnumerable<string> tokens)
    {
        var options = new Dictionary<string, string>();
        foreach (var token in tokens)
        {
            var eq = token.IndexOf('=');
            if (eq > 0)
            {
                options[token[..eq]] = token[(eq + 1)..];
            }
            else
            {
                options[token] = "";
            }
        }
        return options;
    }

    /// <summary>Option words without a value; every other word without '=' is positional.</summary>
    private static readonly HashSet<string> Flags = ["sticky", "gw", "client", "gr"];

    public static List<string> Positional(IEnumerable<string> tokens) => tokens.Where(t => !t.Contains('=') && !Flags.Contains(t)).ToList();

    public static ExtendedCommunity RouteTarget(string text)
    {
        var rd = RouteDistinguisher.Parse(text);
        return rd.Type switch
        {
            0 => ExtendedCommunity.RouteTargetAs2((ushort)(rd.Raw >> 32), (uint)rd.Raw),
            1 => ExtendedCommunity.RouteTargetIPv4((uint)(rd.Raw >> 16), (ushort)rd.Raw),
            _ => ExtendedCommunity.RouteTargetAs4((uint)(rd.Raw >> 16), (ushort)rd.Raw),
        };
    }

    public static EthernetSegmentId Esi(string text)
    {
        var bytes = text.Split(':').Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        return EthernetSegmentId.Read(bytes);
    }

    /// <summary><c>mac RD MAC [IP]</c>, <c>imet RD ORIGINATOR</c>, <c>ad RD ESI TAG</c>, <c>es RD ESI ORIGINATOR</c>,
    /// <c>prefix RD PREFIX/LENGTH GATEWAY</c>; the label is <c>vni=N</c>.</summary>
    public static EvpnRoute Route(IReadOnlyList<string> p, uint vni)
    {
        var rd = RouteDistinguisher.Parse(p[1]);
        return p[0] switch
        {
            "mac" => EvpnRoutes.Mac(rd, vni, MacAddress.Parse(p[2]), p.Count > 3 ? IpAddr.Parse(p[3]) : null),
            "imet" => new InclusiveMulticastRoute(rd, 0, IpAddr.Parse(p[2])),
            "ad" => new EthernetAutoDiscoveryRoute(rd, Esi(p[2]), uint.Parse(p[3], CultureInfo.InvariantCulture), EvpnLabel.FromVni(vni)),
            "es" => new EthernetSegmentRoute(rd, Esi(p[2]), IpAddr.Parse(p[3])),
            "prefix" => new IpPrefixRoute(rd, EthernetSegmentId.Zero, 0, IpAddr.Parse(p[2].Split('/')[0]),
                byte.Parse(p[2].Split('/')[1], CultureInfo.InvariantCulture), IpAddr.Parse(p[3]), EvpnLabel.FromVni(vni)),
            _ => throw new FormatException($"unknown route type '{p[0]}'"),
        };
    }

    public static string Route(EvpnRoute route) => route switch
    {
        MacIpAdvertisementRoute r => $"mac {r.Rd} {r.Mac}{(r.Ip is { } ip ? " " + ip : "")} vni={EvpnLabel.ToVni(r.Label1)}",
        InclusiveMulticastRoute r => $"imet {r.Rd} {r.OriginatorIp}",
        EthernetAutoDiscoveryRoute r => $"ad {r.Rd} {r.Esi} {r.EthernetTag}",
        EthernetSegmentRoute r => $"es {r.Rd} {r.Esi} {r.OriginatorIp}",
        IpPrefixRoute r => $"prefix {r.Rd} {r.Prefix}/{r.PrefixLength} {r.Gateway}",
        _ => route.ToString(),
    };

    /// <summary>Attributes in a fixed order: next hop, route targets, mobility, default gateway, PMSI,
    /// LOCAL_PREF when not 100, AS_PATH when not empty, ORIGINATOR_ID, CLUSTER_LIST.</summary>
    public static string Attributes(PathAttributes a, IpAddr nextHop)
    {
        var parts = new List<string> { $"nh={nextHop}" };
        var rts = a.RouteTargets.Select(rt => rt.ToString()[3..]).ToList();
        if (rts.Count > 0)
        {
            parts.Add("rt=" + string.Join(',', rts));
        }
        if (a.MacMobility is { } mm)
        {
            parts.Add($"seq={mm.MacMobilitySequence}");
            if (mm.MacMobilitySticky)
            {
                parts.Add("sticky");
            }
        }
        if (a.ExtendedCommunities.Any(c => c.IsDefaultGateway))
        {
            parts.Add("gw");
        }
        if (a.PmsiTunnel is { } pmsi)
        {
            parts.Add($"pmsi={pmsi.TunnelType}:{EvpnLabel.ToVni(pmsi.Label)}:{pmsi.Endpoint}");
        }
        if (a.LocalPref is { } lp && lp != 100)
        {
            parts.Add($"lp={lp}");
        }
        if (a.AsPath is { Segments.Count: > 0 } path)
        {
            parts.Add("path=" + path.ToString().Replace(' ', ','));
        }
        if (a.OriginatorId is { } originator)
        {
            parts.Add($"orig={originator}");
        }
        if (a.ClusterList.Count > 0)
        {
            parts.Add("cl=" + string.Join(',', a.ClusterList));
        }
        return string.Join(' ', parts);
    }

    public static IEnumerable<string> Outbound(OutboundUpdate update)
    {
        foreach (var route in update.Withdrawals)
        {
            yield return $"out {update.Peer} withdraw {Route(route)}";
        }
        foreach (var group in update.Announcements)
        {
            var attributes = Attributes(group.Attributes, group.NextHop);
            foreach (var route in group.Routes)
            {
                yield return $"out {update.Peer} announce {Route(route)} {attributes}";
            }
        }
        if (update.EndOfRib)
        {
            yield return $"out {update.Peer} eor";
        }
    }

    public static string Intent(DataPlaneIntent intent) => intent switch
    {
        DataPlaneIntent.AddFdb i => $"intent add-fdb {i.Entry.Vni} {i.Entry.Mac} {i.Entry.Vtep}{(i.Entry.Sticky ? " sticky" : "")}",
        DataPlaneIntent.RemoveFdb i => $"intent remove-fdb {i.Entry.Vni} {i.Entry.Mac} {i.Entry.Vtep}{(i.Entry.Sticky ? " sticky" : "")}",
        DataPlaneIntent.AddNeighbor i => $"intent add-neighbor {i.Entry.Vni} {i.Entry.Ip} {i.Entry.Mac}",
        DataPlaneIntent.RemoveNeighbor i => $"intent remove-neighbor {i.Entry.Vni} {i.Entry.Ip} {i.Entry.Mac}",
        DataPlaneIntent.AddFlood i => $"intent add-flood {i.Entry.Vni} {i.Entry.Vtep}",
        DataPlaneIntent.RemoveFlood i => $"intent remove-flood {i.Entry.Vni} {i.Entry.Vtep}",
        _ => intent.ToString(),
    };

    public static string Alert(CoreAlert alert) => alert.Kind switch
    {
        AlertKind.DuplicateMacDetected => $"alert duplicate-detected {alert.Vni} {alert.Mac}",
        AlertKind.DuplicateMacCleared => $"alert duplicate-cleared {alert.Vni} {alert.Mac}",
        _ => $"alert sticky-conflict {alert.Vni} {alert.Mac}",
    };
}
