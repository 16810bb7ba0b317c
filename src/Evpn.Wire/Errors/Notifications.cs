using System.Buffers.Binary;
using System.Text;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Every NOTIFICATION the engine sends is built here: decode errors, timers, FSM errors, Cease
/// with its subcodes and data, and the RFC 8538 Hard Reset that wraps another NOTIFICATION. Callers
/// decide when to send one; only this type decides what its code, subcode and data are.</summary>
public static class Notifications
{
    /// <summary>RFC 8654 section 4 limits payloads to the maximum message size: with at most this much data a
    /// NOTIFICATION fits 4096 octets (header and code/subcode take 21), which every peer accepts.</summary>
    public const int MaxDataLength = BgpFraming.MaxMessageLength - BgpFraming.HeaderLength - 2;

    /// <summary>RFC 9003 section 2: a shutdown communication is at most 255 octets of UTF-8.</summary>
    public const int MaxShutdownCommunicationLength = 255;

    /// <summary>RFC 4271 section 6.5.</summary>
    public static NotificationMessage HoldTimerExpired { get; } = new(NotificationCode.HoldTimerExpired, 0);

    /// <summary>RFC 9687 section 3.</summary>
    public static NotificationMessage SendHoldTimerExpired { get; } = new(NotificationCode.SendHoldTimerExpired, 0);

    /// <summary>RFC 4271 section 6.8 with the RFC 4486 subcode.</summary>
    public static NotificationMessage CollisionResolution { get; } = Cease(CeaseSubcode.ConnectionCollisionResolution);

    /// <summary>The NOTIFICATION that reports a decode or OPEN error (RFC 4271 sections 6.1 to 6.3, RFC 7313
    /// section 5): its code, subcode and data. Only for an error that resets the session, or an AFI/SAFI
    /// disable the session escalates to a reset (RFC 4760 section 7); weaker errors are never reported.</summary>
    public static NotificationMessage For(BgpError error) => error.Action is ErrorAction.SessionReset or ErrorAction.AfiSafiDisable
        ? Build(error.Code, error.Subcode, error.Data.AsSpan())
        : throw new InvalidOperationException($"only a session-reset error is reported with a NOTIFICATION; this one calls for {error.Action}");

    /// <summary>RFC 4271 section 6.6 with the RFC 6608 subcode (<see cref="FsmErrorSubcode"/>) that says in
    /// which state the unexpected message arrived.</summary>
    public static NotificationMessage FsmError(byte subcode) => new(NotificationCode.FiniteStateMachineError, subcode);

    /// <summary>Cease with a subcode and no data (RFC 4486 section 4).</summary>
    public static NotificationMessage Cease(byte subcode) => new(NotificationCode.Cease, subcode);

    /// <summary>Cease / Administrative Shutdown, or Administrative Reset when <paramref name="reset"/>, with a
    /// shutdown communication (RFC 8203, RFC 9003 section 2: one length octet then UTF-8, cut to 255 octets on
    /// a character boundary). Without a communication the Cease has no data.</summary>
    public static NotificationMessage Shutdown(string? communication, bool reset = false)
    {
        var subcode = reset ? CeaseSubcode.AdministrativeReset : CeaseSubcode.AdministrativeShutdown;
        if (communication is null)
        {
            return Cease(subcode);
        }
        var text = Encoding.UTF8.GetBytes(communication);
        var length = Math.Min(text.Length, MaxShutdownCommunicationLength);
        while (length < text.Length && length > 0 && (text[length] & 0xC0) == 0x80)
        {
            length--;
        }
        var data = new byte[1 + length];
        data[0] = (byte)length;
        text.AsSpan(0, length).CopyTo(data.AsSpan(1));
        return new NotificationMessage(NotificationCode.Cease, subcode, data);
    }

    /// <summary>RFC 4486 section 4: Cease / Maximum Number of Prefixes Reached carries AFI (2), SAFI (1) and
    /// the configured limit (4).</summary>
    public static NotificationMessage MaximumPrefixes(AfiSafi family, uint limit)
    {
        var data = new byte[7];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)family.Afi);
        data[2] = (byte)family.Safi;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(3), limit);
        return new NotificationMessage(NotificationCode.Cease, CeaseSubcode.MaximumPrefixesReached, data);
    }

    /// <summary>RFC 8538 section 3: Cease / Hard Reset carries the NOTIFICATION it stands for (code, subcode,
    /// data) as its data, and tells a graceful-restart peer to drop our routes.</summary>
    public static NotificationMessage HardReset(NotificationMessage inner)
    {
        var data = new byte[2 + inner.Data.Count];
        data[0] = (byte)inner.Code;
        data[1] = inner.Subcode;
        inner.Data.AsSpan().CopyTo(data.AsSpan(2));
        return Build(NotificationCode.Cease, CeaseSubcode.HardReset, data);
    }

    /// <summary>The NOTIFICATION a received Hard Reset carries (RFC 8538 section 3), or the message itself.</summary>
    public static NotificationMessage Unwrap(NotificationMessage message)
    {
        var data = message.Data.AsSpan();
        return message.Code == NotificationCode.Cease && message.Subcode == CeaseSubcode.HardReset && data.Length >= 2
            ? new NotificationMessage((NotificationCode)data[0], data[1], data[2..].ToArray())
            : message;
    }

    private static NotificationMessage Build(NotificationCode code, byte subcode, ReadOnlySpan<byte> data) =>
        new(code, subcode, data[..Math.Min(data.Length, MaxDataLength)].ToArray());
}
