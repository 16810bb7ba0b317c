using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Route distinguisher and route target derivation for MAC-VRFs.</summary>
public static class RouteTargets
{
    /// <summary>Auto route target for a VNI. <see cref="RouteTargetFormat.AsVni"/>: global administrator
    /// = low 16 bits of the AS, local administrator = VNI. <see cref="RouteTargetFormat.Rfc8365"/>
    /// (RFC 8365 section 5.1.2.1): the local administrator is A(1 bit, 0 = auto) | type(3 bits, 1 =
    /// VXLAN) | domain id (4 bits) | VNI (24 bits).</summary>
    public static ExtendedCommunity Auto(uint asn, uint vni, RouteTargetFormat format, byte domainId = 0)
    {
        var globalAdmin = (ushort)(asn & 0xFFFF);
        var localAdmin = format == RouteTargetFormat.Rfc8365
            ? (1u << 28) | ((uint)(domainId & 0xF) << 24) | (vni & EvpnLabel.MaxVni)
            : vni;
        return ExtendedCommunity.RouteTargetAs2(globalAdmin, localAdmin);
    }

    /// <summary>RFC 7432 section 7.9: type 1 RD made of the router id and a per-MAC-VRF index.</summary>
    public static RouteDistinguisher AutoRd(IpAddr routerId, ushort index) => RouteDistinguisher.FromIPv4(routerId.V4Bits, index);

    /// <summary>The local administrator field of a route target, the part <c>*:VNI</c> wildcard import
    /// matches: 4 octets for the 2-octet-AS form, 2 octets for the IPv4 and 4-octet-AS forms.</summary>
    public static uint LocalAdministrator(ExtendedCommunity rt) =>
        rt.TypeHigh == 0x00 ? (uint)rt.Raw : (ushort)rt.Raw;

    /// <summary>The VNI an RFC 8365-format local administrator names (its low 24 bits).</summary>
    public static uint VniOfRfc8365(uint localAdministrator) => localAdministrator & EvpnLabel.MaxVni;
}
