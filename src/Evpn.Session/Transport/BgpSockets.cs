using System.Net;
using System.Net.Sockets;

namespace Evpn.Session.Transport;

/// <summary>Creates and configures BGP sockets: TCP-MD5 before connect (the SYN is signed), TTL or
/// GTSM, source address. Every socket is created here so that every one carries the options.</summary>
public static class BgpSockets
{
    public static async Task<Socket> ConnectAsync(ConnectionOptions options, bool ebgp, CancellationToken cancellationToken)
    {
        var remote = Normalize(options.RemoteAddress);
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            if (!string.IsNullOrEmpty(options.Password))
            {
                TcpMd5.SetKey(socket, remote, options.Password);
            }
            ApplyTtl(socket, options, ebgp);
            if (options.SourceAddress is { } source)
            {
                socket.Bind(new IPEndPoint(Normalize(source), 0));
            }
            await socket.ConnectAsync(new IPEndPoint(remote, options.RemotePort), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Per-peer TTL settings on a socket (connecting, or accepted and matched to the peer).</summary>
    public static void ApplyTtl(Socket socket, ConnectionOptions options, bool ebgp)
    {
        if (options.TtlSecurityHops is { } hops)
        {
            Gtsm.Enable(socket, hops);
        }
        else
        {
            Gtsm.SetOutgoingTtl(socket, options.OutgoingTtl(ebgp));
        }
    }

    /// <summary>A listening socket; "::" listens dual-stack so one socket serves IPv4 and IPv6 peers.</summary>
    public static Socket Listen(IPEndPoint endPoint, int backlog = 64)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // The SYN-ACK goes out with the listener's TTL, before the accepted socket gets its peer's
            // settings: 255 lets a GTSM peer (RFC 5082, minimum TTL 255 - hops + 1) complete the handshake.
            Gtsm.SetOutgoingTtl(socket, 255);
            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>IPv4-mapped IPv6 addresses (from a dual-stack listener) become plain IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
