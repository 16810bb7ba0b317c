namespace Evpn.Wire.Model;

/// <summary>The 3-octet label field of EVPN NLRI. Routes keep the raw 24 bits; what they mean
/// depends on the encapsulation extended community.</summary>
/// <remarks>
///   RFC 8365 section 5.1.3: with VXLAN encapsulation the whole 24-bit field is the VNI.
///   Without it the route is MPLS (RFC 7432 section 7): the label is the high-order 20 bits,
///   followed by TC and the bottom-of-stack bit.
/// </remarks>
public static class EvpnLabel
{
    public const uint MaxVni = 0xFF_FFFF;

    public static uint FromVni(uint vni) => vni & MaxVni;
    public static uint ToVni(uint raw) => raw & MaxVni;
    public static uint FromMpls(uint label) => (label & 0xF_FFFF) << 4;
    public static uint ToMpls(uint raw) => (raw >> 4) & 0xF_FFFF;
}
