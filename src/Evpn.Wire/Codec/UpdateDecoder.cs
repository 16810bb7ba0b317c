using System.Buffers.Binary;
using System.Collections.Immutable;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>UPDATE, RFC 4271 section 4.3, with the RFC 7606 error handling.</summary>
/// <remarks>
///   | Withdrawn Routes Length (2) | Withdrawn Routes | Total Path Attribute Length (2) | Path Attributes | NLRI |
///
///   Message-level outcomes (attribute-level ones are tabled in <see cref="AttributeDecoder"/>, EVPN NLRI
///   in <see cref="EvpnNlriCodec"/>):
///   | input                                                              | action                              |
///   |--------------------------------------------------------------------|-------------------------------------|
///   | Withdrawn Routes Length or Total Attribute Length beyond the message| session reset, 3/1 (RFC 4271 6.3)  |
///   | Withdrawn Routes or NLRI field not parseable                        | session reset, 3/10 (RFC 7606 5.3) |
///   | fewer octets left than an attribute header (RFC 7606 section 4)     | treat-as-withdraw                  |
///   | attribute length overruns the attribute field (RFC 7606 section 4)  | treat-as-withdraw; session reset   |
///   |                                                                     | if it is MP_REACH/MP_UNREACH       |
///   | MP_REACH_NLRI or MP_UNREACH_NLRI twice (RFC 7606 3g)                | session reset, 3/1                  |
///   | any other attribute twice (RFC 7606 3g)                             | later copies discarded              |
///   | reachable NLRI without ORIGIN or AS_PATH, or NLRI field without      | treat-as-withdraw, 3/3 (RFC 7606 3d)|
///   | NEXT_HOP (this covers "NLRI with no attributes")                    |                                     |
///   | attribute type the neighbor's `path-attribute.discard` lists        | dropped unread                      |
///   | attribute type the neighbor's `path-attribute.treat-as-withdraw` lists | treat-as-withdraw                |
///   The Total Attribute Length is always relied on to find the NLRI field (RFC 7606 section 4).
/// </remarks>
internal static class UpdateDecoder
{
    public static DecodeResult Decode(ReadOnlySpan<byte> message, DecodeContext context)
    {
        var body = message[BgpFraming.HeaderLength..];
        if (body.Length < 4)
        {
            return Fatal(UpdateMessageErrorSubcode.MalformedAttributeList, "UPDATE shorter than its two length fields");
        }
        int withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (withdrawnLength > body.Length - 4)
        {
            return Fatal(UpdateMessageErrorSubcode.MalformedAttributeList, $"Withdrawn Routes Length {withdrawnLength} runs past the message");
        }
        var withdrawnBytes = body.Slice(2, withdrawnLength);
        int attributesLength = BinaryPrimitives.ReadUInt16BigEndian(body[(2 + withdrawnLength)..]);
        if (attributesLength > body.Length - 4 - withdrawnLength)
        {
            return Fatal(UpdateMessageErrorSubcode.MalformedAttributeList, $"Total Path Attribute Length {attributesLength} runs past the message");
        }
        var attributeBytes = body.Slice(4 + withdrawnLength, attributesLength);
        var nlriBytes = body[(4 + withdrawnLength + attributesLength)..];

        var ipv4AddPath = context.ReceivesPathId(AfiSafi.Ipv4Unicast);
        var withdrawn = new NlriListBuilder();
        var withdrawnError = PrefixNlriCodec.DecodeAll(withdrawnBytes, v6: false, ipv4AddPath, ref withdrawn);
        if (withdrawnError is not null)
        {
            withdrawn.Reset();
            return Fatal(UpdateMessageErrorSubcode.InvalidNetworkField, "Withdrawn Routes: " + withdrawnError);
        }
        var reachable = new NlriListBuilder();
        var nlriError = PrefixNlriCodec.DecodeAll(nlriBytes, v6: false, ipv4AddPath, ref reachable);
        if (nlriError is not null)
        {
            withdrawn.Reset();
            reachable.Reset();
            return Fatal(UpdateMessageErrorSubcode.InvalidNetworkField, "NLRI: " + nlriError);
        }

        var errors = new ErrorList();
        var set = new PathAttributesBuilder();
        var layout = DecodeAttributes(attributeBytes, context, set, ref errors);
        if (errors.HasFatal)
        {
            withdrawn.Reset();
            reachable.Reset();
            return new DecodeResult(null, errors.ToImmutable());
        }

        if (set.As4Path is not null || set.As4Aggregator is not null)
        {
            As4Merge.Apply(set);
        }
        var nlri = reachable.ToArrayAndReset();
        CheckMandatory(set, layout, !nlri.IsEmpty, ref errors);

        var update = new UpdateMessage(withdrawn.ToArrayAndReset(), set.ToPathAttributes(), set.MpReach, set.MpUnreach, nlri)
        {
            Layout = layout,
            UnsupportedMpAttributes = set.UnsupportedMp is null ? EquatableArray<RawAttribute>.Empty : set.UnsupportedMp.ToArray(),
        };
        return new DecodeResult(update, errors.ToImmutable(), set.SkippedRoutes);
    }

    private static EquatableArray<AttributeHeader> DecodeAttributes(ReadOnlySpan<byte> attributes, DecodeContext context, PathAttributesBuilder set, ref ErrorList errors)
    {
        if (attributes.IsEmpty)
        {
            return EquatableArray<AttributeHeader>.Empty;
        }
        Span<ulong> seen = stackalloc ulong[4];
        var layout = ImmutableArray.CreateBuilder<AttributeHeader>(8);
        var offset = 0;
        while (offset < attributes.Length)
        {
            var remaining = attributes.Length - offset;
            var flags = attributes[offset];
            var headerLength = (flags & AttributeFlags.ExtendedLength) != 0 ? 4 : 3;
            if (remaining < headerLength)
            {
                errors.Add(BgpError.Update(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAttributeList, attributes[offset..],
                    $"{remaining} octet(s) left in the path attributes, too few for an attribute header"));
                break;
            }
            var type = attributes[offset + 1];
            int length = headerLength == 4 ? BinaryPrimitives.ReadUInt16BigEndian(attributes[(offset + 2)..]) : attributes[offset + 2];
            if (length > remaining - headerLength)
            {
                var isMp = type is AttributeType.MpReachNlri or AttributeType.MpUnreachNlri;
                errors.Add(AttributeDecoder.Error(isMp ? ErrorAction.SessionReset : ErrorAction.TreatAsWithdraw,
                    UpdateMessageErrorSubcode.AttributeLengthError, attributes[offset..], type,
                    $"attribute type {type} length {length} overruns the path attributes ({remaining - headerLength} octets left)"));
                break;
            }
            var whole = attributes.Slice(offset, headerLength + length);
            var value = whole[headerLength..];
            offset += headerLength + length;

            ref var word = ref seen[type >> 6];
            var bit = 1UL << (type & 63);
            if ((word & bit) != 0)
            {
                if (type is AttributeType.MpReachNlri or AttributeType.MpUnreachNlri)
                {
                    errors.Add(AttributeDecoder.Error(ErrorAction.SessionReset, UpdateMessageErrorSubcode.MalformedAttributeList, whole, type,
                        $"{(type == AttributeType.MpReachNlri ? "MP_REACH_NLRI" : "MP_UNREACH_NLRI")} appears more than once"));
                    break;
                }
                errors.Add(AttributeDecoder.Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.MalformedAttributeList, whole, type,
                    $"attribute type {type} appears more than once; later copies discarded"));
                continue;
            }
            word |= bit;

            if (context.Policy.Discards(type))
            {
                // Configured for this neighbor: the attribute is dropped unread, as if it had not been sent.
                continue;
            }
            if (context.Policy.Withdraws(type))
            {
                errors.Add(AttributeDecoder.Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAttributeList, whole, type,
                    $"attribute type {type} is configured treat-as-withdraw for this neighbor"));
            }

            var expected = AttributeDecoder.ExpectedFlags(type);
            if (expected is { } e && (flags & (AttributeFlags.Optional | AttributeFlags.Transitive)) != e)
            {
                errors.Add(AttributeDecoder.Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeFlagsError, whole, type,
                    $"attribute type {type} has flags 0x{flags:x2} that conflict with its category"));
            }
            layout.Add(new AttributeHeader(flags, type));
            AttributeDecoder.Decode(flags, type, value, whole, context, set, ref errors);
        }
        return layout.ToImmutable();
    }

    /// <summary>RFC 7606 section 3 d: reachable NLRI need ORIGIN and AS_PATH, and the NLRI field also
    /// NEXT_HOP (RFC 4760 makes NEXT_HOP unnecessary for MP_REACH_NLRI only).</summary>
    private static void CheckMandatory(PathAttributesBuilder set, EquatableArray<AttributeHeader> layout, bool hasNlriField, ref ErrorList errors)
    {
        var hasMpReach = set.MpReach is { } reach && !reach.Nlri.IsEmpty;
        if (!hasNlriField && !hasMpReach)
        {
            return;
        }
        CheckPresent(layout, AttributeType.Origin, "ORIGIN", ref errors);
        CheckPresent(layout, AttributeType.AsPath, "AS_PATH", ref errors);
        if (hasNlriField)
        {
            CheckPresent(layout, AttributeType.NextHop, "NEXT_HOP", ref errors);
        }
    }

    private static void CheckPresent(EquatableArray<AttributeHeader> layout, byte type, string name, ref ErrorList errors)
    {
        foreach (var header in layout.AsSpan())
        {
            if (header.TypeCode == type)
            {
                return;
            }
        }
        errors.Add(BgpError.Update(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MissingWellKnownAttribute, [type],
            $"well-known mandatory attribute {name} is missing") with { AttributeType = type });
    }

    private static DecodeResult Fatal(byte subcode, string reason) =>
        DecodeResult.Fatal(BgpError.Update(ErrorAction.SessionReset, subcode, [], reason));
}
