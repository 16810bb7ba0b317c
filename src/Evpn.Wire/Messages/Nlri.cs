using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>One NLRI of a supported family: an EVPN route (AFI 25, SAFI 70) or a unicast prefix,
/// with its add-path identifier (RFC 7911 section 3; 0 when add-path is not in use for the family).</summary>
/// <remarks>Held as the path identifier and one reference (the route, or the boxed prefix), so that an
/// UPDATE's array of NLRI costs 16 octets a slot: the codec decodes millions of them.</remarks>
public readonly record struct Nlri
{
    private readonly object? _value;

    private Nlri(uint pathId, object value)
    {
        PathId = pathId;
        _value = value;
    }

    public uint PathId { get; }

    /// <summary>The unicast prefix; default for an EVPN NLRI.</summary>
    public IpPrefix Prefix => _value is IpPrefix prefix ? prefix : default;

    /// <summary>The EVPN route; null for a unicast prefix.</summary>
    public EvpnRoute? Evpn => _value as EvpnRoute;

    public bool IsEvpn => _value is EvpnRoute;

    public static Nlri ForEvpn(EvpnRoute route, uint pathId = 0) => new(pathId, route ?? throw new ArgumentNullException(nameof(route)));
    public static Nlri ForPrefix(IpPrefix prefix, uint pathId = 0) => new(pathId, prefix);

    public static implicit operator Nlri(EvpnRoute route) => ForEvpn(route);
    public static implicit operator Nlri(IpPrefix prefix) => ForPrefix(prefix);

    public override string ToString()
    {
        var text = _value?.ToString() ?? "";
        return PathId == 0 ? text : $"{text} path-id {PathId}";
    }
}
