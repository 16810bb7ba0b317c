using System.Net;
using System.Net.Sockets;
using System.Text;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Unnumbered;

/// <summary>An ICMPv6 raw socket bound to one interface (SO_BINDTODEVICE) that sends and receives router
/// solicitations and advertisements. Hop limit 255 on what it sends (RFC 4861 6.1: receivers drop RA/RS with
/// any other hop limit; FRR's zebra checks it), no loopback of its own multicasts, and a kernel ICMPv6 filter
/// that lets only types 133 and 134 through. Joins all-routers (ff02::2) so solicitations reach it.</summary>
internal sealed class RouterDiscoverySocket : IDisposable
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int IpProtoIcmpV6 = 58;
    private const int Icmp6Filter = 1;
    private const int IpProtoIpv6 = 41;
    private const int Ipv6UnicastHops = 16;
    private const int Ipv6MulticastIf = 17;
    private const int Ipv6MulticastHops = 18;
    private const int Ipv6MulticastLoop = 19;

    private static readonly IPAddress AllNodes = IPAddress.Parse("ff02::1");
    private static readonly IPAddress AllRouters = IPAddress.Parse("ff02::2");

    private readonly Socket _socket;
    private readonly int _ifIndex;

    public RouterDiscoverySocket(string interfaceName, int ifIndex)
    {
        _ifIndex = ifIndex;
        _socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6);
        try
        {
            _socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(interfaceName + "\0"));
            SetInt(Ipv6UnicastHops, 255);
            SetInt(Ipv6MulticastHops, 255);
            SetInt(Ipv6MulticastIf, ifIndex);
            SetInt(Ipv6MulticastLoop, 0);
            _socket.SetRawSocketOption(IpProtoIcmpV6, Icmp6Filter, PassOnly(RouterDiscoveryMessage.RouterSolicitation, RouterDiscoveryMessage.RouterAdvertisement));
            _socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(AllRouters, ifIndex));
            // The runtime receives from a socket only once it is bound (the native build checks it on every receive).
            _socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>To all nodes on the link (an unsolicited advertisement) or to all routers (a solicitation).</summary>
    public void SendToAllNodes(byte[] message) => SendTo(message, AllNodes);

    public void SendToAllRouters(byte[] message) => SendTo(message, AllRouters);

    /// <summary>The next RA or RS and its source (scope = this interface); the kernel filter dropped other types.</summary>
    public async Task<(int Length, PeerAddress Source)> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.IPv6Any, 0), cancellationToken).ConfigureAwait(false);
        var source = ((IPEndPoint)result.RemoteEndPoint).Address;
        return (result.ReceivedBytes, new PeerAddress(IpAddr.FromIPAddress(source), (uint)_ifIndex));
    }

    private void SendTo(byte[] message, IPAddress group) =>
        _socket.SendTo(message, new IPEndPoint(new IPAddress(group.GetAddressBytes(), _ifIndex), 0));

    private void SetInt(int option, int value) => _socket.SetRawSocketOption(IpProtoIpv6, option, BitConverter.GetBytes(value));

    /// <summary>struct icmp6_filter: 256 bits, a set bit blocks that type (linux/icmpv6.h).</summary>
    private static byte[] PassOnly(params byte[] types)
    {
        var words = new uint[8];
        Array.Fill(words, uint.MaxValue);
        foreach (var type in types)
        {
            words[type >> 5] &= ~(1u << (type & 31));
        }
        var bytes = new byte[32];
        Buffer.BlockCopy(words, 0, bytes, 0, 32);
        return bytes;
    }

    public void Dispose() => _socket.Dispose();
}
