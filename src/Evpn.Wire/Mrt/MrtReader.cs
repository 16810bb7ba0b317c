using System.Buffers.Binary;
using Evpn.Wire.Model;

namespace Evpn.Wire.Mrt;

public enum MrtReadStatus
{
    Record,
    NeedMoreData,
    Malformed,
}

/// <summary>Reads MRT records (RFC 6396) from bytes, as FRR's <c>dump bgp</c> and GoBGP's MRT dump
/// write them. Parses only; the caller does the file I/O.</summary>
/// <remarks>
///   Common header, section 2:
///   | Timestamp (4, seconds) | Type (2) | Subtype (2) | Length (4) | Message (Length octets) |
///   BGP4MP_ET (section 3) puts a 4-octet microseconds field first in the message, counted in Length.
///   BGP4MP_MESSAGE(_AS4)(_LOCAL), section 4.4.2/4.4.3:
///   | Peer AS (2/4) | Local AS (2/4) | Interface Index (2) | Address Family (2) | Peer IP (4/16) |
///   | Local IP (4/16) | BGP Message |
///   BGP4MP_STATE_CHANGE(_AS4), section 4.4.1: the same peer header, then Old State (2) | New State (2).
/// </remarks>
public static class MrtReader
{
    public const int HeaderLength = 12;

    /// <summary>Records larger than this are refused: a BGP message is at most 65535 octets.</summary>
    public const int MaxRecordLength = 1 << 20;

    /// <summary>Reads the record at the start of <paramref name="data"/>; <paramref name="consumed"/> is its
    /// length when the status is <see cref="MrtReadStatus.Record"/>.</summary>
    public static MrtReadStatus TryRead(ReadOnlySpan<byte> data, out MrtRecord? record, out int consumed, out string? error)
    {
        record = null;
        consumed = 0;
        error = null;
        if (data.Length < HeaderLength)
        {
            return MrtReadStatus.NeedMoreData;
        }
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(data);
        var type = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        var subtype = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        if (length > MaxRecordLength)
        {
            error = $"MRT record length {length} is implausible";
            return MrtReadStatus.Malformed;
        }
        if (data.Length - HeaderLength < length)
        {
            return MrtReadStatus.NeedMoreData;
        }
        var body = data.Slice(HeaderLength, (int)length);
        consumed = HeaderLength + (int)length;
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (type == MrtTypes.Bgp4MpEt)
        {
            if (body.Length < 4)
            {
                error = "BGP4MP_ET record too short for its microseconds field";
                return MrtReadStatus.Malformed;
            }
            timestamp = timestamp.AddTicks(BinaryPrimitives.ReadUInt32BigEndian(body) % 1_000_000 * 10);
            body = body[4..];
        }
        record = new MrtRecord(timestamp, type, subtype, body.ToArray());
        if (type is MrtTypes.Bgp4Mp or MrtTypes.Bgp4MpEt)
        {
            var entry = ReadBgp4Mp(subtype, body, out error);
            if (error is not null)
            {
                return MrtReadStatus.Malformed;
            }
            record = record with { Bgp4Mp = entry };
        }
        return MrtReadStatus.Record;
    }

    private static Bgp4MpEntry? ReadBgp4Mp(ushort subtype, ReadOnlySpan<byte> b, out string? error)
    {
        error = null;
        bool as4, local = false, addPath = false, state = false;
        switch (subtype)
        {
            case MrtTypes.StateChange: as4 = false; state = true; break;
            case MrtTypes.StateChangeAs4: as4 = true; state = true; break;
            case MrtTypes.Message: as4 = false; break;
            case MrtTypes.MessageAs4: as4 = true; break;
            case MrtTypes.MessageLocal: as4 = false; local = true; break;
            case MrtTypes.MessageAs4Local: as4 = true; local = true; break;
            case MrtTypes.MessageAddPath: as4 = false; addPath = true; break;
            case MrtTypes.MessageAs4AddPath: as4 = true; addPath = true; break;
            case MrtTypes.MessageLocalAddPath: as4 = false; local = true; addPath = true; break;
            case MrtTypes.MessageAs4LocalAddPath: as4 = true; local = true; addPath = true; break;
            default: return null;
        }
        var asSize = as4 ? 4 : 2;
        var fixedLength = 2 * asSize + 4;
        if (b.Length < fixedLength)
        {
            error = "BGP4MP record shorter than its peer header";
            return null;
        }
        uint peerAs = as4 ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
        uint localAs = as4 ? BinaryPrimitives.ReadUInt32BigEndian(b[4..]) : BinaryPrimitives.ReadUInt16BigEndian(b[2..]);
        var ifIndex = BinaryPrimitives.ReadUInt16BigEndian(b[(2 * asSize)..]);
        var family = BinaryPrimitives.ReadUInt16BigEndian(b[(2 * asSize + 2)..]);
        var ipLength = family switch
        {
            (ushort)Afi.IPv4 => 4,
            (ushort)Afi.IPv6 => 16,
            _ => 0,
        };
        if (ipLength == 0)
        {
            error = $"BGP4MP address family {family} is neither IPv4 nor IPv6";
            return null;
        }
        if (b.Length < fixedLength + 2 * ipLength)
        {
            error = "BGP4MP record shorter than its peer addresses";
            return null;
        }
        var peerIp = IpAddr.Read(b.Slice(fixedLength, ipLength));
        var localIp = IpAddr.Read(b.Slice(fixedLength + ipLength, ipLength));
        var rest = b[(fixedLength + 2 * ipLength)..];
        if (state)
        {
            if (rest.Length != 4)
            {
                error = "BGP4MP state change without exactly old and new state";
                return null;
            }
            return new Bgp4MpEntry(peerAs, localAs, ifIndex, peerIp, localIp, EquatableArray<byte>.Empty,
                BinaryPrimitives.ReadUInt16BigEndian(rest), BinaryPrimitives.ReadUInt16BigEndian(rest[2..])) { FourOctetAs = as4 };
        }
        if (rest.IsEmpty)
        {
            error = "BGP4MP message record without a message";
            return null;
        }
        return new Bgp4MpEntry(peerAs, localAs, ifIndex, peerIp, localIp, rest.ToArray()) { Local = local, FourOctetAs = as4, AddPath = addPath };
    }
}
