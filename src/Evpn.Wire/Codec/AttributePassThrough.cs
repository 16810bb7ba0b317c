using System.Buffers.Binary;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Optional transitive attributes evpnd does not interpret but checks before passing them on: a
/// neighbor further on should not receive from us what their RFCs call malformed. Kept byte for byte, with
/// the flags as received, when valid.</summary>
internal static class AttributePassThrough
{
    public static bool IsValidated(byte type) => type is AttributeType.TunnelEncapsulation
        or AttributeType.Ipv6AddressSpecificExtendedCommunities or AttributeType.PrefixSid;

    public static void Decode(byte flags, byte type, ReadOnlySpan<byte> value, ReadOnlySpan<byte> whole, PathAttributesBuilder set, ref ErrorList errors)
    {
        switch (type)
        {
            case AttributeType.TunnelEncapsulation:
                DecodeTunnelEncapsulation(flags, value, whole, set, ref errors);
                return;

            case AttributeType.Ipv6AddressSpecificExtendedCommunities:
                // RFC 5701 section 2: 20 octets each; RFC 7606 section 7.15: otherwise treat-as-withdraw.
                if (value.Length == 0 || value.Length % 20 != 0)
                {
                    errors.Add(AttributeDecoder.Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type,
                        $"IPv6 Address Specific Extended Community length {value.Length} is not a non-zero multiple of 20"));
                    return;
                }
                Keep(flags, type, value.ToArray(), set);
                return;

            case AttributeType.PrefixSid:
                if (PrefixSidError(value) is { } reason)
                {
                    // RFC 8669 section 6: a malformed Prefix-SID attribute is discarded, the routes stay.
                    errors.Add(AttributeDecoder.Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, "PREFIX_SID " + reason));
                    return;
                }
                Keep(flags, type, value.ToArray(), set);
                return;
        }
    }

    /// <summary>RFC 9012 section 2: TLVs of | Tunnel Type (2) | Length (2) | sub-TLVs |, each sub-TLV
    /// | Type (1) | Length (1 for types 0-127, 2 for 128-255) | Value |. Section 13: TLVs that do not end
    /// exactly at the attribute's end make it malformed (attribute discard); a TLV whose sub-TLVs do not end
    /// exactly at its own end is disregarded, and an attribute left without TLVs is as if absent.</summary>
    private static void DecodeTunnelEncapsulation(byte flags, ReadOnlySpan<byte> value, ReadOnlySpan<byte> whole, PathAttributesBuilder set, ref ErrorList errors)
    {
        const byte type = AttributeType.TunnelEncapsulation;
        var kept = new List<(int Offset, int Length)>();
        var dropped = new List<ushort>();
        var offset = 0;
        while (offset < value.Length)
        {
            if (value.Length - offset < 4)
            {
                errors.Add(AttributeDecoder.Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type,
                    "TUNNEL_ENCAPSULATION ends inside a TLV header"));
                return;
            }
            var tunnelType = BinaryPrimitives.ReadUInt16BigEndian(value[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(value[(offset + 2)..]);
            if (length > value.Length - offset - 4)
            {
                errors.Add(AttributeDecoder.Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type,
                    $"TUNNEL_ENCAPSULATION TLV of tunnel type {tunnelType} length {length} overruns the attribute"));
                return;
            }
            if (SubTlvsFill(value.Slice(offset + 4, length)))
            {
                kept.Add((offset, 4 + length));
            }
            else
            {
                dropped.Add(tunnelType);
            }
            offset += 4 + length;
        }
        if (kept.Count == 0)
        {
            errors.Add(AttributeDecoder.Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type,
                "TUNNEL_ENCAPSULATION has no valid TLV"));
            return;
        }
        if (dropped.Count > 0)
        {
            errors.Add(AttributeDecoder.Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type,
                $"TUNNEL_ENCAPSULATION TLVs of tunnel type {string.Join(", ", dropped)} dropped: their sub-TLVs do not fill them"));
        }
        var bytes = new byte[kept.Sum(k => k.Length)];
        var at = 0;
        foreach (var (start, length) in kept)
        {
            value.Slice(start, length).CopyTo(bytes.AsSpan(at));
            at += length;
        }
        Keep(flags, type, bytes, set);
    }

    private static bool SubTlvsFill(ReadOnlySpan<byte> tlv)
    {
        var offset = 0;
        while (offset < tlv.Length)
        {
            var lengthSize = tlv[offset] < 128 ? 1 : 2;
            if (tlv.Length - offset < 1 + lengthSize)
            {
                return false;
            }
            int length = lengthSize == 1 ? tlv[offset + 1] : BinaryPrimitives.ReadUInt16BigEndian(tlv[(offset + 1)..]);
            offset += 1 + lengthSize + length;
        }
        return offset == tlv.Length;
    }

    /// <summary>RFC 8669 section 3: TLVs of | Type (1) | Length (2) | Value |; the Label-Index TLV (type 1) is
    /// 7 octets, the Originator SRGB TLV (type 3) 2 octets of flags and one or more 6-octet ranges. Section 6
    /// names these as the malformations; other TLV types (RFC 9252 SRv6 services) are only framed.</summary>
    private static string? PrefixSidError(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return "has no TLV";
        }
        var offset = 0;
        while (offset < value.Length)
        {
            if (value.Length - offset < 3)
            {
                return "ends inside a TLV header";
            }
            var tlvType = value[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(value[(offset + 1)..]);
            if (length > value.Length - offset - 3)
            {
                return $"TLV type {tlvType} length {length} overruns the attribute";
            }
            if (tlvType == 1 && length != 7)
            {
                return $"Label-Index TLV length {length}, expected 7";
            }
            if (tlvType == 3 && (length < 8 || (length - 2) % 6 != 0))
            {
                return $"Originator SRGB TLV length {length} is not 2 plus a non-zero multiple of 6";
            }
            offset += 3 + length;
        }
        return null;
    }

    private static void Keep(byte flags, byte type, byte[] value, PathAttributesBuilder set) =>
        (set.Unrecognized ??= []).Add(new RawAttribute(flags, type, value));
}
