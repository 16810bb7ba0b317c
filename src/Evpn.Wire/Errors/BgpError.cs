using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>One problem found while decoding, as a value: the RFC 7606 action it calls for and the
/// NOTIFICATION code, subcode and data that would report it (sent, through <see cref="Notifications.For"/>,
/// only when the action is <see cref="ErrorAction.SessionReset"/>).</summary>
/// <param name="Action">What the receiver does (RFC 7606 section 2).</param>
/// <param name="Code">NOTIFICATION error code.</param>
/// <param name="Subcode">NOTIFICATION error subcode.</param>
/// <param name="Data">NOTIFICATION data (RFC 4271 section 6: usually the offending attribute or field).</param>
/// <param name="Reason">A sentence for logs and <c>evpnctl decode</c>.</param>
public sealed record BgpError(ErrorAction Action, NotificationCode Code, byte Subcode, EquatableArray<byte> Data, string Reason)
{
    /// <summary>The family to disable when <see cref="Action"/> is <see cref="ErrorAction.AfiSafiDisable"/>.</summary>
    public AfiSafi? Family { get; init; }

    /// <summary>The attribute type code the error is about, when it is about one.</summary>
    public byte? AttributeType { get; init; }

    public bool IsSessionFatal => Action == ErrorAction.SessionReset;

    /// <summary>The stronger of two errors (RFC 7606 section 3: the most severe action wins); on a tie the first.</summary>
    public static BgpError? Stronger(BgpError? first, BgpError? second) =>
        first is null ? second : second is null ? first : second.Action > first.Action ? second : first;

    public override string ToString() =>
        $"{Action}: {Reason} (NOTIFICATION {(byte)Code}/{Subcode}{(Family is { } f ? ", " + f : "")})";

    internal static BgpError Header(byte subcode, ReadOnlySpan<byte> data, string reason) =>
        new(ErrorAction.SessionReset, NotificationCode.MessageHeaderError, subcode, data.ToArray(), reason);

    /// <summary>An OPEN the codec or the session refuses (RFC 4271 section 6.2); <paramref name="data"/> as
    /// the subcode prescribes (the supported version, the capabilities missing).</summary>
    public static BgpError Open(byte subcode, string reason, ReadOnlySpan<byte> data = default) =>
        new(ErrorAction.SessionReset, NotificationCode.OpenMessageError, subcode, data.ToArray(), reason);

    internal static BgpError Update(ErrorAction action, byte subcode, ReadOnlySpan<byte> data, string reason) =>
        new(action, NotificationCode.UpdateMessageError, subcode, data.ToArray(), reason);
}
