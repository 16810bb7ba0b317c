using System.Buffers;
using System.Buffers.Binary;

namespace Evpn.Wire;

/// <summary>One framed message: its type and its bytes (header included) as a slice of the input, or the
/// header error that makes the stream unusable.</summary>
public readonly struct BgpFrame
{
    public BgpFrame(MessageType type, ReadOnlySequence<byte> message, BgpError? error)
    {
        Type = type;
        Message = message;
        Error = error;
    }

    public MessageType Type { get; }

    /// <summary>The whole message, header included, sliced from the input without copying.</summary>
    public ReadOnlySequence<byte> Message { get; }

    /// <summary>A header error (RFC 4271 section 6.1); the connection must be closed with its NOTIFICATION.</summary>
    public BgpError? Error { get; }
}

/// <summary>Splits a byte stream into BGP messages, RFC 4271 section 4.1:
/// | Marker (16 octets of 0xff) | Length (2) | Type (1) |.</summary>
public static class BgpFraming
{
    public const int HeaderLength = 19;
    public const int MarkerLength = 16;

    /// <summary>RFC 4271 section 4: the maximum message size.</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>RFC 8654 section 4: the maximum with the extended message capability.</summary>
    public const int ExtendedMaxMessageLength = 65535;

    /// <summary>Takes the next whole message off the front of <paramref name="buffer"/>. Returns false when the
    /// buffer holds less than one message (need more data; nothing is consumed). Returns true with
    /// <see cref="BgpFrame.Error"/> set when the header is invalid; then nothing is consumed either and the
    /// session must be reset.</summary>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> buffer, DecodeContext context, out BgpFrame frame)
    {
        frame = default;
        if (buffer.Length < HeaderLength)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderLength];
        var first = buffer.FirstSpan;
        if (first.Length >= HeaderLength)
        {
            first[..HeaderLength].CopyTo(header);
        }
        else
        {
            buffer.Slice(0, HeaderLength).CopyTo(header);
        }
        var error = CheckHeader(header, context, out var type, out var length);
        if (error is not null)
        {
            frame = new BgpFrame(type, buffer.Slice(0, HeaderLength), error);
            return true;
        }
        if (buffer.Length < length)
        {
            return false;
        }
        frame = new BgpFrame(type, buffer.Slice(0, length), null);
        buffer = buffer.Slice(length);
        return true;
    }

    /// <summary>RFC 4271 section 6.1 header checks, including the per-type length bounds, with RFC 8654
    /// section 4: OPEN and KEEPALIVE stay within 4096 octets even with extended messages.</summary>
    public static BgpError? CheckHeader(ReadOnlySpan<byte> header, DecodeContext context, out MessageType type, out int length)
    {
        type = 0;
        length = 0;
        if (header.Length < HeaderLength)
        {
            return BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, [], $"message of {header.Length} octets is shorter than the {HeaderLength}-octet header");
        }
        if (header[..MarkerLength].IndexOfAnyExcept((byte)0xFF) >= 0)
        {
            return BgpError.Header(MessageHeaderErrorSubcode.ConnectionNotSynchronized, [], "marker is not all ones");
        }
        length = BinaryPrimitives.ReadUInt16BigEndian(header[MarkerLength..]);
        type = (MessageType)header[18];
        var lengthField = header.Slice(MarkerLength, 2);
        var (min, max) = type switch
        {
            MessageType.Open => (29, MaxMessageLength),
            MessageType.Update => (23, context.MaxMessageLength),
            MessageType.Notification => (21, context.MaxMessageLength),
            MessageType.Keepalive => (HeaderLength, HeaderLength),
            MessageType.RouteRefresh => (23, context.MaxMessageLength),
            _ => (0, 0),
        };
        if (max == 0)
        {
            return BgpError.Header(MessageHeaderErrorSubcode.BadMessageType, header.Slice(18, 1), $"unknown message type {header[18]}");
        }
        if (length < min || length > max)
        {
            return BgpError.Header(MessageHeaderErrorSubcode.BadMessageLength, lengthField, $"{type} message length {length} outside {min}..{max}");
        }
        return null;
    }
}
