namespace Evpn.Session.Negotiation;

/// <summary>Which AS a peer's OPEN may carry (RFC 4271 section 6.2, Bad Peer AS otherwise): one number, any
/// AS but ours (`remote-as external`), or any AS at all (a dynamic range that accepts every AS).</summary>
public readonly record struct RemoteAsRule(uint? Asn, bool ExternalOnly)
{
    public static readonly RemoteAsRule Any = new(null, false);
    public static readonly RemoteAsRule AnyExternal = new(null, true);

    public static RemoteAsRule Exactly(uint asn) => new(asn, false);

    public static implicit operator RemoteAsRule(uint asn) => Exactly(asn);

    public bool Accepts(uint remoteAs, uint localAs) =>
        Asn is { } expected ? remoteAs == expected : !ExternalOnly || remoteAs != localAs;
}
