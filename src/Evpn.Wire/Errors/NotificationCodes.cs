namespace Evpn.Wire;

/// <summary>NOTIFICATION error codes, RFC 4271 section 4.5 (plus RFC 7313 for route refresh and RFC 9687
/// for the send hold timer).</summary>
public enum NotificationCode : byte
{
    MessageHeaderError = 1,
    OpenMessageError = 2,
    UpdateMessageError = 3,
    HoldTimerExpired = 4,
    FiniteStateMachineError = 5,
    Cease = 6,
    RouteRefreshMessageError = 7,
    SendHoldTimerExpired = 8,
}

/// <summary>Subcodes of <see cref="NotificationCode.MessageHeaderError"/>, RFC 4271 section 6.1.</summary>
public static class MessageHeaderErrorSubcode
{
    public const byte ConnectionNotSynchronized = 1;
    public const byte BadMessageLength = 2;
    public const byte BadMessageType = 3;
}

/// <summary>Subcodes of <see cref="NotificationCode.OpenMessageError"/>, RFC 4271 section 6.2 and RFC 5492.</summary>
public static class OpenMessageErrorSubcode
{
    public const byte UnsupportedVersionNumber = 1;
    public const byte BadPeerAs = 2;
    public const byte BadBgpIdentifier = 3;
    public const byte UnsupportedOptionalParameter = 4;
    public const byte UnacceptableHoldTime = 6;
    public const byte UnsupportedCapability = 7;
}

/// <summary>Subcodes of <see cref="NotificationCode.UpdateMessageError"/>, RFC 4271 section 6.3.</summary>
public static class UpdateMessageErrorSubcode
{
    public const byte MalformedAttributeList = 1;
    public const byte UnrecognizedWellKnownAttribute = 2;
    public const byte MissingWellKnownAttribute = 3;
    public const byte AttributeFlagsError = 4;
    public const byte AttributeLengthError = 5;
    public const byte InvalidOriginAttribute = 6;
    public const byte InvalidNextHopAttribute = 8;
    public const byte OptionalAttributeError = 9;
    public const byte InvalidNetworkField = 10;
    public const byte MalformedAsPath = 11;
}

/// <summary>Subcodes of <see cref="NotificationCode.FiniteStateMachineError"/>, RFC 6608 section 3: which
/// state received the unexpected message; events that are not messages have no subcode of their own.</summary>
public static class FsmErrorSubcode
{
    public const byte Unspecified = 0;
    public const byte UnexpectedMessageInOpenSent = 1;
    public const byte UnexpectedMessageInOpenConfirm = 2;
    public const byte UnexpectedMessageInEstablished = 3;
}

/// <summary>Subcodes of <see cref="NotificationCode.Cease"/>, RFC 4486 and RFC 8538.</summary>
public static class CeaseSubcode
{
    public const byte MaximumPrefixesReached = 1;
    public const byte AdministrativeShutdown = 2;
    public const byte PeerDeconfigured = 3;
    public const byte AdministrativeReset = 4;
    public const byte ConnectionRejected = 5;
    public const byte OtherConfigurationChange = 6;
    public const byte ConnectionCollisionResolution = 7;
    public const byte OutOfResources = 8;
    public const byte HardReset = 9;
}

/// <summary>Subcodes of <see cref="NotificationCode.RouteRefreshMessageError"/>, RFC 7313 section 5.</summary>
public static class RouteRefreshErrorSubcode
{
    public const byte InvalidMessageLength = 1;
}
