namespace Evpn.Wire.Model;

/// <summary>Whose rule derives a VNI's route target and route distinguisher when the configuration gives none.
/// Peers that derive their own route targets import ours only when both sides follow the same rule.</summary>
public enum DerivationMode : byte
{
    /// <summary>FRR (and Cumulus): RT <c>AS:VNI</c> in the two-octet-AS form, the low 16 bits of a four-octet
    /// AS; RD <c>router-id:index</c> with a locally allocated index.</summary>
    Frr,

    /// <summary>RFC 8365 section 5.1.2.1, which Junos <c>vrf-target auto</c> follows: the local administrator is
    /// A (0 = auto-derived) | type (1 = VXLAN) | domain id | VNI; the global administrator is two octets, so
    /// the low 16 bits of a four-octet AS. RD as FRR's.</summary>
    Rfc8365,

    /// <summary>Cisco NX-OS <c>route-target auto</c>: RT <c>ASN:VNI</c> (type 0); with a four-octet AS the global
    /// administrator is AS_TRANS (23456, RFC 6793). RD <c>rd auto</c> for a MAC-VRF: <c>router-id:(VLAN + 32767)</c>,
    /// the VLAN given as the VNI's <c>evi</c>.</summary>
    NxOs,

    /// <summary>Nokia SR OS / SR Linux: RT <c>ASN:EVI</c>, RD <c>system-ip:EVI</c>, with the EVI configured per
    /// service and not necessarily the VNI.</summary>
    Nokia,
}

/// <summary>The one derivation of a VNI's route target and route distinguisher, used by the running core and by
/// the configuration's reload diff alike.</summary>
public static class VniIdentity
{
    /// <summary>RFC 6793 section 9: the two-octet stand-in for a four-octet AS.</summary>
    public const ushort AsTrans = 23456;

    /// <summary>RFC 8365 section 5.1.2.1 type field value for a VXLAN VNI.</summary>
    private const uint Rfc8365VxlanType = 1;

    /// <summary>NX-OS numbers a MAC-VRF's auto RD from the VLAN: VLAN 1 is 32768.</summary>
    private const uint NxOsVlanRdBase = 32767;

    /// <summary>The route target derived for <paramref name="vni"/> (<paramref name="evi"/>: its EVPN instance
    /// number, which only the Nokia rule reads; <paramref name="domainId"/>: RFC 8365's 4-bit D-ID).</summary>
    public static ExtendedCommunity RouteTarget(DerivationMode mode, uint asn, uint vni, uint evi, byte domainId = 0) => mode switch
    {
        DerivationMode.Rfc8365 => ExtendedCommunity.RouteTargetAs2((ushort)asn, Rfc8365LocalAdministrator(vni, domainId)),
        DerivationMode.NxOs => ExtendedCommunity.RouteTargetAs2(asn > ushort.MaxValue ? AsTrans : (ushort)asn, vni),
        DerivationMode.Nokia => ExtendedCommunity.RouteTargetAs2((ushort)asn, evi),
        _ => ExtendedCommunity.RouteTargetAs2((ushort)asn, vni),
    };

    /// <summary>The route distinguisher the rule fixes, or null when it is <c>router-id:index</c> with an index the
    /// caller allocates (FRR, RFC 8365, and NX-OS without a VLAN; RFC 7432 section 7.9). A number that does not fit
    /// the RD's 16-bit field also leaves it to the allocated index.</summary>
    public static RouteDistinguisher? Rd(DerivationMode mode, uint routerId, uint evi)
    {
        var number = mode switch
        {
            DerivationMode.Nokia => evi,
            DerivationMode.NxOs when evi != 0 => NxOsVlanRdBase + evi,
            _ => 0u,
        };
        return number is > 0 and <= ushort.MaxValue ? RouteDistinguisher.FromIPv4(routerId, (ushort)number) : null;
    }

    /// <summary>RFC 7432 section 7.9: type 1 RD of the router id and a per-MAC-VRF index.</summary>
    public static RouteDistinguisher IndexedRd(uint routerId, ushort index) => RouteDistinguisher.FromIPv4(routerId, index);

    /// <summary>RFC 8365 section 5.1.2.1 local administrator: A (bit 31) = 0, type (bits 28-30) = 1 (VXLAN),
    /// D-ID (bits 24-27), VNI (bits 0-23).</summary>
    public static uint Rfc8365LocalAdministrator(uint vni, byte domainId) =>
        (Rfc8365VxlanType << 28) | ((uint)(domainId & 0xF) << 24) | (vni & EvpnLabel.MaxVni);

    /// <summary>The local administrator of a route target, the part <c>*:VNI</c> wildcard import matches.</summary>
    public static uint LocalAdministrator(ExtendedCommunity rt) => rt.RouteTargetLocal;
}
