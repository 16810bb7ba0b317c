using Evpn.Wire;

namespace Evpn.Fuzz.Targets;

/// <summary>What every decode must satisfy, whatever the bytes: a clean message re-encodes to bytes that
/// decode to the same value; every error carries the RFC 7606 action the codec's tables give its attribute;
/// the result's action, message and NOTIFICATION agree with each other.</summary>
public static class BgpChecks
{
    /// <summary>RFC 7606 section 7: attributes whose malformation calls for treat-as-withdraw.</summary>
    private static readonly HashSet<byte> TreatAsWithdrawAttributes = [1, 2, 3, 4, 5, 8, 16, 22, 25, 32];

    /// <summary>Attributes a malformation of which only discards them (RFC 7606 sections 7.6-7.7, 7.9-7.10
    /// from an external peer, RFC 6793 for AS4_PATH/AS4_AGGREGATOR, RFC 9012 section 13, RFC 8669 section 6).</summary>
    private static readonly HashSet<byte> DiscardableAttributes = [6, 7, 9, 10, 17, 18, 23, 40];

    private const byte MpReach = 14;
    private const byte MpUnreach = 15;

    public static DecodeResult DecodeAndCheck(ReadOnlySpan<byte> message, DecodeContext context)
    {
        // Re-encoded as the peer would send it: with path identifiers where this side receives them (an MRT
        // add-path record's context only says receive).
        context = context with { AddPathSend = context.AddPathReceive };
        var result = BgpDecoder.Decode(message, context);
        CheckConsistency(result, context);
        if (result.Message is not null && result.Errors.IsEmpty)
        {
            CheckRoundTrip(result.Message, context);
        }
        return result;
    }

    private static void CheckConsistency(DecodeResult result, DecodeContext context)
    {
        var strongest = ErrorAction.None;
        foreach (var error in result.Errors)
        {
            strongest = error.Action > strongest ? error.Action : strongest;
            CheckAction(error);
        }
        PropertyViolation.Unless(result.Action == strongest, $"result action {result.Action} is not the strongest of its errors ({strongest})");
        if (result.IsSessionFatal)
        {
            PropertyViolation.Unless(result.Message is null, "a session-fatal result still carries a message");
            var notification = result.Notification;
            PropertyViolation.Unless(notification is not null, "a session-fatal result has no NOTIFICATION");
            var bytes = BgpEncoder.Encode(notification!, context);
            PropertyViolation.Unless(bytes.Length <= BgpFraming.MaxMessageLength, $"NOTIFICATION of {bytes.Length} octets exceeds 4096");
            var again = BgpDecoder.Decode(bytes, context);
            PropertyViolation.Unless(again.Errors.IsEmpty && notification!.Equals(again.Message),
                $"the NOTIFICATION for {result.Strongest} does not decode back to itself: {again}");
            return;
        }
        PropertyViolation.Unless(result.Message is not null, $"a result that is not session-fatal ({result.Action}) has no message");
        if (result.Action == ErrorAction.AfiSafiDisable)
        {
            PropertyViolation.Unless(result.DisabledFamilies.Any(), "AFI/SAFI disable without a family");
        }
        // What the receiver applies (BgpSpeaker.OnUpdate): the UPDATE, or under treat-as-withdraw its NLRI withdrawn.
        if (result.Message is UpdateMessage update)
        {
            var apply = result.Action == ErrorAction.TreatAsWithdraw ? update.AsWithdrawal() : update;
            if (result.Action == ErrorAction.TreatAsWithdraw)
            {
                PropertyViolation.Unless(!apply.Announced.Any(), "treat-as-withdraw still announces routes");
            }
            // What the receiver applies must itself be a message it could have received.
            var bytes = BgpEncoder.Encode(apply, context);
            var again = BgpDecoder.Decode(bytes, context);
            PropertyViolation.Unless(!again.IsSessionFatal, $"the UPDATE applied under {result.Action} does not decode: {again}");
        }
    }

    /// <summary>The action a single error may carry, from the attribute it is about (the README's RFC 7606 table).</summary>
    private static void CheckAction(BgpError error)
    {
        switch (error.Code)
        {
            case NotificationCode.MessageHeaderError or NotificationCode.OpenMessageError or NotificationCode.RouteRefreshMessageError:
                PropertyViolation.Unless(error.Action == ErrorAction.SessionReset, $"{error.Code} error with action {error.Action}: {error}");
                return;
            case NotificationCode.UpdateMessageError:
                break;
            default:
                throw new PropertyViolation($"decode error with code {error.Code}: {error}");
        }
        PropertyViolation.Unless(error.Action != ErrorAction.None, $"an error without an action: {error}");
        if (error.AttributeType is not { } type)
        {
            return;
        }
        var duplicate = error.Subcode == UpdateMessageErrorSubcode.MalformedAttributeList && error.Action == ErrorAction.AttributeDiscard;
        if (type is MpReach or MpUnreach)
        {
            PropertyViolation.Unless(error.Action is ErrorAction.AfiSafiDisable or ErrorAction.SessionReset or ErrorAction.TreatAsWithdraw,
                $"MP attribute error with action {error.Action}: {error}");
        }
        else if (TreatAsWithdrawAttributes.Contains(type))
        {
            PropertyViolation.Unless(error.Action == ErrorAction.TreatAsWithdraw || duplicate,
                $"attribute {type} error with action {error.Action}, RFC 7606 says treat-as-withdraw: {error}");
        }
        else if (DiscardableAttributes.Contains(type))
        {
            PropertyViolation.Unless(error.Action is ErrorAction.AttributeDiscard or ErrorAction.TreatAsWithdraw,
                $"attribute {type} error with action {error.Action}, RFC 7606 says attribute discard: {error}");
        }
        else if (error.Subcode == UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute)
        {
            // RFC 4271 section 6.3: an attribute that claims to be well-known but is not one of them.
            PropertyViolation.Unless(error.Action == ErrorAction.SessionReset, $"unrecognized well-known attribute {type} with action {error.Action}");
        }
        else
        {
            PropertyViolation.Unless(error.Action is ErrorAction.AttributeDiscard or ErrorAction.TreatAsWithdraw,
                $"attribute {type} error with action {error.Action}: {error}");
        }
    }

    private static void CheckRoundTrip(BgpMessage message, DecodeContext context)
    {
        var bytes = BgpEncoder.Encode(message, context);
        var again = BgpDecoder.Decode(bytes, context);
        PropertyViolation.Unless(again.Errors.IsEmpty, $"{message.Type} re-encoded as {Convert.ToHexString(bytes)} decodes with {again}");
        PropertyViolation.Unless(message.Equals(again.Message), $"{message.Type} re-encoded as {Convert.ToHexString(bytes)} decodes to another value");
    }
}
