using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>UPDATE, RFC 4271 section 4.3, with the multiprotocol attributes of RFC 4760 lifted out of
/// the attribute list.</summary>
/// <param name="Withdrawn">IPv4 unicast withdrawn routes (the Withdrawn Routes field).</param>
/// <param name="Attributes">The path attributes other than MP_REACH_NLRI / MP_UNREACH_NLRI.</param>
/// <param name="MpReach">MP_REACH_NLRI, when present and of a supported family.</param>
/// <param name="MpUnreach">MP_UNREACH_NLRI, when present and of a supported family.</param>
/// <param name="Nlri">IPv4 unicast reachable routes (the NLRI field).</param>
public sealed record UpdateMessage(
    EquatableArray<Nlri> Withdrawn,
    PathAttributes Attributes,
    MpReachNlri? MpReach,
    MpUnreachNlri? MpUnreach,
    EquatableArray<Nlri> Nlri) : BgpMessage
{
    public override MessageType Type => MessageType.Update;

    /// <summary>The attribute order and flags seen on the wire; empty for a message built locally, which
    /// the encoder writes in type-code order (RFC 4271 section 5 recommends ascending order).
    /// Not part of equality: two UPDATEs that say the same thing are equal.</summary>
    public EquatableArray<AttributeHeader> Layout { get; init; } = EquatableArray<AttributeHeader>.Empty;

    /// <summary>MP_REACH_NLRI / MP_UNREACH_NLRI attributes whose NLRI are of a family the codec does not
    /// decode, kept raw so the message re-encodes as received; receivers ignore them (RFC 4760 section 6:
    /// a family that was not negotiated is ignored).</summary>
    public EquatableArray<RawAttribute> UnsupportedMpAttributes { get; init; } = EquatableArray<RawAttribute>.Empty;

    /// <summary>The families of <see cref="UnsupportedMpAttributes"/>.</summary>
    public IEnumerable<AfiSafi> IgnoredFamilies => UnsupportedMpAttributes.Select(a =>
        new AfiSafi((Afi)(a.Value[0] << 8 | a.Value[1]), (Safi)a.Value[2]));

    /// <summary>An UPDATE announcing <paramref name="nlri"/> of <paramref name="family"/> via <paramref name="nextHop"/>.</summary>
    public static UpdateMessage Announce(AfiSafi family, IpAddr nextHop, PathAttributes attributes, EquatableArray<Nlri> nlri) =>
        family == AfiSafi.Ipv4Unicast
            ? new UpdateMessage(EquatableArray<Nlri>.Empty, attributes with { NextHop = nextHop }, null, null, nlri)
            : new UpdateMessage(EquatableArray<Nlri>.Empty, attributes, new MpReachNlri(family, nextHop, nlri), null, EquatableArray<Nlri>.Empty);

    /// <summary>An UPDATE withdrawing <paramref name="nlri"/> of <paramref name="family"/>.</summary>
    public static UpdateMessage Withdraw(AfiSafi family, EquatableArray<Nlri> nlri) =>
        family == AfiSafi.Ipv4Unicast
            ? new UpdateMessage(nlri, PathAttributes.Empty, null, null, EquatableArray<Nlri>.Empty)
            : new UpdateMessage(EquatableArray<Nlri>.Empty, PathAttributes.Empty, null, new MpUnreachNlri(family, nlri), EquatableArray<Nlri>.Empty);

    /// <summary>Every reachable NLRI with its family (NLRI field first, then MP_REACH_NLRI).</summary>
    public IEnumerable<(AfiSafi Family, Nlri Nlri)> Announced =>
        Nlri.Select(n => (AfiSafi.Ipv4Unicast, n)).Concat(MpReach is { } r ? r.Nlri.Select(n => (r.Family, n)) : []);

    /// <summary>Every withdrawn NLRI with its family (Withdrawn Routes field first, then MP_UNREACH_NLRI).</summary>
    public IEnumerable<(AfiSafi Family, Nlri Nlri)> WithdrawnAll =>
        Withdrawn.Select(n => (AfiSafi.Ipv4Unicast, n)).Concat(MpUnreach is { } u ? u.Nlri.Select(n => (u.Family, n)) : []);

    /// <summary>RFC 7606 section 2 "treat-as-withdraw": the same UPDATE with every reachable NLRI moved to
    /// the withdrawn side and the attributes dropped.</summary>
    public UpdateMessage AsWithdrawal()
    {
        var withdrawn = Withdrawn.AsImmutableArray().AddRange(Nlri.AsImmutableArray());
        MpUnreachNlri? unreach = MpUnreach;
        if (MpReach is { } reach)
        {
            unreach = MpUnreach is { } u && u.Family == reach.Family
                ? u with { Nlri = u.Nlri.AsImmutableArray().AddRange(reach.Nlri.AsImmutableArray()) }
                : new MpUnreachNlri(reach.Family, reach.Nlri);
        }
        return new UpdateMessage(withdrawn, PathAttributes.Empty, null, unreach, EquatableArray<Nlri>.Empty);
    }

    /// <summary>RFC 4724 section 2: an End-of-RIB marker is an UPDATE with nothing in it (IPv4 unicast) or
    /// with only an empty MP_UNREACH_NLRI (any other family).</summary>
    public bool IsEndOfRib(out AfiSafi family) => EndOfRib.TryGetFamily(this, out family);

    public bool Equals(UpdateMessage? other) =>
        other is not null && Withdrawn == other.Withdrawn && Attributes == other.Attributes &&
        Equals(MpReach, other.MpReach) && Equals(MpUnreach, other.MpUnreach) && Nlri == other.Nlri &&
        UnsupportedMpAttributes == other.UnsupportedMpAttributes;

    public override int GetHashCode() => HashCode.Combine(Withdrawn, Attributes, MpReach, MpUnreach, Nlri, UnsupportedMpAttributes);
}
