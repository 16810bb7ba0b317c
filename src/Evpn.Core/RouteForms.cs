using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The forms of type-2 and type-3 routes vendors send, read the one way import, show and explain share.</summary>
public static class RouteForms
{
    /// <summary>RFC 9012 / RFC 8365 section 5.1.3 tunnel type of MPLS, which vendors' EVPN-MPLS routes carry.</summary>
    public const ushort MplsTunnelType = 10;

    /// <summary>Why a received type-2 or type-3 path cannot be served by a VXLAN data plane, or null when it can.
    /// RFC 8365 section 5.1.3: the label is a VNI only with the BGP encapsulation extended community of tunnel type 8
    /// (RFC 9012); a path with none, or only other tunnel types (EVPN-MPLS leaking in), is not installed. A path
    /// listing VXLAN among several encapsulations is VXLAN. RFC 8365 section 9: a type-3 floods by ingress replication.</summary>
    public static string? UnsupportedTunnel(RibPath path)
    {
        var set = path.Attributes;
        if (!set.HasEncapsulation)
        {
            return "no BGP encapsulation extended community, so its label is not known to be a VXLAN VNI (RFC 8365 section 5.1.3)";
        }
        if (!set.IsVxlan)
        {
            var types = set.Attributes.ExtendedCommunities.Where(c => c.IsEncapsulation).Select(c => TunnelName(c.EncapsulationTunnelType));
            return $"its encapsulation is {string.Join(", ", types.Distinct())}, not VXLAN (RFC 9012 tunnel type 8)";
        }
        if (path.Route is InclusiveMulticastRoute && set.Attributes.PmsiTunnel is { } pmsi && pmsi.TunnelType != PmsiTunnel.IngressReplication)
        {
            return $"its PMSI tunnel type {pmsi.TunnelType} is not ingress replication (RFC 8365 section 9)";
        }
        return null;
    }

    /// <summary>RFC 9135 section 8.1 Router's MAC of a symmetric IRB route; an all-zero one (sent by some vendors for
    /// a route without routing) is no router MAC.</summary>
    public static MacAddress? RoutersMac(PathAttributes attributes)
    {
        foreach (var community in attributes.ExtendedCommunities)
        {
            if (community.IsRoutersMac)
            {
                return community.RoutersMacAddress.Value == 0 ? null : community.RoutersMacAddress;
            }
        }
        return null;
    }

    private static string TunnelName(ushort type) => type switch
    {
        MplsTunnelType => "MPLS (tunnel type 10)",
        _ => $"tunnel type {type}",
    };
}
