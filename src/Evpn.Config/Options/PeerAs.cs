namespace Evpn.Config.Options;

/// <summary>How a neighbor's AS is given: a number, or `internal`/`external` (accept whatever the OPEN says,
/// as long as it is equal to / different from the local AS). The keywords are what listen ranges need.</summary>
public readonly record struct PeerAs(PeerAsKind Kind, uint Asn)
{
    public static PeerAs Number(uint asn) => new(PeerAsKind.Number, asn);
    public static readonly PeerAs Internal = new(PeerAsKind.Internal, 0);
    public static readonly PeerAs External = new(PeerAsKind.External, 0);

    /// <summary>True when a session with this peer is iBGP, given the local AS.</summary>
    public bool IsInternal(uint localAsn) => Kind == PeerAsKind.Internal || (Kind == PeerAsKind.Number && Asn == localAsn);

    /// <summary>True when an OPEN carrying <paramref name="openAsn"/> is acceptable (RFC 4271 section 6.2 "Bad Peer AS").</summary>
    public bool Accepts(uint openAsn, uint localAsn) => Kind switch
    {
        PeerAsKind.Number => openAsn == Asn,
        PeerAsKind.Internal => openAsn == localAsn,
        _ => openAsn != localAsn,
    };

    public override string ToString() => Kind switch
    {
        PeerAsKind.Number => Asn.ToString(System.Globalization.CultureInfo.InvariantCulture),
        PeerAsKind.Internal => "internal",
        _ => "external",
    };
}

public enum PeerAsKind
{
    Number,
    Internal,
    External,
}
