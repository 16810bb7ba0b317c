using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>One NLRI of a supported family: an EVPN route (AFI 25, SAFI 70) or a unicast prefix,
/// with its add-path identifier (RFC 7911 section 3; 0 when add-path is not in use for the family).</summary>
public readonly record struct Nlri
{
    private Nlri(uint pathId, IpPrefix prefix, EvpnRoute? evpn)
    {
        PathId = pathId;
        Prefix = prefix;
        Evpn = evpn;
    }

    public uint PathId { get; }

    /// <summary>The unicast prefix; default for an EVPN NLRI.</summary>
    public IpPrefix Prefix { get; }

    /// <summary>The EVPN route; null for a unicast prefix.</summary>
    public EvpnRoute? Evpn { get; }

    public bool IsEvpn => Evpn is not null;

    public static Nlri ForEvpn(EvpnRoute route, uint pathId = 0) => new(pathId, default, route ?? throw new ArgumentNullException(nameof(route)));
    public static Nlri ForPrefix(IpPrefix prefix, uint pathId = 0) => new(pathId, prefix, null);

    public static implicit operator Nlri(EvpnRoute route) => ForEvpn(route);
    public static implicit operator Nlri(IpPrefix prefix) => ForPrefix(prefix);

    public override string ToString()
    {
        var text = Evpn is { } route ? route.ToString() : Prefix.ToString();
        return PathId == 0 ? text : $"{text} path-id {PathId}";
    }
}
