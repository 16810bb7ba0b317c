namespace Evpn.Wire.Model;

/// <summary>IANA address family numbers used by BGP (RFC 4760).</summary>
public enum Afi : ushort
{
    IPv4 = 1,
    IPv6 = 2,
    L2vpn = 25,
}

/// <summary>IANA subsequent address family numbers.</summary>
public enum Safi : byte
{
    Unicast = 1,
    Multicast = 2,
    Evpn = 70,
}

/// <summary>An (AFI, SAFI) pair: the unit of negotiation, End-of-RIB and RFC 7606 AFI/SAFI disable.</summary>
public readonly record struct AfiSafi(Afi Afi, Safi Safi)
{
    public static readonly AfiSafi Ipv4Unicast = new(Afi.IPv4, Safi.Unicast);
    public static readonly AfiSafi Ipv6Unicast = new(Afi.IPv6, Safi.Unicast);
    public static readonly AfiSafi L2vpnEvpn = new(Afi.L2vpn, Safi.Evpn);

    public override string ToString() => (Afi, Safi) switch
    {
        (Afi.IPv4, Safi.Unicast) => "ipv4-unicast",
        (Afi.IPv6, Safi.Unicast) => "ipv6-unicast",
        (Afi.L2vpn, Safi.Evpn) => "l2vpn-evpn",
        _ => $"afi{(ushort)Afi}-safi{(byte)Safi}",
    };
}
