using System.Text.RegularExpressions;
using Evpn.Wire;

namespace Evpn.Cli.Management;

/// <summary>evpnd reports NOTIFICATIONs as <c>NOTIFICATION Cease/2 "text"</c>; an operator reads the subcode
/// by name: <c>Cease/2 (administrative shutdown)</c>. Names from RFC 4271 section 6, RFC 4486, RFC 6608 and RFC 8538.</summary>
public static partial class NotificationText
{
    private static readonly Dictionary<(NotificationCode, byte), string> Names = new()
    {
        [(NotificationCode.MessageHeaderError, MessageHeaderErrorSubcode.ConnectionNotSynchronized)] = "connection not synchronized",
        [(NotificationCode.MessageHeaderError, MessageHeaderErrorSubcode.BadMessageLength)] = "bad message length",
        [(NotificationCode.MessageHeaderError, MessageHeaderErrorSubcode.BadMessageType)] = "bad message type",
        [(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.UnsupportedVersionNumber)] = "unsupported version number",
        [(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.BadPeerAs)] = "bad peer AS",
        [(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.BadBgpIdentifier)] = "bad BGP identifier",
        [(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.UnsupportedOptionalParameter)] = "unsupported optional parameter",
        [(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.UnacceptableHoldTime)] = "unacceptable hold time",
        [(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.UnsupportedCapability)] = "unsupported capability",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.MalformedAttributeList)] = "malformed attribute list",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute)] = "unrecognized well-known attribute",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.MissingWellKnownAttribute)] = "missing well-known attribute",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.AttributeFlagsError)] = "attribute flags error",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.AttributeLengthError)] = "attribute length error",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.InvalidOriginAttribute)] = "invalid ORIGIN attribute",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.InvalidNextHopAttribute)] = "invalid NEXT_HOP attribute",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.OptionalAttributeError)] = "optional attribute error",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.InvalidNetworkField)] = "invalid network field",
        [(NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.MalformedAsPath)] = "malformed AS_PATH",
        [(NotificationCode.FiniteStateMachineError, FsmErrorSubcode.UnexpectedMessageInOpenSent)] = "unexpected message in OpenSent",
        [(NotificationCode.FiniteStateMachineError, FsmErrorSubcode.UnexpectedMessageInOpenConfirm)] = "unexpected message in OpenConfirm",
        [(NotificationCode.FiniteStateMachineError, FsmErrorSubcode.UnexpectedMessageInEstablished)] = "unexpected message in Established",
        [(NotificationCode.Cease, CeaseSubcode.MaximumPrefixesReached)] = "maximum number of prefixes reached",
        [(NotificationCode.Cease, CeaseSubcode.AdministrativeShutdown)] = "administrative shutdown",
        [(NotificationCode.Cease, CeaseSubcode.PeerDeconfigured)] = "peer de-configured",
        [(NotificationCode.Cease, CeaseSubcode.AdministrativeReset)] = "administrative reset",
        [(NotificationCode.Cease, CeaseSubcode.ConnectionRejected)] = "connection rejected",
        [(NotificationCode.Cease, CeaseSubcode.OtherConfigurationChange)] = "other configuration change",
        [(NotificationCode.Cease, CeaseSubcode.ConnectionCollisionResolution)] = "connection collision resolution",
        [(NotificationCode.Cease, CeaseSubcode.OutOfResources)] = "out of resources",
        [(NotificationCode.Cease, CeaseSubcode.HardReset)] = "hard reset",
    };

    /// <summary>Adds the subcode's name after every <c>Code/subcode</c> it knows; the rest of the text is kept.</summary>
    public static string Describe(string text) => CodeAndSubcode().Replace(text, match =>
        Enum.TryParse<NotificationCode>(match.Groups["code"].Value, out var code)
        && byte.TryParse(match.Groups["subcode"].Value, out var subcode)
        && Names.TryGetValue((code, subcode), out var name)
            ? $"{match.Value} ({name})"
            : match.Value);

    [GeneratedRegex(@"\b(?<code>[A-Za-z]+)/(?<subcode>\d{1,3})\b")]
    private static partial Regex CodeAndSubcode();
}
