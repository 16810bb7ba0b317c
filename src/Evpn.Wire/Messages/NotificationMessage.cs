using System.Text;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>NOTIFICATION, RFC 4271 section 4.5: code, subcode and data. The ones the engine sends are built
/// by <see cref="Notifications"/>.</summary>
public sealed record NotificationMessage(NotificationCode Code, byte Subcode, EquatableArray<byte> Data) : BgpMessage
{
    public override MessageType Type => MessageType.Notification;

    public NotificationMessage(NotificationCode code, byte subcode)
        : this(code, subcode, EquatableArray<byte>.Empty)
    {
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
