using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Evpn.Session.Transport;

/// <summary>RFC 2385 TCP MD5 signatures through Linux's TCP_MD5SIG socket option. The key is bound
/// to the peer address, on the connecting socket and on the listening socket (accepted sockets
/// inherit it). Layout of <c>struct tcp_md5sig</c> (linux/tcp.h):
/// <code>
///   struct __kernel_sockaddr_storage tcpm_addr;  128 octets
///   __u8  tcpm_flags;                            TCP_MD5SIG_FLAG_PREFIX = 1
///   __u8  tcpm_prefixlen;
///   __u16 tcpm_keylen;
///   int   tcpm_ifindex;
///   __u8  tcpm_key[TCP_MD5SIG_MAXKEYLEN = 80];
/// </code></summary>
public static class TcpMd5
{
    private const int IpProtoTcp = 6;
    private const int TcpMd5Sig = 14;
    private const int TcpMd5SigExt = 32;
    private const byte FlagPrefix = 1;
    private const int SockaddrStorageLength = 128;
    private const int StructLength = SockaddrStorageLength + 1 + 1 + 2 + 4 + MaxKeyLength;
    public const int MaxKeyLength = 80;

    /// <summary>Installs (or with an empty key removes) the key for one peer address.</summary>
    public static void SetKey(Socket socket, IPAddress peer, string key) => Set(socket, peer, null, key);

    /// <summary>Installs a key for every peer in a prefix (TCP_MD5SIG_EXT): dynamic neighbors on the listener.</summary>
    public static void SetKeyForPrefix(Socket socket, IPAddress prefix, int prefixLength, string key) =>
        Set(socket, prefix, prefixLength, key);

    private static void Set(Socket socket, IPAddress address, int? prefixLength, string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        if (keyBytes.Length > MaxKeyLength)
        {
            throw new ArgumentException($"a TCP-MD5 key has at most {MaxKeyLength} octets", nameof(key));
        }
        // A dual-stack IPv6 socket talks to IPv4 peers as v4-mapped addresses; the kernel files
        // a v4-mapped key as an IPv4 key.
        if (socket.AddressFamily == AddressFamily.InterNetworkV6 && address.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv6();
            if (prefixLength is { } p)
            {
                prefixLength = p + 96;
            }
        }
        Span<byte> value = stackalloc byte[StructLength];
        value.Clear();
        WriteSockaddr(value[..SockaddrStorageLength], address);
        if (prefixLength is { } length)
        {
            value[SockaddrStorageLength] = FlagPrefix;
            value[SockaddrStorageLength + 1] = (byte)length;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(value[(SockaddrStorageLength + 2)..], (ushort)keyBytes.Length);
        keyBytes.CopyTo(value[(SockaddrStorageLength + 8)..]);
        socket.SetRawSocketOption(IpProtoTcp, prefixLength is null ? TcpMd5Sig : TcpMd5SigExt, value);
    }

    /// <summary>sockaddr_in / sockaddr_in6 with the family in host order (little-endian here) and port 0.</summary>
    private static void WriteSockaddr(Span<byte> destination, IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, 2);
            address.TryWriteBytes(destination[4..8], out _);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, 10);
            address.TryWriteBytes(destination[8..24], out _);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)address.ScopeId);
        }
    }
}
