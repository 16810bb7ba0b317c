using Evpn.Wire;

namespace Evpn.Session.Fsm;

/// <summary>The NOTIFICATIONs the session layer itself decides to send. Decode errors come from the
/// codec as <see cref="BgpError"/> and become NOTIFICATIONs through <see cref="BgpError.ToNotification"/>.</summary>
public static class SessionNotifications
{
    /// <summary>RFC 9687 section 3: error code 8, Send Hold Timer Expired (not in RFC 4271's list).</summary>
    public const NotificationCode SendHoldTimerExpiredCode = (NotificationCode)8;

    public static NotificationMessage HoldTimerExpired { get; } = new(NotificationCode.HoldTimerExpired, 0);

    public static NotificationMessage SendHoldTimerExpired { get; } = new(SendHoldTimerExpiredCode, 0);

    /// <summary>RFC 4271 section 6.8 with the RFC 4486 subcode.</summary>
    public static NotificationMessage CollisionResolution { get; } = new(NotificationCode.Cease, CeaseSubcode.ConnectionCollisionResolution);

    /// <summary>RFC 6608: the subcode says which state received the unexpected event.</summary>
    public static NotificationMessage UnexpectedIn(BgpState state) => new(NotificationCode.FiniteStateMachineError, state switch
    {
        BgpState.OpenSent => 1,
        BgpState.OpenConfirm => 2,
        BgpState.Established => 3,
        _ => 0,
    });

    /// <summary>RFC 8538 section 3: Cease / Hard Reset carries the NOTIFICATION it stands for (code,
    /// subcode, data) as its data, and tells a graceful-restart peer to drop our routes.</summary>
    public static NotificationMessage HardReset(NotificationMessage inner)
    {
        var data = new byte[2 + inner.Data.Count];
        data[0] = (byte)inner.Code;
        data[1] = inner.Subcode;
        inner.Data.AsSpan().CopyTo(data.AsSpan(2));
        return new NotificationMessage(NotificationCode.Cease, CeaseSubcode.HardReset, data);
    }

    /// <summary>The NOTIFICATION a Hard Reset carries, or the message itself.</summary>
    public static NotificationMessage Unwrap(NotificationMessage message)
    {
        var data = message.Data.AsSpan();
        return message.Code == NotificationCode.Cease && message.Subcode == CeaseSubcode.HardReset && data.Length >= 2
            ? new NotificationMessage((NotificationCode)data[0], data[1], data[2..].ToArray())
            : message;
    }

    /// <summary>RFC 4486 section 4: Cease / Maximum Number of Prefixes Reached carries AFI (2), SAFI (1)
    /// and the configured limit (4).</summary>
    public static NotificationMessage MaximumPrefixes(Wire.Model.AfiSafi family, uint limit)
    {
        var data = new byte[7];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)family.Afi);
        data[2] = (byte)family.Safi;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(3), limit);
        return new NotificationMessage(NotificationCode.Cease, CeaseSubcode.MaximumPrefixesReached, data);
    }
}
