using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Unnumbered;

/// <summary>The two ICMPv6 Neighbor Discovery messages BGP unnumbered uses (RFC 4861 section 4.1 and 4.2):
/// a router advertisement tells the peer our link-local address (its source), a router solicitation asks the
/// peer for one now. The checksum stays zero: the kernel computes it for ICMPv6 raw sockets (RFC 3542 3.1).</summary>
internal static class RouterDiscoveryMessage
{
    public const byte RouterSolicitation = 133;
    public const byte RouterAdvertisement = 134;

    /// <summary>RFC 4861 4.2: type, code, checksum, cur hop limit, flags, router lifetime, reachable time, retrans timer.</summary>
    private const int AdvertisementLength = 16;

    /// <summary>RFC 4861 4.1: type, code, checksum, reserved.</summary>
    private const int SolicitationLength = 8;

    /// <summary>RFC 4861 4.6.1: Source Link-Layer Address option, type 1, length 1 (8 octets) for Ethernet.</summary>
    private const byte SourceLinkLayerOption = 1;
    private const int SourceLinkLayerLength = 8;

    /// <summary>Hop limit hosts should use (the Linux default); advertised so that no one learns a different one from us.</summary>
    private const byte CurHopLimit = 64;

    /// <summary>A router advertisement with router lifetime 0 (RFC 4861 4.2: "not a default router"), so hosts on the
    /// link never route through us because of it; no prefixes, only our MAC as source link-layer address.</summary>
    public static byte[] Advertisement(MacAddress mac)
    {
        var message = new byte[AdvertisementLength + SourceLinkLayerLength];
        message[0] = RouterAdvertisement;
        message[4] = CurHopLimit;
        WriteSourceLinkLayer(message.AsSpan(AdvertisementLength), mac);
        return message;
    }

    public static byte[] Solicitation(MacAddress mac)
    {
        var message = new byte[SolicitationLength + SourceLinkLayerLength];
        message[0] = RouterSolicitation;
        WriteSourceLinkLayer(message.AsSpan(SolicitationLength), mac);
        return message;
    }

    /// <summary>The message type of a valid RA or RS (RFC 4861 6.1.1 and 6.1.2: code 0, long enough, options of non-zero
    /// length that fit); null for anything else.</summary>
    public static byte? Validate(ReadOnlySpan<byte> message)
    {
        if (message.Length < SolicitationLength || message[1] != 0)
        {
            return null;
        }
        var headerLength = message[0] switch
        {
            RouterAdvertisement => AdvertisementLength,
            RouterSolicitation => SolicitationLength,
            _ => -1,
        };
        if (headerLength < 0 || message.Length < headerLength)
        {
            return null;
        }
        var options = message[headerLength..];
        while (!options.IsEmpty)
        {
            if (options.Length < 2 || options[1] == 0 || options[1] * 8 > options.Length)
            {
                return null;
            }
            options = options[(options[1] * 8)..];
        }
        return message[0];
    }

    private static void WriteSourceLinkLayer(Span<byte> option, MacAddress mac)
    {
        option[0] = SourceLinkLayerOption;
        option[1] = 1;
        mac.Write(option[2..]);
    }
}
