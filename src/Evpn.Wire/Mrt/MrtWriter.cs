using System.Buffers;
using System.Buffers.Binary;
using Evpn.Wire.Model;

namespace Evpn.Wire.Mrt;

/// <summary>Writes BGP4MP_MESSAGE_AS4 records (RFC 6396 section 4.4.3), or their _LOCAL variant for
/// messages the recording speaker sent, or the _ADDPATH variants of either for a message whose NLRI carry path
/// identifiers (RFC 8050 section 3), optionally as BGP4MP_ET with microseconds (section 3).</summary>
public static class MrtWriter
{
    /// <summary>Appends one record holding <paramref name="message"/> (a whole BGP message, header included)
    /// and returns the number of octets written.</summary>
    public static int WriteMessageAs4(IBufferWriter<byte> output, DateTimeOffset timestamp, uint peerAs, uint localAs,
        IpAddr peerIp, IpAddr localIp, ReadOnlySpan<byte> message, bool local = false, bool extendedTimestamp = true, ushort interfaceIndex = 0,
        bool addPath = false)
    {
        if (peerIp.IsV6 != localIp.IsV6)
        {
            throw new ArgumentException("peer and local addresses must be of one family", nameof(localIp));
        }
        var ipLength = peerIp.ByteLength;
        var bodyLength = (extendedTimestamp ? 4 : 0) + 4 + 4 + 2 + 2 + 2 * ipLength + message.Length;
        var total = MrtReader.HeaderLength + bodyLength;
        var span = output.GetSpan(total)[..total];
        var unixMicroseconds = (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(unixMicroseconds / 1_000_000));
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], extendedTimestamp ? MrtTypes.Bgp4MpEt : MrtTypes.Bgp4Mp);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (local, addPath) switch
        {
            (false, false) => MrtTypes.MessageAs4,
            (true, false) => MrtTypes.MessageAs4Local,
            (false, true) => MrtTypes.MessageAs4AddPath,
            (true, true) => MrtTypes.MessageAs4LocalAddPath,
        });
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)bodyLength);
        var b = span[MrtReader.HeaderLength..];
        if (extendedTimestamp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, (uint)(unixMicroseconds % 1_000_000));
            b = b[4..];
        }
        BinaryPrimitives.WriteUInt32BigEndian(b, peerAs);
        BinaryPrimitives.WriteUInt32BigEndian(b[4..], localAs);
        BinaryPrimitives.WriteUInt16BigEndian(b[8..], interfaceIndex);
        BinaryPrimitives.WriteUInt16BigEndian(b[10..], (ushort)(peerIp.IsV6 ? Afi.IPv6 : Afi.IPv4));
        peerIp.Write(b[12..]);
        localIp.Write(b[(12 + ipLength)..]);
        message.CopyTo(b[(12 + 2 * ipLength)..]);
        output.Advance(total);
        return total;
    }
}
