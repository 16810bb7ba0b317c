using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>Each derivation rule against the numbers its vendor's documentation gives.</summary>
public class VniIdentityTests
{
    private static readonly uint RouterId = IpAddr.Parse("192.0.2.1").V4Bits;

    /// <summary>NVIDIA Cumulus Linux user guide, "EVPN Enhancements", Define RDs and RTs: RT AS:VNI with the AS
    /// always in two bytes, the lower two of a four-byte AS; RD RouterId:VNI-Index.</summary>
    [Fact]
    public void Frr_cumulus_guide_as_vni_with_the_low_two_bytes_of_a_four_byte_as()
    {
        Assert.Equal("RT:65001:10100", VniIdentity.RouteTarget(DerivationMode.Frr, 65001, 10100, 10100).ToString());
        // 4200000001 = 0xFA56EA01: the low two bytes are 0xEA01 = 59905.
        Assert.Equal("RT:59905:10100", VniIdentity.RouteTarget(DerivationMode.Frr, 4_200_000_001, 10100, 10100).ToString());
        Assert.Null(VniIdentity.Rd(DerivationMode.Frr, RouterId, 10100));
    }

    /// <summary>RFC 8365 section 5.1.2.1 and Junos "Auto-derived Route Targets" (vrf-target auto): two-octet
    /// global administrator; local administrator A=0, type 1 (VXLAN), D-ID, 24-bit VNI, so VNI 100 gives
    /// target:AS:268435556 (0x10000064). Nokia's "Three-byte EVI" chapter draws the same format with "(the lower
    /// two octets of) the ASN" in the global administrator.</summary>
    [Fact]
    public void Rfc8365_and_junos_vrf_target_auto_type_vxlan_a_bit_zero()
    {
        var rt = VniIdentity.RouteTarget(DerivationMode.Rfc8365, 65000, 100, 100);
        Assert.Equal(0x0002_FDE8_1000_0064UL, rt.Raw);
        Assert.Equal("RT:65000:268435556", rt.ToString());
        Assert.Equal(0u, rt.RouteTargetLocal >> 31);
        Assert.Equal(0x1200_0064u, VniIdentity.RouteTarget(DerivationMode.Rfc8365, 65000, 100, 100, domainId: 2).RouteTargetLocal);
        Assert.Equal("RT:59905:285212671", VniIdentity.RouteTarget(DerivationMode.Rfc8365, 4_200_000_001, 0xFF_FFFF, 0).ToString());
    }

    /// <summary>Cisco Nexus 9000 NX-OS VXLAN configuration guide, "About Route-Target Auto" and "About RD Auto":
    /// RT type 0 ASN:VNI (MAC-VRF within ASN 65001 and L2VNI 30001: 65001:30001); with a four-byte ASN the
    /// administrative field is AS_TRANS 23456 (ASN 65656, L2VNI 30001: 23456:30001); MAC-VRF RD
    /// router-id:(VLAN + 32767), BGP router id 192.0.2.1 and VLAN 20: 192.0.2.1:32787.</summary>
    [Fact]
    public void Nxos_route_target_auto_asn_vni_and_as_trans_for_a_four_byte_asn()
    {
        Assert.Equal("RT:65001:30001", VniIdentity.RouteTarget(DerivationMode.NxOs, 65001, 30001, 0).ToString());
        Assert.Equal("RT:23456:30001", VniIdentity.RouteTarget(DerivationMode.NxOs, 65656, 30001, 0).ToString());
        Assert.Equal(RouteDistinguisher.Parse("192.0.2.1:32787"), VniIdentity.Rd(DerivationMode.NxOs, RouterId, evi: 20));
        Assert.Null(VniIdentity.Rd(DerivationMode.NxOs, RouterId, evi: 0));
    }

    /// <summary>Nokia SR OS "Three-byte EVI in EVPN Services": the EVI auto-derives the service RT as ASN:EVI
    /// (64496:10) and the RD as system-ip:EVI (192.0.2.1:10), whatever the VNI.</summary>
    [Fact]
    public void Nokia_asn_evi_and_system_ip_evi_whatever_the_vni()
    {
        Assert.Equal("RT:64496:10", VniIdentity.RouteTarget(DerivationMode.Nokia, 64496, 10010, 10).ToString());
        Assert.Equal(RouteDistinguisher.Parse("192.0.2.1:10"), VniIdentity.Rd(DerivationMode.Nokia, RouterId, 10));
    }

    [Fact]
    public void Rd_number_beyond_sixteen_bits_is_left_to_the_allocated_index()
    {
        Assert.Null(VniIdentity.Rd(DerivationMode.Nokia, RouterId, 70000));
        Assert.Null(VniIdentity.Rd(DerivationMode.NxOs, RouterId, 40000));
    }
}
