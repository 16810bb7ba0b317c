using System.Buffers;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>The encoder entry point: writes one message, header included, into an <see cref="IBufferWriter{T}"/>.
/// Throws <see cref="InvalidOperationException"/> when the message does not fit the negotiated maximum
/// length (<see cref="UpdatePacker"/> never builds such messages) and <see cref="ArgumentException"/> for
/// values that have no encoding.</summary>
public static class BgpEncoder
{
    /// <summary>The buffer <see cref="Encode(BgpMessage, DecodeContext)"/> encodes into, one per thread: it must hold
    /// the largest message (64 KiB with extended messages), and an update group encodes each of its UPDATEs once.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _scratch;

    /// <summary>Encodes <paramref name="message"/> and returns the number of octets written.</summary>
    public static int Encode(BgpMessage message, IBufferWriter<byte> output, DecodeContext context)
    {
        var limit = message.Type is MessageType.Open or MessageType.Keepalive ? BgpFraming.MaxMessageLength : context.MaxMessageLength;
        var w = new WireWriter(output.GetSpan(limit), limit);
        w.Take(BgpFraming.MarkerLength).Fill(0xFF);
        w.WriteUInt16(0);
        w.WriteByte((byte)message.Type);
        switch (message)
        {
            case OpenMessage open:
                OpenCodec.Write(ref w, open);
                break;
            case UpdateMessage update:
                UpdateEncoder.Write(ref w, update, context);
                break;
            case NotificationMessage notification:
                w.WriteByte((byte)notification.Code);
                w.WriteByte(notification.Subcode);
                w.Write(notification.Data.AsSpan());
                break;
            case RouteRefreshMessage refresh:
                w.WriteUInt16((ushort)refresh.Family.Afi);
                w.WriteByte((byte)refresh.Subtype);
                w.WriteByte((byte)refresh.Family.Safi);
                break;
            case KeepaliveMessage:
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} has no encoding", nameof(message));
        }
        var length = w.Position;
        w.PatchUInt16(BgpFraming.MarkerLength, (ushort)length);
        output.Advance(length);
        return length;
    }

    /// <summary>Encodes <paramref name="message"/> into a new array of its length.</summary>
    public static byte[] Encode(BgpMessage message, DecodeContext context)
    {
        var scratch = _scratch ??= new ArrayBufferWriter<byte>(BgpFraming.ExtendedMaxMessageLength);
        scratch.ResetWrittenCount();
        Encode(message, scratch, context);
        return scratch.WrittenSpan.ToArray();
    }
}
