using System.Text;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>NOTIFICATION, RFC 4271 section 4.5: code, subcode and data.</summary>
public sealed record NotificationMessage(NotificationCode Code, byte Subcode, EquatableArray<byte> Data) : BgpMessage
{
    /// <summary>RFC 9003 section 2: a shutdown communication is at most 255 octets of UTF-8.</summary>
    public const int MaxShutdownCommunicationLength = 255;

    public override MessageType Type => MessageType.Notification;

    public NotificationMessage(NotificationCode code, byte subcode)
        : this(code, subcode, EquatableArray<byte>.Empty)
    {
    }

    /// <summary>Cease / Administrative Shutdown or Administrative Reset with a shutdown communication
    /// (RFC 8203, RFC 9003 section 2: one length octet then UTF-8). The text is cut to 255 octets
    /// on a character boundary.</summary>
    public static NotificationMessage Shutdown(string communication, bool reset = false)
    {
        var text = Encoding.UTF8.GetBytes(communication);
        var length = Math.Min(text.Length, MaxShutdownCommunicationLength);
        while (length < text.Length && length > 0 && (text[length] & 0xC0) == 0x80)
        {
            length--;
        }
        var data = new byte[1 + length];
        data[0] = (byte)length;
        text.AsSpan(0, length).CopyTo(data.AsSpan(1));
        return new NotificationMessage(NotificationCode.Cease, reset ? CeaseSubcode.AdministrativeReset : CeaseSubcode.AdministrativeShutdown, data);
    }

    /// <summary>The RFC 8203/9003 shutdown communication, when this is a Cease / Administrative
    /// Shutdown or Reset whose data is a well-formed length-prefixed string; otherwise null.</summary>
    public string? ShutdownCommunication
    {
        get
        {
            if (Code != NotificationCode.Cease || Subcode is not (CeaseSubcode.AdministrativeShutdown or CeaseSubcode.AdministrativeReset))
            {
                return null;
            }
            var data = Data.AsSpan();
            if (data.Length == 0 || data[0] != data.Length - 1)
            {
                return null;
            }
            return Encoding.UTF8.GetString(data[1..]);
        }
    }

    /// <summary>The shutdown communication is the peer's text: shown escaped (<see cref="PeerText"/>).</summary>
    public override string ToString()
    {
        var text = $"NOTIFICATION {Code}/{Subcode}";
        return ShutdownCommunication is { } s ? $"{text} \"{PeerText.Escape(s)}\"" : text;
    }
}
