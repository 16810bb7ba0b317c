using System.Buffers;
using Evpn.Wire;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Cli.Decode;

/// <summary>One message to show: where it came from, its bytes and what the decoder made of it, or the
/// reason the input around it could not be read (<see cref="Problem"/>).</summary>
public sealed record DecodedEntry(int Index, MrtRecord? Record, byte[] Bytes, DecodeResult Result, string? Problem = null);

/// <summary>Splits the input into messages: MRT records, or a raw stream of BGP messages.</summary>
public static class MessageSource
{
    public static DecodeContext RawContext(bool fourOctetAs, bool addPath) => new()
    {
        FourOctetAsn = fourOctetAs,
        ExtendedMessage = true,
        AddPathReceive = addPath ? new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn } : EquatableArray<AfiSafi>.Empty,
    };

    /// <summary>A raw stream starts with the all-ones marker; an MRT file with a timestamp.</summary>
    public static bool LooksLikeBgpStream(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= BgpFraming.MarkerLength && bytes[..BgpFraming.MarkerLength].IndexOfAnyExcept((byte)0xFF) < 0;

    public static IEnumerable<DecodedEntry> FromBgpStream(byte[] bytes, DecodeContext context)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var index = 0;
        while (!buffer.IsEmpty)
        {
            index++;
            if (!BgpFraming.TryReadMessage(ref buffer, context, out var frame))
            {
                var rest = buffer.ToArray();
                yield return new DecodedEntry(index, null, rest, default, $"{rest.Length} trailing octet(s) do not make a whole BGP message");
                yield break;
            }
            if (frame.Error is not null)
            {
                var rest = buffer.ToArray();
                yield return new DecodedEntry(index, null, rest, DecodeResult.Fatal(frame.Error), "the stream cannot be read past a bad header");
                yield break;
            }
            var message = frame.Message.ToArray();
            yield return new DecodedEntry(index, null, message, BgpDecoder.Decode(message, context));
        }
    }

    public static IEnumerable<DecodedEntry> FromMrt(byte[] bytes)
    {
        var offset = 0;
        var index = 0;
        while (offset < bytes.Length)
        {
            index++;
            var status = MrtReader.TryRead(bytes.AsSpan(offset), out var record, out var consumed, out var error);
            if (status != MrtReadStatus.Record)
            {
                var problem = status == MrtReadStatus.NeedMoreData
                    ? $"{bytes.Length - offset} trailing octet(s) do not make a whole MRT record"
                    : $"MRT record at offset {offset}: {error}";
                yield return new DecodedEntry(index, null, bytes[offset..], default, problem);
                yield break;
            }
            offset += consumed;
            if (record!.Bgp4Mp is { IsStateChange: false } entry)
            {
                var message = entry.Message.AsImmutableArray().ToArray();
                yield return new DecodedEntry(index, record, message, BgpDecoder.Decode(message, entry.DecodeContext));
            }
            else
            {
                yield return new DecodedEntry(index, record, [], default);
            }
        }
    }
}
