using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>EVPN NLRI (AFI 25, SAFI 70), RFC 7432 section 7 and RFC 9136 section 3.</summary>
/// <remarks>
///   Every route: Route Type (1) | Length (1) | route type specific (Length octets), preceded by a
///   4-octet path identifier when add-path is on (RFC 7911 section 3).
///
///   RFC 7606 outcomes for this family (decided here, applied by <see cref="UpdateDecoder"/>):
///   | input                                                        | result                                  |
///   |--------------------------------------------------------------|-----------------------------------------|
///   | unknown route type, its Length inside the attribute          | route skipped and counted (RFC 7606 5.4)|
///   | Length runs past the end of the MP attribute                 | malformed: AFI/SAFI disable (5.3)       |
///   | Length not one of the sizes the route type allows            | malformed: AFI/SAFI disable (5.3)       |
///   | type 2 MAC length not 48                                     | malformed: AFI/SAFI disable (5.3)       |
///   | type 2 IP length not 0/32/128; type 3/4 IP length not 32/128 | malformed: AFI/SAFI disable (5.3)       |
///   | IP length disagreeing with the route Length (e.g. a truncated label) | malformed: AFI/SAFI disable (5.3) |
///   | type 5 prefix length above 32 (IPv4) or 128 (IPv6)           | malformed: AFI/SAFI disable (5.3)       |
///   Why AFI/SAFI disable and not treat-as-withdraw: a route that cannot be parsed has no key to
///   withdraw, and after a framing error the following routes cannot be located either (RFC 7606
///   section 5.3 then leaves AFI/SAFI disable or session reset). Disabling only L2VPN/EVPN keeps the
///   other families of the session up.
/// </remarks>
internal static class EvpnNlriCodec
{
    private const int Type1Length = RouteDistinguisher.Length + EthernetSegmentId.Length + 4 + 3;
    private const int Type2FixedLength = RouteDistinguisher.Length + EthernetSegmentId.Length + 4 + 1 + MacAddress.Length + 1 + 3;
    private const int Type3FixedLength = RouteDistinguisher.Length + 4 + 1;
    private const int Type4FixedLength = RouteDistinguisher.Length + EthernetSegmentId.Length + 1;
    private const int Type5FixedLength = RouteDistinguisher.Length + EthernetSegmentId.Length + 4 + 1 + 3;

    /// <summary>Decodes all routes of an MP_REACH/MP_UNREACH NLRI field. Returns null on success or the
    /// reason the field is malformed. A first pass checks the framing (type and length of every route) and
    /// counts the routes, so the result array is allocated once at its exact size.</summary>
    public static string? DecodeAll(ReadOnlySpan<byte> data, bool addPath, out EquatableArray<Nlri> routes, ref int skipped)
    {
        routes = EquatableArray<Nlri>.Empty;
        var framingError = CountRoutes(data, addPath, out var known);
        if (framingError is not null)
        {
            return framingError;
        }
        var result = known == 0 ? [] : new Nlri[known];
        var count = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            uint pathId = 0;
            if (addPath)
            {
                pathId = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
                offset += 4;
            }
            var type = data[offset];
            int length = data[offset + 1];
            var body = data.Slice(offset + 2, length);
            offset += 2 + length;
            var error = DecodeRoute(type, body, out var route);
            if (error is not null)
            {
                return error;
            }
            if (route is null)
            {
                skipped++;
                continue;
            }
            result[count++] = Nlri.ForEvpn(route, pathId);
        }
        routes = new EquatableArray<Nlri>(ImmutableCollectionsMarshal.AsImmutableArray(result));
        return null;
    }

    /// <summary>Walks the route headers: every route's length must lie inside the field. Counts the routes
    /// of known types.</summary>
    private static string? CountRoutes(ReadOnlySpan<byte> data, bool addPath, out int known)
    {
        known = 0;
        var headerLength = addPath ? 6 : 2;
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < headerLength)
            {
                return addPath ? "EVPN NLRI truncated inside its path identifier, type or length" : "EVPN NLRI truncated inside its type and length";
            }
            var type = data[offset + headerLength - 2];
            int length = data[offset + headerLength - 1];
            offset += headerLength;
            if (length > data.Length - offset)
            {
                return $"EVPN route type {type} length {length} runs past the end of the attribute ({data.Length - offset} octets left)";
            }
            offset += length;
            if (type is >= (byte)EvpnRouteType.EthernetAutoDiscovery and <= (byte)EvpnRouteType.IpPrefix)
            {
                known++;
            }
        }
        return null;
    }

    /// <summary>Decodes one route body. Returns an error reason, or null with <paramref name="route"/> null
    /// for an unknown route type (RFC 7606 section 5.4: skip it).</summary>
    private static string? DecodeRoute(byte type, ReadOnlySpan<byte> body, out EvpnRoute? route)
    {
        route = null;
        switch (type)
        {
            case (byte)EvpnRouteType.EthernetAutoDiscovery:
                return DecodeType1(body, out route);
            case (byte)EvpnRouteType.MacIpAdvertisement:
                return DecodeType2(body, out route);
            case (byte)EvpnRouteType.InclusiveMulticast:
                return DecodeType3(body, out route);
            case (byte)EvpnRouteType.EthernetSegment:
                return DecodeType4(body, out route);
            case (byte)EvpnRouteType.IpPrefix:
                return DecodeType5(body, out route);
            default:
                return null;
        }
    }

    // RFC 7432 section 7.1:
    // | RD (8) | ESI (10) | Ethernet Tag ID (4) | MPLS Label (3) |
    private static string? DecodeType1(ReadOnlySpan<byte> b, out EvpnRoute? route)
    {
        route = null;
        if (b.Length != Type1Length)
        {
            return $"EVPN type 1 route length {b.Length}, expected {Type1Length}";
        }
        route = new EthernetAutoDiscoveryRoute(
            RouteDistinguisher.Read(b),
            EthernetSegmentId.Read(b[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[18..]),
            ReadUInt24(b[22..]));
        return null;
    }

    // RFC 7432 section 7.2:
    // | RD (8) | ESI (10) | Ethernet Tag ID (4) | MAC Address Length (1) | MAC Address (6) |
    // | IP Address Length (1) | IP Address (0, 4 or 16) | MPLS Label1 (3) | MPLS Label2 (0 or 3) |
    private static string? DecodeType2(ReadOnlySpan<byte> b, out EvpnRoute? route)
    {
        route = null;
        if (b.Length < Type2FixedLength)
        {
            return $"EVPN type 2 route length {b.Length}, shorter than the minimum {Type2FixedLength}";
        }
        if (b[22] != 48)
        {
            return $"EVPN type 2 MAC address length {b[22]} bits, expected 48";
        }
        int ipBits = b[29];
        if (ipBits is not (0 or 32 or 128))
        {
            return $"EVPN type 2 IP address length {ipBits} bits, expected 0, 32 or 128";
        }
        var ipLength = ipBits / 8;
        var labelsLength = b.Length - 30 - ipLength;
        if (labelsLength is not (3 or 6))
        {
            return $"EVPN type 2 route length {b.Length} does not fit IP length {ipBits} with one or two labels";
        }
        IpAddr? ip = ipLength == 0 ? null : IpAddr.Read(b.Slice(30, ipLength));
        var labels = b[(30 + ipLength)..];
        route = new MacIpAdvertisementRoute(
            RouteDistinguisher.Read(b),
            EthernetSegmentId.Read(b[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[18..]),
            MacAddress.Read(b[23..]),
            ip,
            ReadUInt24(labels),
            labelsLength == 6 ? ReadUInt24(labels[3..]) : null);
        return null;
    }

    // RFC 7432 section 7.3:
    // | RD (8) | Ethernet Tag ID (4) | IP Address Length (1) | Originating Router's IP Address (4 or 16) |
    private static string? DecodeType3(ReadOnlySpan<byte> b, out EvpnRoute? route)
    {
        route = null;
        if (b.Length < Type3FixedLength)
        {
            return $"EVPN type 3 route length {b.Length}, shorter than the minimum {Type3FixedLength}";
        }
        int ipBits = b[12];
        if (ipBits is not (32 or 128) || b.Length != Type3FixedLength + ipBits / 8)
        {
            return $"EVPN type 3 route length {b.Length} with IP length {ipBits} bits; expected 32 or 128 bits and a matching route length";
        }
        route = new InclusiveMulticastRoute(
            RouteDistinguisher.Read(b),
            BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
            IpAddr.Read(b[13..]));
        return null;
    }

    // RFC 7432 section 7.4:
    // | RD (8) | ESI (10) | IP Address Length (1) | Originating Router's IP Address (4 or 16) |
    private static string? DecodeType4(ReadOnlySpan<byte> b, out EvpnRoute? route)
    {
        route = null;
        if (b.Length < Type4FixedLength)
        {
            return $"EVPN type 4 route length {b.Length}, shorter than the minimum {Type4FixedLength}";
        }
        int ipBits = b[18];
        if (ipBits is not (32 or 128) || b.Length != Type4FixedLength + ipBits / 8)
        {
            return $"EVPN type 4 route length {b.Length} with IP length {ipBits} bits; expected 32 or 128 bits and a matching route length";
        }
        route = new EthernetSegmentRoute(
            RouteDistinguisher.Read(b),
            EthernetSegmentId.Read(b[8..]),
            IpAddr.Read(b[19..]));
        return null;
    }

    // RFC 9136 section 3.1:
    // | RD (8) | ESI (10) | Ethernet Tag ID (4) | IP Prefix Length (1) | IP Prefix (4 or 16) |
    // | GW IP Address (4 or 16) | MPLS Label (3) |
    // The family is given by the route length: 34 for IPv4, 58 for IPv6 (section 3.1).
    private static string? DecodeType5(ReadOnlySpan<byte> b, out EvpnRoute? route)
    {
        route = null;
        int addressLength = b.Length switch
        {
            Type5FixedLength + 8 => 4,
            Type5FixedLength + 32 => 16,
            _ => 0,
        };
        if (addressLength == 0)
        {
            return $"EVPN type 5 route length {b.Length}, expected 34 (IPv4) or 58 (IPv6)";
        }
        var prefixLength = b[22];
        if (prefixLength > addressLength * 8)
        {
            return $"EVPN type 5 prefix length /{prefixLength} exceeds /{addressLength * 8}";
        }
        route = new IpPrefixRoute(
            RouteDistinguisher.Read(b),
            EthernetSegmentId.Read(b[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[18..]),
            IpAddr.Read(b.Slice(23, addressLength)),
            prefixLength,
            IpAddr.Read(b.Slice(23 + addressLength, addressLength)),
            ReadUInt24(b[(23 + 2 * addressLength)..]));
        return null;
    }

    /// <summary>Octets <paramref name="route"/> takes on the wire, type and length octets included.</summary>
    public static int EncodedLength(EvpnRoute route) => 2 + BodyLength(route);

    private static int BodyLength(EvpnRoute route) => route switch
    {
        EthernetAutoDiscoveryRoute => Type1Length,
        MacIpAdvertisementRoute r => Type2FixedLength + (r.Ip?.ByteLength ?? 0) + (r.Label2.HasValue ? 3 : 0),
        InclusiveMulticastRoute r => Type3FixedLength + r.OriginatorIp.ByteLength,
        EthernetSegmentRoute r => Type4FixedLength + r.OriginatorIp.ByteLength,
        IpPrefixRoute r => Type5FixedLength + 2 * r.Prefix.ByteLength,
        _ => throw new ArgumentException($"EVPN route {route.GetType().Name} has no encoding", nameof(route)),
    };

    public static void Write(ref WireWriter w, EvpnRoute route)
    {
        var body = BodyLength(route);
        var span = w.Take(2 + body);
        span[0] = (byte)route.Type;
        span[1] = (byte)body;
        var b = span[2..];
        route.Rd.Write(b);
        switch (route)
        {
            case EthernetAutoDiscoveryRoute r:
                r.Esi.Write(b[8..]);
                BinaryPrimitives.WriteUInt32BigEndian(b[18..], r.EthernetTag);
                WriteUInt24(b[22..], r.Label);
                break;
            case MacIpAdvertisementRoute r:
                r.Esi.Write(b[8..]);
                BinaryPrimitives.WriteUInt32BigEndian(b[18..], r.EthernetTag);
                b[22] = 48;
                r.Mac.Write(b[23..]);
                var ipLength = r.Ip?.ByteLength ?? 0;
                b[29] = (byte)(ipLength * 8);
                r.Ip?.Write(b[30..]);
                WriteUInt24(b[(30 + ipLength)..], r.Label1);
                if (r.Label2 is { } label2)
                {
                    WriteUInt24(b[(33 + ipLength)..], label2);
                }
                break;
            case InclusiveMulticastRoute r:
                BinaryPrimitives.WriteUInt32BigEndian(b[8..], r.EthernetTag);
                b[12] = (byte)r.OriginatorIp.BitLength;
                r.OriginatorIp.Write(b[13..]);
                break;
            case EthernetSegmentRoute r:
                r.Esi.Write(b[8..]);
                b[18] = (byte)r.OriginatorIp.BitLength;
                r.OriginatorIp.Write(b[19..]);
                break;
            case IpPrefixRoute r:
                if (r.Gateway.IsV6 != r.Prefix.IsV6)
                {
                    throw new ArgumentException("an EVPN type 5 route's gateway must be of the prefix's family (RFC 9136 section 3.1)", nameof(route));
                }
                r.Esi.Write(b[8..]);
                BinaryPrimitives.WriteUInt32BigEndian(b[18..], r.EthernetTag);
                b[22] = r.PrefixLength;
                r.Prefix.Write(b[23..]);
                r.Gateway.Write(b[(23 + r.Prefix.ByteLength)..]);
                WriteUInt24(b[(23 + 2 * r.Prefix.ByteLength)..], r.Label);
                break;
        }
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> b) => ((uint)b[0] << 16) | ((uint)b[1] << 8) | b[2];

    private static void WriteUInt24(Span<byte> b, uint value)
    {
        b[0] = (byte)(value >> 16);
        b[1] = (byte)(value >> 8);
        b[2] = (byte)value;
    }
}
