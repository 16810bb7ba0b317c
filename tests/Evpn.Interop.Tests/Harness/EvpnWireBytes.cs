using System.Globalization;
using System.Net;

namespace Evpn.Interop.Tests.Harness;

/// <summary>EVPN path attribute values written by hand from the RFC field diagrams, as hex, for ExaBGP's raw
/// `attribute [ code flags 0xVALUE ]`. Deliberately not evpnd's encoder: the bytes that test evpnd's decoder
/// must not come from evpnd's own idea of the format. Builders take lengths as given, so a test can lie in them.</summary>
public static class EvpnWireBytes
{
    /// <summary>RFC 4271 section 4.3 attribute flags: optional (0x80), transitive (0x40).</summary>
    public const string OptionalNonTransitive = "0x80";
    public const string OptionalTransitive = "0xc0";

    /// <summary>Attribute type codes: RFC 4760 (14), RFC 4360 (16), RFC 6514 (22), RFC 4271 (7).</summary>
    public const string MpReachNlri = "0x0e";
    public const string ExtendedCommunities = "0x10";
    public const string PmsiTunnel = "0x16";
    public const string Aggregator = "0x07";

    // RFC 4760 section 3, MP_REACH_NLRI:
    // | AFI (2) = 25 L2VPN | SAFI (1) = 70 EVPN | Length of Next Hop (1) | Next Hop | Reserved (1) | NLRI... |
    public static string MpReachEvpn(string nextHop, params string[] routes) => MpReachEvpnNextHopField(Ip(nextHop), routes);

    /// <summary>MP_REACH_NLRI of L2VPN EVPN whose next hop field is <paramref name="nextHopHex"/> as given: 4 or 16
    /// octets, or 32 (RFC 2545 section 3: global then link-local), its length octet taken from it.</summary>
    public static string MpReachEvpnNextHopField(string nextHopHex, params string[] routes) =>
        "0019" + "46" + Byte(nextHopHex.Length / 2) + nextHopHex + "00" + string.Concat(routes);

    /// <summary>An address in network order as hex (4 or 16 octets): "::ffff:10.0.0.2" stays 16 octets.</summary>
    public static string Ip(string address) => Convert.ToHexStringLower(IPAddress.Parse(address).GetAddressBytes());

    // RFC 7432 section 7: | Route Type (1) | Length (1) | Route Type specific (variable) |
    public static string Route(int type, string body, int? length = null) =>
        Byte(type) + Byte(length ?? body.Length / 2) + body;

    // RFC 7432 section 7.2, MAC/IP Advertisement route, MAC only, one label (33 octets):
    // | RD (8) | ESI (10) | Ethernet Tag ID (4) | MAC Length (1) = 48 | MAC (6) | IP Length (1) = 0 | MPLS Label1 (3) |
    // RFC 8365 section 5.1.3: for VXLAN the whole 24-bit label field is the VNI.
    public static string Type2(string rd, string mac, uint vni) => Type2(rd, mac, vni, 0, null, null, null);

    // The general form: Ethernet Tag (the VNI in a VLAN-aware bundle, RFC 8365 section 5.1.3), an IPv4 address
    // (IP Length 32), a second label (RFC 9135 section 9.1.1: the L3 VNI of symmetric IRB) and a 10-octet ESI (hex).
    public static string Type2(string rd, string mac, uint vni, uint tag, string? ip, uint? l3Vni, string? esi) =>
        Route(2, Rd(rd) + (esi ?? new string('0', 20)) + tag.ToString("x8", CultureInfo.InvariantCulture) + "30" + mac.Replace(":", "", StringComparison.Ordinal)
                 + (ip is null ? "00" : "20" + Ip(ip)) + Label(vni) + (l3Vni is { } l3 ? Label(l3) : ""));

    // RFC 7432 section 7.3, Inclusive Multicast Ethernet Tag route (17 octets, or 29 with an IPv6 originator):
    // | RD (8) | Ethernet Tag ID (4) | IP Address Length (1) = 32 or 128 | Originating Router's IP Address (4 or 16) |
    public static string Type3(string rd, string originator, uint tag = 0) =>
        Route(3, Rd(rd) + tag.ToString("x8", CultureInfo.InvariantCulture) + Byte(Ip(originator).Length * 4) + Ip(originator));

    // RFC 7432 section 7.1, Ethernet Auto-Discovery route (25 octets):
    // | RD (8) | ESI (10) | Ethernet Tag ID (4) = 0xffffffff per ES | MPLS Label (3) |
    public static string Type1(string rd, string esi, uint tag, uint label) =>
        Route(1, Rd(rd) + esi + tag.ToString("x8", CultureInfo.InvariantCulture) + Label(label));

    // RFC 7432 section 7.4, Ethernet Segment route, IPv4 (23 octets):
    // | RD (8) | ESI (10) | IP Address Length (1) = 32 | Originating Router's IP Address (4) |
    public static string Type4(string rd, string esi, string originator) =>
        Route(4, Rd(rd) + esi + Byte(Ip(originator).Length * 4) + Ip(originator));

    // RFC 7432 section 7.7, MAC Mobility: | 0x06 | 0x00 | Flags (1), 0x01 = sticky/static | Reserved (1) | Sequence (4) |
    public static string MacMobility(uint sequence, bool sticky) =>
        "0600" + (sticky ? "01" : "00") + "00" + sequence.ToString("x8", CultureInfo.InvariantCulture);

    // RFC 7432 section 7.5, ESI Label: | 0x06 | 0x01 | Flags (1), 0x00 = all-active | Reserved (2) | ESI Label (3) |
    public const string EsiLabelAllActive = "0601000000000000";

    // RFC 7432 section 7.6, ES-Import Route Target: | 0x06 | 0x02 | ES-Import (6), the MAC in the ESI |
    public static string EsImport(string mac) => "0602" + mac.Replace(":", "", StringComparison.Ordinal);

    // RFC 4360 section 4 / 3.1, two-octet AS specific route target: | 0x00 | 0x02 | AS (2) | Local Administrator (4) |
    public static string RouteTarget(ushort asn, uint value) =>
        "0002" + asn.ToString("x4", CultureInfo.InvariantCulture) + value.ToString("x8", CultureInfo.InvariantCulture);

    // RFC 9012 section 4.1 (was RFC 5512 4.5), Encapsulation extended community: | 0x03 | 0x0c | Reserved (4) | Tunnel Type (2) = 8 VXLAN |
    public const string VxlanEncapsulation = "030c000000000008";

    // The same community with tunnel type 10, MPLS (RFC 8365 section 5.1.3's list of tunnel types).
    public const string MplsEncapsulation = "030c00000000000a";

    // RFC 9135 section 8.1, Router's MAC: | 0x06 | 0x03 | Router's MAC (6) |
    public static string RoutersMac(string mac) => "0603" + mac.Replace(":", "", StringComparison.Ordinal);

    // RFC 7432 section 7.8, Default Gateway: | 0x03 | 0x0d | 0 (6) |
    public const string DefaultGateway = "030d000000000000";

    // RFC 6514 section 5, PMSI Tunnel attribute: | Flags (1) | Tunnel Type (1) | MPLS Label (3) | Tunnel Identifier |
    // RFC 7432 section 11.2: tunnel type 6, ingress replication, identifier = the originating router's IP;
    // RFC 8365 section 5.1.3: the label field carries the VNI.
    public static string PmsiIngressReplication(uint vni, string endpoint) => "00" + "06" + Label(vni) + Ip(endpoint);

    /// <summary>"10.0.0.2:100" (RFC 4364 section 4.2 type 1: IPv4 administrator, 2-octet assigned number).</summary>
    private static string Rd(string rd)
    {
        var colon = rd.LastIndexOf(':');
        return "0001" + Ip(rd[..colon]) + ushort.Parse(rd[(colon + 1)..], CultureInfo.InvariantCulture).ToString("x4", CultureInfo.InvariantCulture);
    }

    private static string Label(uint vni) => vni.ToString("x6", CultureInfo.InvariantCulture);

    private static string Byte(int value) => value.ToString("x2", CultureInfo.InvariantCulture);

}
