using System.Buffers;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Targets;

/// <summary>A received TCP byte stream: <see cref="BgpFraming"/> splits it, <see cref="BgpDecoder"/> decodes
/// each message under the decode context the first octet selects (2- or 4-octet AS, internal or external
/// peer, add-path, extended message), as the speaker loop does.</summary>
public sealed class BgpMessageTarget : IFuzzTarget
{
    private static readonly AfiSafi[] AllFamilies = [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn];

    public static readonly DecodeContext[] Contexts =
    [
        DecodeContext.FourOctetAs,
        DecodeContext.Default,
        DecodeContext.FourOctetAs with { ExternalPeer = true, PeerAsn = 65002 },
        DecodeContext.FourOctetAs with { ExtendedMessage = true, AddPathReceive = AllFamilies, AddPathSend = AllFamilies },
        DecodeContext.Default with { AddPathReceive = AllFamilies, AddPathSend = AllFamilies, ExternalPeer = true, PeerAsn = 65002 },
        DecodeContext.FourOctetAs with { ExtendedMessage = true },
    ];

    public string Name => "bgp";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        var context = Contexts[input[0] % Contexts.Length];
        var buffer = new ReadOnlySequence<byte>(input[1..].ToArray());
        while (true)
        {
            var before = buffer.Length;
            if (!BgpFraming.TryReadMessage(ref buffer, context, out var frame))
            {
                PropertyViolation.Unless(buffer.Length == before, "framing consumed bytes while asking for more");
                return;
            }
            if (frame.Error is { } error)
            {
                PropertyViolation.Unless(buffer.Length == before, "framing consumed a message with a bad header");
                PropertyViolation.Unless(error.Code == NotificationCode.MessageHeaderError && error.IsSessionFatal, $"header error {error}");
                return;
            }
            PropertyViolation.Unless(before - buffer.Length == frame.Message.Length && frame.Message.Length >= BgpFraming.HeaderLength,
                "framing consumed other than the message it returned");
            PropertyViolation.Unless(frame.Message.Length <= context.MaxMessageLength, $"framed a message of {frame.Message.Length} octets");
            var result = BgpChecks.DecodeAndCheck(frame.Message.ToArray(), context);
            if (result.IsSessionFatal)
            {
                return;
            }
            PropertyViolation.Unless(result.Message!.Type == frame.Type, $"framed {frame.Type} decoded as {result.Message.Type}");
        }
    }
}
