using System.Buffers.Binary;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>MP_REACH_NLRI and MP_UNREACH_NLRI, RFC 4760 sections 3 and 4. A type-2 route whose MAC is zero,
/// multicast or broadcast makes the UPDATE treat-as-withdraw.</summary>
internal static class MpAttributeDecoder
{
    /// <summary>The families whose NLRI the codec decodes.</summary>
    public static bool IsSupported(AfiSafi family) =>
        family == AfiSafi.L2vpnEvpn || family == AfiSafi.Ipv4Unicast || family == AfiSafi.Ipv6Unicast;

    // RFC 4760 section 3:
    // | AFI (2) | SAFI (1) | Length of Next Hop (1) | Next Hop (variable) | Reserved (1) | NLRI (variable) |
    public static void DecodeReach(ReadOnlySpan<byte> value, ReadOnlySpan<byte> whole, DecodeContext context, PathAttributesBuilder set, ref ErrorList errors)
    {
        const byte type = AttributeType.MpReachNlri;
        if (value.Length < 3)
        {
            errors.Add(AttributeDecoder.Error(ErrorAction.SessionReset, UpdateMessageErrorSubcode.AttributeLengthError, whole, type,
                $"MP_REACH_NLRI length {value.Length} cannot hold AFI and SAFI"));
            return;
        }
        var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[2]);
        if (!IsSupported(family))
        {
            (set.UnsupportedMp ??= []).Add(new RawAttribute(whole[0], type, value.ToArray()));
            return;
        }
        if (value.Length < 5 || 5 + value[3] > value.Length)
        {
            errors.Add(Disable(family, whole, $"MP_REACH_NLRI of {family}: next hop length runs past the attribute"));
            return;
        }
        var nextHopLength = value[3];
        var nextHopBytes = value.Slice(4, nextHopLength);
        var valid = family == AfiSafi.Ipv6Unicast ? nextHopLength is 16 or 32 : nextHopLength is 4 or 16 or 32;
        if (!valid)
        {
            errors.Add(Disable(family, whole, $"MP_REACH_NLRI of {family}: next hop length {nextHopLength} is not valid for the family"));
            return;
        }
        var nextHop = IpAddr.Read(nextHopBytes[..Math.Min((int)nextHopLength, 16)]);
        IpAddr? linkLocal = nextHopLength == 32 ? IpAddr.Read(nextHopBytes[16..]) : null;
        if (family == AfiSafi.L2vpnEvpn)
        {
            // An EVPN next hop is the VTEP (RFC 8365 section 5.1.3): of 32 octets (RFC 2545 section 3) the global
            // address is, the link-local one only names the sender on the link; a v4-mapped one is the IPv4 VTEP.
            nextHop = nextHop.Unmapped;
        }
        var nlriBytes = value[(5 + nextHopLength)..];
        var error = DecodeNlri(family, nlriBytes, context, out var nlri, ref set.SkippedRoutes);
        if (error is not null)
        {
            errors.Add(Disable(family, whole, $"MP_REACH_NLRI of {family}: {error}"));
            return;
        }
        set.MpReach = new MpReachNlri(family, nextHop, linkLocal, nlri);
        if (family == AfiSafi.L2vpnEvpn && UnusableMac(nlri) is { } mac)
        {
            errors.Add(AttributeDecoder.Error(ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError, whole, type,
                $"EVPN MAC/IP advertisement for MAC {mac}, which no host can have"));
        }
    }

    /// <summary>A type-2 route is for one host's MAC (RFC 7432 section 7.2): the all-zero MAC (also the key of
    /// a VNI's flood entry), a multicast or the broadcast MAC is none, so the route is kept out of the RIB as
    /// if withdrawn (its key is intact, unlike a route that cannot be parsed).</summary>
    private static MacAddress? UnusableMac(EquatableArray<Nlri> nlri)
    {
        foreach (var n in nlri.AsSpan())
        {
            if (n.Evpn is MacIpAdvertisementRoute { Mac: var mac } && (mac.IsZero || mac.IsMulticast))
            {
                return mac;
            }
        }
        return null;
    }

    // RFC 4760 section 4:
    // | AFI (2) | SAFI (1) | Withdrawn Routes (variable) |
    public static void DecodeUnreach(ReadOnlySpan<byte> value, ReadOnlySpan<byte> whole, DecodeContext context, PathAttributesBuilder set, ref ErrorList errors)
    {
        const byte type = AttributeType.MpUnreachNlri;
        if (value.Length < 3)
        {
            errors.Add(AttributeDecoder.Error(ErrorAction.SessionReset, UpdateMessageErrorSubcode.AttributeLengthError, whole, type,
                $"MP_UNREACH_NLRI length {value.Length} cannot hold AFI and SAFI"));
            return;
        }
        var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[2]);
        var nlriBytes = value[3..];
        if (!IsSupported(family))
        {
            if (nlriBytes.IsEmpty)
            {
                // End-of-RIB of a family we do not decode: still recognisable as such (RFC 4724 section 2).
                set.MpUnreach = new MpUnreachNlri(family, EquatableArray<Nlri>.Empty);
            }
            else
            {
                (set.UnsupportedMp ??= []).Add(new RawAttribute(whole[0], type, value.ToArray()));
            }
            return;
        }
        var error = DecodeNlri(family, nlriBytes, context, out var nlri, ref set.SkippedRoutes);
        if (error is not null)
        {
            errors.Add(Disable(family, whole, $"MP_UNREACH_NLRI of {family}: {error}"));
            return;
        }
        set.MpUnreach = new MpUnreachNlri(family, nlri);
    }

    private static string? DecodeNlri(AfiSafi family, ReadOnlySpan<byte> bytes, DecodeContext context, out EquatableArray<Nlri> nlri, ref int skipped)
    {
        var addPath = context.ReceivesPathId(family);
        if (family == AfiSafi.L2vpnEvpn)
        {
            return EvpnNlriCodec.DecodeAll(bytes, addPath, out nlri, ref skipped);
        }
        var prefixes = new NlriListBuilder();
        var error = PrefixNlriCodec.DecodeAll(bytes, family.Afi == Afi.IPv6, addPath, ref prefixes);
        nlri = prefixes.ToArrayAndReset();
        return error;
    }

    private static BgpError Disable(AfiSafi family, ReadOnlySpan<byte> whole, string reason) =>
        AttributeDecoder.Error(ErrorAction.AfiSafiDisable, UpdateMessageErrorSubcode.OptionalAttributeError, whole, 0, reason)
            with { Family = family, AttributeType = whole.Length > 1 ? whole[1] : null };
}
