using System.Buffers;
using System.Buffers.Binary;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>The decoder entry point: one whole message (as framed by <see cref="BgpFraming"/>) in, a
/// <see cref="DecodeResult"/> out. Never throws for any input bytes; every problem is an error value.</summary>
public static class BgpDecoder
{
    public static DecodeResult Decode(in ReadOnlySequence<byte> message, DecodeContext context)
    {
        if (message.IsSingleSegment)
        {
            return Decode(message.FirstSpan, context);
        }
        if (message.Length > BgpFraming.ExtendedMaxMessageLength)
        {
            return DecodeResult.Fatal(BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, [], $"{message.Length} octets is longer than any BGP message"));
        }
        // A message split across pipe segments is copied once into a pooled buffer; decoded values never
        // refer to the input bytes, so the buffer can be returned straight away.
        var length = (int)message.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(rented);
            return Decode(rented.AsSpan(0, length), context);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static DecodeResult Decode(ReadOnlySpan<byte> message, DecodeContext context)
    {
        var headerError = BgpFraming.CheckHeader(message, context, out var type, out var length);
        if (headerError is not null)
        {
            return DecodeResult.Fatal(headerError);
        }
        if (length != message.Length)
        {
            return DecodeResult.Fatal(BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, message.Slice(BgpFraming.MarkerLength, 2),
                $"length field says {length} octets but the message has {message.Length}"));
        }
        return type switch
        {
            MessageType.Open => OpenCodec.Decode(message),
            MessageType.Update => UpdateDecoder.Decode(message, context),
            MessageType.Notification => DecodeResult.Ok(new NotificationMessage(
                (NotificationCode)message[19], message[20], message[21..].ToArray())),
            MessageType.Keepalive => DecodeResult.Ok(KeepaliveMessage.Instance),
            _ => DecodeRouteRefresh(message),
        };
    }

    // RFC 2918 section 3 / RFC 7313 section 5: BoRR and EoRR are exactly 4 octets after the header; a plain
    // request may carry ORF entries after them (RFC 5291), which are not used and not kept.
    private static DecodeResult DecodeRouteRefresh(ReadOnlySpan<byte> message)
    {
        var body = message[BgpFraming.HeaderLength..];
        var subtype = (RouteRefreshSubtype)body[2];
        if (subtype != RouteRefreshSubtype.Request && body.Length != 4)
        {
            return DecodeResult.Fatal(new BgpError(ErrorAction.SessionReset, NotificationCode.RouteRefreshMessageError,
                RouteRefreshErrorSubcode.InvalidMessageLength, message.ToArray(), $"ROUTE-REFRESH subtype {(byte)subtype} with {body.Length} octets, expected 4"));
        }
        var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(body), (Safi)body[3]);
        return DecodeResult.Ok(new RouteRefreshMessage(family, subtype));
    }
}
