using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The routes and attributes this VTEP originates.</summary>
public static class EvpnRoutes
{
    /// <summary>RFC 7432 section 7.2 with RFC 8365 section 5.1.3: ESI zero (single-homed), the VNI in the
    /// label field, Ethernet Tag 0 for VLAN-based service or the bundle's tag for a VLAN-aware bundle.</summary>
    public static MacIpAdvertisementRoute Mac(RouteDistinguisher rd, uint vni, MacAddress mac, IpAddr? ip, uint ethernetTag = 0) =>
        new(rd, EthernetSegmentId.Zero, ethernetTag, mac, ip, EvpnLabel.FromVni(vni));

    /// <summary>Export route targets, VXLAN encapsulation (RFC 8365 section 5.1.3), MAC Mobility when the
    /// sequence is above zero or the MAC is sticky (RFC 7432 section 7.7), Default Gateway for SVI MACs
    /// (RFC 7432 section 7.8).</summary>
    public static PathAttributes MacAttributes(IReadOnlyList<ExtendedCommunity> exportRouteTargets, uint sequence, bool sticky, bool defaultGateway)
    {
        var communities = new List<ExtendedCommunity>(exportRouteTargets.Count + 3);
        communities.AddRange(exportRouteTargets);
        communities.Add(ExtendedCommunity.VxlanEncapsulation);
        if (sequence > 0 || sticky)
        {
            communities.Add(ExtendedCommunity.MacMobility(sequence, sticky));
        }
        if (defaultGateway)
        {
            communities.Add(ExtendedCommunity.DefaultGateway);
        }
        return new PathAttributes
        {
            Origin = Wire.Model.Origin.Igp,
            AsPath = AsPath.Empty,
            ExtendedCommunities = communities.ToArray(),
        };
    }

    /// <summary>RFC 7432 section 7.3 / RFC 8365 section 5.1.3: PMSI tunnel type 6 (ingress replication)
    /// toward our VTEP with the VNI as label, plus the export route targets and VXLAN encapsulation.</summary>
    public static PathAttributes InclusiveMulticastAttributes(IReadOnlyList<ExtendedCommunity> exportRouteTargets, IpAddr vtep, uint vni)
    {
        var communities = new List<ExtendedCommunity>(exportRouteTargets.Count + 1);
        communities.AddRange(exportRouteTargets);
        communities.Add(ExtendedCommunity.VxlanEncapsulation);
        return new PathAttributes
        {
            Origin = Wire.Model.Origin.Igp,
            AsPath = AsPath.Empty,
            ExtendedCommunities = communities.ToArray(),
            PmsiTunnel = PmsiTunnel.IngressReplicationTo(vtep, vni),
        };
    }
}
