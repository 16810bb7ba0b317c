namespace Evpn.Wire;

/// <summary>What the receiver does about a malformed message, weakest first (RFC 7606 section 2).
/// When one UPDATE has several problems the strongest action wins (RFC 7606 section 3).</summary>
public enum ErrorAction : byte
{
    /// <summary>Not an error: the message is used as decoded.</summary>
    None = 0,

    /// <summary>RFC 7606 section 2: the malformed attribute is dropped, the rest of the UPDATE is used.</summary>
    AttributeDiscard = 1,

    /// <summary>RFC 7606 section 2: every NLRI of the UPDATE (NLRI field and MP_REACH_NLRI) is handled
    /// as if it had been listed as withdrawn.</summary>
    TreatAsWithdraw = 2,

    /// <summary>RFC 4760 section 7: the AFI/SAFI of the offending MP attribute is disabled for the session
    /// (its routes from this peer are removed and further ones ignored); other families continue.</summary>
    AfiSafiDisable = 3,

    /// <summary>RFC 4271 section 6: a NOTIFICATION is sent and the session is closed.</summary>
    SessionReset = 4,
}
