using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>What an operator configured about UPDATEs received from one neighbor: the first-AS check and the
/// attribute types to drop or to treat as withdraw (FRR's <c>enforce-first-as</c> and
/// <c>path-attribute discard|treat-as-withdraw</c>).</summary>
public sealed record ReceivePolicy
{
    /// <summary>Enforce the first AS, nothing configured to drop or withdraw.</summary>
    public static readonly ReceivePolicy Default = new();

    /// <summary>RFC 4271 section 6.3: from an external peer, the leftmost AS of AS_PATH must be the peer's AS
    /// (Malformed AS_PATH, treat-as-withdraw under RFC 7606 section 7.2). Off for route servers that do not
    /// prepend their AS.</summary>
    public bool EnforceFirstAs { get; init; } = true;

    /// <summary>Attribute types dropped on receipt as if they had not been sent.</summary>
    public EquatableArray<byte> Discard { get; init; } = EquatableArray<byte>.Empty;

    /// <summary>Attribute types whose presence makes the UPDATE a withdrawal of its routes.</summary>
    public EquatableArray<byte> TreatAsWithdraw { get; init; } = EquatableArray<byte>.Empty;

    /// <summary>Types that carry the routes themselves or are mandatory for them: dropping one would leave an
    /// UPDATE that cannot be used, so neither list may name them (FRR refuses the same ones).</summary>
    public static bool MayBeDiscarded(byte type) => type is not (AttributeType.Origin or AttributeType.AsPath
        or AttributeType.NextHop or AttributeType.MpReachNlri or AttributeType.MpUnreachNlri);

    /// <summary>MP_REACH_NLRI and MP_UNREACH_NLRI carry the routes (and withdrawals) themselves.</summary>
    public static bool MayBeWithdrawn(byte type) => type is not (AttributeType.MpReachNlri or AttributeType.MpUnreachNlri);

    internal bool Discards(byte type) => Discard.AsSpan().Contains(type);
    internal bool Withdraws(byte type) => TreatAsWithdraw.AsSpan().Contains(type);
}
