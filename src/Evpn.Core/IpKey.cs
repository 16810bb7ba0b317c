using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>An IP address as a 16-octet dictionary key (IPv4 in its IPv4-mapped IPv6 form,
/// RFC 4291 section 2.5.5.2). <see cref="IpAddr"/> is 32 octets with padding; a table with one
/// entry per remote neighbor keeps the smaller key.</summary>
internal readonly record struct IpKey(ulong High, ulong Low)
{
    public static IpKey From(IpAddr ip)
    {
        if (ip.IsV4)
        {
            return new IpKey(0, 0x0000_FFFF_0000_0000UL | ip.V4Bits);
        }
        var bits = ip.V6Bits;
        return new IpKey((ulong)(bits >> 64), (ulong)bits);
    }
}
