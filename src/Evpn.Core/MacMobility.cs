using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Why one location of a MAC beat another (RFC 7432 section 15).</summary>
public enum MobilityReason : byte
{
    OnlyCandidate,

    /// <summary>Section 15.2: a sticky (static) MAC is never moved.</summary>
    Sticky,

    /// <summary>Section 15.1: the higher sequence number is the latest location.</summary>
    HigherSequence,

    /// <summary>Section 15.1: equal sequence numbers; the lower VTEP IP wins.</summary>
    LowerVtep,

    /// <summary>Same VTEP, several routes (MAC and MAC+IP): the Loc-RIB order decides.</summary>
    SameVtep,
}

/// <summary>One place a MAC is claimed to be: this VTEP (locally learned) or a remote one (a type-2 best path).</summary>
public readonly record struct MobilityCandidate(IpAddr Vtep, uint Sequence, bool Sticky, RibPath? Path)
{
    public bool IsLocal => Path is null;

    public static MobilityCandidate Remote(RibPath path) =>
        new(path.NextHop, path.Attributes.MobilitySequence, path.Attributes.IsSticky, path);
}

/// <summary>RFC 7432 section 15 ordering of the locations of one MAC in one MAC-VRF.</summary>
public static class MacMobility
{
    /// <summary>RFC 7432 section 10.1: a MAC advertised with the Default Gateway community is the anycast gateway
    /// every VTEP owns; its changing location is no move and never makes it a duplicate.</summary>
    public static bool IsGateway(in MobilityCandidate from, in MobilityCandidate to) =>
        from.Path?.Attributes.IsDefaultGateway == true || to.Path?.Attributes.IsDefaultGateway == true;

    /// <summary>Negative when <paramref name="a"/> wins.</summary>
    public static int Compare(in MobilityCandidate a, in MobilityCandidate b, out MobilityReason reason)
    {
        reason = MobilityReason.Sticky;
        if (a.Sticky != b.Sticky)
        {
            return a.Sticky ? -1 : 1;
        }
        reason = MobilityReason.HigherSequence;
        if (a.Sequence != b.Sequence)
        {
            return a.Sequence > b.Sequence ? -1 : 1;
        }
        reason = MobilityReason.LowerVtep;
        var c = a.Vtep.CompareTo(b.Vtep);
        if (c != 0)
        {
            return c;
        }
        reason = MobilityReason.SameVtep;
        return 0;
    }
}
