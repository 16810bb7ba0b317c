using System.Buffers.Binary;
using System.Collections.Immutable;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Decodes the value of one path attribute and classifies what is wrong with it (RFC 7606 section 7).</summary>
/// <remarks>
///   | attribute (type)           | malformed when                                   | action (RFC)                       |
///   |----------------------------|--------------------------------------------------|------------------------------------|
///   | any known, flags (3c)      | Optional/Transitive bits differ from the spec     | treat-as-withdraw (7606 3c)        |
///   | ORIGIN (1)                 | length != 1, value > 2                            | treat-as-withdraw (7606 7.1)       |
///   | AS_PATH (2)                | bad segment type, zero or overrunning segment     | treat-as-withdraw (7606 7.2)       |
///   |                            | AS 0 in any segment                               | treat-as-withdraw (RFC 7607 s. 2)  |
///   |                            | external peer: confederation segment              | treat-as-withdraw (5065 5.3, 7.2)  |
///   |                            | external peer: first AS not the peer's (enforce-  | treat-as-withdraw (4271 6.3, 7.2)  |
///   |                            |  first-as, on unless configured off), empty path  |                                    |
///   | NEXT_HOP (3)               | length != 4                                       | treat-as-withdraw (7606 7.3)       |
///   | MULTI_EXIT_DISC (4)        | length != 4                                       | treat-as-withdraw (7606 7.4)       |
///   | LOCAL_PREF (5)             | length != 4; from an external peer: always dropped| treat-as-withdraw / discard (7.5)  |
///   | ATOMIC_AGGREGATE (6)       | length != 0                                       | attribute discard (7606 7.6)       |
///   | AGGREGATOR (7)             | length != 6 (2-octet AS) or 8 (4-octet AS), AS 0  | attribute discard (7606 7.7, 7607) |
///   | COMMUNITIES (8)            | length not a non-zero multiple of 4               | treat-as-withdraw (7606 7.8)       |
///   | ORIGINATOR_ID (9)          | length != 4                                       | treat-as-withdraw (7606 7.9)       |
///   |                            | from an external peer (any length)                | attribute discard (7606 7.9)       |
///   | CLUSTER_LIST (10)          | length not a non-zero multiple of 4               | treat-as-withdraw (7606 7.10)      |
///   |                            | from an external peer (any length)                | attribute discard (7606 7.10)      |
///   | MP_REACH_NLRI (14)         | shorter than AFI+SAFI                             | session reset (7606 7.11)          |
///   |                            | bad next-hop length, NLRI not parseable           | AFI/SAFI disable (7606 7.11, 5.3)  |
///   | MP_UNREACH_NLRI (15)       | shorter than AFI+SAFI                             | session reset (7606 7.12)          |
///   |                            | NLRI not parseable (also End-of-RIB with junk)    | AFI/SAFI disable (7606 7.12, 5.3)  |
///   | EXTENDED_COMMUNITIES (16)  | length not a non-zero multiple of 8               | treat-as-withdraw (7606 7.14)      |
///   | AS4_PATH (17)              | as AS_PATH (AS 0 too); ignored on a 4-octet session| attribute discard (6793 s. 6, 7607)|
///   | AS4_AGGREGATOR (18)        | length != 8, AS 0; ignored on a 4-octet session   | attribute discard (6793 s. 6, 7607)|
///   | PMSI_TUNNEL (22)           | shorter than flags+type+label (5)                 | treat-as-withdraw (7606 section 2: |
///   |                            |                                                   |  it decides flooding, so route use)|
///   | TUNNEL_ENCAPSULATION (23)  | TLVs do not fill the attribute exactly, no TLV    | attribute discard (RFC 9012 s. 13) |
///   |                            | a TLV whose sub-TLVs do not fill it exactly       | that TLV dropped (RFC 9012 s. 13)  |
///   | IPv6 ADDR SPECIFIC EC (25) | length not a non-zero multiple of 20              | treat-as-withdraw (7606 7.15)      |
///   | LARGE_COMMUNITIES (32)     | length not a non-zero multiple of 12              | treat-as-withdraw (RFC 8092 s. 6)  |
///   | PREFIX_SID (40)            | TLVs do not fill it, Label-Index length != 7,     | attribute discard (RFC 8669 s. 6)  |
///   |                            | Originator SRGB length not 2 + 6n (n >= 1)        |                                    |
///   | 23, 25, 40 when valid      | never                                             | passed on byte for byte, flags kept|
///   | unknown, well-known flag   | (unrecognized well-known)                         | session reset (RFC 4271 6.3)       |
///   | unknown optional transitive| never                                             | kept byte-exact, Partial bit set   |
///   | unknown optional non-trans.| never                                             | dropped silently (RFC 4271 5)      |
/// </remarks>
internal static class AttributeDecoder
{
    /// <summary>RFC 4271 section 5 categories as (Optional, Transitive) flag bits; null for unknown types.</summary>
    public static byte? ExpectedFlags(byte type) => type switch
    {
        AttributeType.Origin or AttributeType.AsPath or AttributeType.NextHop or AttributeType.LocalPref
            or AttributeType.AtomicAggregate => AttributeFlags.Transitive,
        AttributeType.MultiExitDisc or AttributeType.OriginatorId or AttributeType.ClusterList
            or AttributeType.MpReachNlri or AttributeType.MpUnreachNlri => AttributeFlags.Optional,
        AttributeType.Aggregator or AttributeType.Communities or AttributeType.ExtendedCommunities
            or AttributeType.As4Path or AttributeType.As4Aggregator or AttributeType.PmsiTunnel
            or AttributeType.LargeCommunities or AttributeType.TunnelEncapsulation
            or AttributeType.Ipv6AddressSpecificExtendedCommunities or AttributeType.PrefixSid => AttributeFlags.Optional | AttributeFlags.Transitive,
        _ => null,
    };

    /// <summary>Types kept as raw bytes in <see cref="PathAttributes.Unrecognized"/> and passed on as received:
    /// unknown ones and the known ones evpnd checks but does not interpret (23, 25, 40).</summary>
    public static bool IsKeptRaw(byte type) => ExpectedFlags(type) is null || AttributePassThrough.IsValidated(type);

    /// <summary>Decodes <paramref name="value"/> of attribute <paramref name="type"/> into <paramref name="set"/>.
    /// <paramref name="whole"/> is the attribute with its header, the NOTIFICATION data of its errors.</summary>
    public static void Decode(byte flags, byte type, ReadOnlySpan<byte> value, ReadOnlySpan<byte> whole,
        DecodeContext context, PathAttributesBuilder set, ref ErrorList errors)
    {
        switch (type)
        {
            case AttributeType.Origin:
                if (value.Length != 1)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"ORIGIN length {value.Length}, expected 1"));
                }
                else if (value[0] > (byte)Origin.Incomplete)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.InvalidOriginAttribute, whole, type, $"ORIGIN value {value[0]} is undefined"));
                }
                else
                {
                    set.Origin = (Origin)value[0];
                }
                break;

            case AttributeType.AsPath:
                var asPathError = DecodeAsPath(value, context.FourOctetAsn ? 4 : 2, out var asPath)
                    ?? (context.ExternalPeer ? CheckExternalAsPath(asPath, context) : null);
                if (asPathError is not null)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath, whole, type, "AS_PATH " + asPathError));
                }
                else
                {
                    set.AsPath = asPath;
                }
                break;

            case AttributeType.NextHop:
                if (value.Length != 4)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"NEXT_HOP length {value.Length}, expected 4"));
                }
                else
                {
                    set.NextHop = IpAddr.Read(value);
                }
                break;

            case AttributeType.MultiExitDisc:
                if (value.Length != 4)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"MULTI_EXIT_DISC length {value.Length}, expected 4"));
                }
                else
                {
                    set.MultiExitDisc = BinaryPrimitives.ReadUInt32BigEndian(value);
                }
                break;

            case AttributeType.LocalPref:
                if (context.ExternalPeer)
                {
                    // RFC 7606 section 7.5: LOCAL_PREF from an external neighbor is discarded, malformed or not.
                    break;
                }
                if (value.Length != 4)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"LOCAL_PREF length {value.Length}, expected 4"));
                }
                else
                {
                    set.LocalPref = BinaryPrimitives.ReadUInt32BigEndian(value);
                }
                break;

            case AttributeType.AtomicAggregate:
                if (value.Length != 0)
                {
                    errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"ATOMIC_AGGREGATE length {value.Length}, expected 0"));
                }
                else
                {
                    set.AtomicAggregate = true;
                }
                break;

            case AttributeType.Aggregator:
                var aggregatorLength = context.FourOctetAsn ? 8 : 6;
                if (value.Length != aggregatorLength)
                {
                    errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"AGGREGATOR length {value.Length}, expected {aggregatorLength}"));
                }
                else
                {
                    var aggregator = context.FourOctetAsn
                        ? new Aggregator(BinaryPrimitives.ReadUInt32BigEndian(value), IpAddr.Read(value[4..]))
                        : new Aggregator(BinaryPrimitives.ReadUInt16BigEndian(value), IpAddr.Read(value[2..]));
                    if (aggregator.Asn == 0)
                    {
                        errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, "AGGREGATOR holds AS 0 (RFC 7607)"));
                    }
                    else
                    {
                        set.Aggregator = aggregator;
                    }
                }
                break;

            case AttributeType.Communities:
                if (value.Length == 0 || value.Length % 4 != 0)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, $"COMMUNITIES length {value.Length} is not a non-zero multiple of 4"));
                }
                else
                {
                    var communities = new uint[value.Length / 4];
                    for (var i = 0; i < communities.Length; i++)
                    {
                        communities[i] = BinaryPrimitives.ReadUInt32BigEndian(value[(i * 4)..]);
                    }
                    set.Communities = communities;
                }
                break;

            case AttributeType.OriginatorId:
                if (context.ExternalPeer)
                {
                    // RFC 7606 section 7.9: route reflection is internal to an AS; from outside the attribute is dropped.
                    errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, "ORIGINATOR_ID from an external peer"));
                }
                else if (value.Length != 4)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"ORIGINATOR_ID length {value.Length}, expected 4"));
                }
                else
                {
                    set.OriginatorId = IpAddr.Read(value);
                }
                break;

            case AttributeType.ClusterList:
                if (context.ExternalPeer)
                {
                    // RFC 7606 section 7.10, as for ORIGINATOR_ID.
                    errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, "CLUSTER_LIST from an external peer"));
                }
                else if (value.Length == 0 || value.Length % 4 != 0)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError, whole, type, $"CLUSTER_LIST length {value.Length} is not a non-zero multiple of 4"));
                }
                else
                {
                    var clusters = new IpAddr[value.Length / 4];
                    for (var i = 0; i < clusters.Length; i++)
                    {
                        clusters[i] = IpAddr.Read(value.Slice(i * 4, 4));
                    }
                    set.ClusterList = clusters;
                }
                break;

            case AttributeType.MpReachNlri:
                MpAttributeDecoder.DecodeReach(value, whole, context, set, ref errors);
                break;

            case AttributeType.MpUnreachNlri:
                MpAttributeDecoder.DecodeUnreach(value, whole, context, set, ref errors);
                break;

            case AttributeType.ExtendedCommunities:
                if (value.Length == 0 || value.Length % 8 != 0)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, $"EXTENDED_COMMUNITIES length {value.Length} is not a non-zero multiple of 8"));
                }
                else
                {
                    var extended = new ExtendedCommunity[value.Length / 8];
                    for (var i = 0; i < extended.Length; i++)
                    {
                        extended[i] = ExtendedCommunity.Read(value[(i * 8)..]);
                    }
                    set.ExtendedCommunities = extended;
                }
                break;

            case AttributeType.As4Path:
                if (context.FourOctetAsn)
                {
                    // RFC 6793 section 4.2.2: between two 4-octet AS speakers AS4_PATH has no meaning and is ignored.
                    break;
                }
                var as4Error = DecodeAsPath(value, 4, out var as4Path);
                if (as4Error is not null)
                {
                    errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, "AS4_PATH " + as4Error));
                }
                else
                {
                    set.As4Path = as4Path;
                }
                break;

            case AttributeType.As4Aggregator:
                if (context.FourOctetAsn)
                {
                    break;
                }
                if (value.Length != 8)
                {
                    errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, $"AS4_AGGREGATOR length {value.Length}, expected 8"));
                }
                else if (BinaryPrimitives.ReadUInt32BigEndian(value) == 0)
                {
                    errors.Add(Error(ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, "AS4_AGGREGATOR holds AS 0 (RFC 7607)"));
                }
                else
                {
                    set.As4Aggregator = new Aggregator(BinaryPrimitives.ReadUInt32BigEndian(value), IpAddr.Read(value[4..]));
                }
                break;

            case AttributeType.PmsiTunnel:
                // RFC 6514 section 5: | Flags (1) | Tunnel Type (1) | MPLS Label (3) | Tunnel Identifier (variable) |
                if (value.Length < 5)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, $"PMSI_TUNNEL length {value.Length}, at least 5 expected"));
                }
                else
                {
                    set.PmsiTunnel = new PmsiTunnel(value[0], value[1], ((uint)value[2] << 16) | ((uint)value[3] << 8) | value[4], value[5..].ToArray());
                }
                break;

            case AttributeType.LargeCommunities:
                if (value.Length == 0 || value.Length % 12 != 0)
                {
                    errors.Add(Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type, $"LARGE_COMMUNITIES length {value.Length} is not a non-zero multiple of 12"));
                }
                else
                {
                    var large = new LargeCommunity[value.Length / 12];
                    for (var i = 0; i < large.Length; i++)
                    {
                        var v = value[(i * 12)..];
                        large[i] = new LargeCommunity(BinaryPrimitives.ReadUInt32BigEndian(v), BinaryPrimitives.ReadUInt32BigEndian(v[4..]), BinaryPrimitives.ReadUInt32BigEndian(v[8..]));
                    }
                    set.LargeCommunities = large;
                }
                break;

            case AttributeType.TunnelEncapsulation or AttributeType.Ipv6AddressSpecificExtendedCommunities or AttributeType.PrefixSid:
                AttributePassThrough.Decode(flags, type, value, whole, set, ref errors);
                break;

            default:
                if ((flags & AttributeFlags.Optional) == 0)
                {
                    errors.Add(Error(ErrorAction.SessionReset, UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute, whole, type, $"unrecognized well-known attribute type {type}"));
                }
                else if ((flags & AttributeFlags.Transitive) != 0)
                {
                    // RFC 4271 section 5: an unrecognized optional transitive attribute is passed on with the Partial bit set.
                    (set.Unrecognized ??= []).Add(new RawAttribute((byte)(flags | AttributeFlags.Partial), type, value.ToArray()));
                }
                break;
        }
    }

    /// <summary>RFC 4271 section 4.3 AS_PATH / RFC 6793 AS4_PATH: segments of
    /// | Segment Type (1) | Segment Length in ASes (1) | ASes (2 or 4 octets each) |. Returns null or the
    /// RFC 7606 section 7.2 reason the path is malformed.</summary>
    public static string? DecodeAsPath(ReadOnlySpan<byte> value, int asSize, out AsPath path)
    {
        path = AsPath.Empty;
        if (value.IsEmpty)
        {
            return null;
        }
        var segments = ImmutableArray.CreateBuilder<AsPathSegment>();
        var offset = 0;
        while (offset < value.Length)
        {
            if (value.Length - offset < 2)
            {
                return "ends inside a segment header";
            }
            var segmentType = value[offset];
            var count = value[offset + 1];
            offset += 2;
            if (segmentType is < (byte)AsPathSegmentType.AsSet or > (byte)AsPathSegmentType.ConfedSet)
            {
                return $"segment type {segmentType} is undefined";
            }
            if (count == 0)
            {
                return "has a segment of length zero";
            }
            if (count * asSize > value.Length - offset)
            {
                return $"segment of {count} ASes overruns the attribute";
            }
            var asns = new uint[count];
            for (var i = 0; i < count; i++)
            {
                asns[i] = asSize == 4
                    ? BinaryPrimitives.ReadUInt32BigEndian(value[(offset + i * 4)..])
                    : BinaryPrimitives.ReadUInt16BigEndian(value[(offset + i * 2)..]);
                if (asns[i] == 0)
                {
                    return "holds AS 0 (RFC 7607)";
                }
            }
            offset += count * asSize;
            segments.Add(new AsPathSegment((AsPathSegmentType)segmentType, asns));
        }
        path = new AsPath(segments.ToImmutable());
        return null;
    }

    /// <summary>What an AS_PATH from an external peer must be besides well-formed, or null: no confederation
    /// segments (RFC 5065 section 5.3: evpnd is in no confederation), and with enforce-first-as the peer's own
    /// AS first (RFC 4271 section 6.3), which an empty path does not have.</summary>
    private static string? CheckExternalAsPath(AsPath path, DecodeContext context)
    {
        foreach (var segment in path.Segments)
        {
            if (segment.Type is AsPathSegmentType.ConfedSequence or AsPathSegmentType.ConfedSet)
            {
                return $"from an external peer holds a {segment.Type} segment (RFC 5065 section 5.3)";
            }
        }
        if (!context.Policy.EnforceFirstAs)
        {
            return null;
        }
        if (path.Segments.IsEmpty || path.Segments[0] is not { Type: AsPathSegmentType.AsSequence } first || first.Asns[0] != context.PeerAsn)
        {
            return $"from an external peer does not start with the peer's AS {context.PeerAsn} (enforce-first-as)";
        }
        return null;
    }

    public static BgpError Error(ErrorAction action, byte subcode, ReadOnlySpan<byte> whole, byte type, string reason) =>
        BgpError.Update(action, subcode, whole, reason) with { AttributeType = type };
}
