using System.Net.Sockets;

namespace Evpn.Session.Transport;

/// <summary>TTL handling for BGP sockets: the TTL (hop limit) we send with, and RFC 5082 GTSM,
/// which makes the kernel drop segments that arrive with a TTL below 256 - hops.</summary>
public static class Gtsm
{
    private const int IpProtoIp = 0;
    private const int IpTtl = 2;
    private const int IpMinTtl = 21;
    private const int Ipv6UnicastHops = 16;
    private const int IpProtoIpv6 = 41;
    private const int Ipv6MinHopCount = 73;

    /// <summary>TTL security with the peer at most <paramref name="hops"/> hops away: send with 255,
    /// accept only 256 - hops and above.</summary>
    public static void Enable(Socket socket, int hops)
    {
        if (hops is < 1 or > 254)
        {
            throw new ArgumentOutOfRangeException(nameof(hops), hops, "GTSM hops are 1..254");
        }
        SetOutgoingTtl(socket, 255);
        Span<byte> value = stackalloc byte[4];
        BitConverter.TryWriteBytes(value, 256 - hops);
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.SetRawSocketOption(IpProtoIpv6, Ipv6MinHopCount, value);
            if (socket.DualMode)
            {
                socket.SetRawSocketOption(IpProtoIp, IpMinTtl, value);
            }
        }
        else
        {
            socket.SetRawSocketOption(IpProtoIp, IpMinTtl, value);
        }
    }

    /// <summary>The TTL (IPv4) or unicast hop limit (IPv6) of outgoing segments: 1 for a directly
    /// connected eBGP peer, the multihop count otherwise, 255 for iBGP.</summary>
    public static void SetOutgoingTtl(Socket socket, int ttl)
    {
        Span<byte> value = stackalloc byte[4];
        BitConverter.TryWriteBytes(value, ttl);
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.SetRawSocketOption(IpProtoIpv6, Ipv6UnicastHops, value);
            if (socket.DualMode)
            {
                socket.SetRawSocketOption(IpProtoIp, IpTtl, value);
            }
        }
        else
        {
            socket.SetRawSocketOption(IpProtoIp, IpTtl, value);
        }
    }
}
