namespace Evpn.Wire.Model;

/// <summary>RFC 7432 section 7 route types (plus RFC 9136 type 5).</summary>
public enum EvpnRouteType : byte
{
    EthernetAutoDiscovery = 1,
    MacIpAdvertisement = 2,
    InclusiveMulticast = 3,
    EthernetSegment = 4,
    IpPrefix = 5,
}

/// <summary>One EVPN NLRI (AFI 25, SAFI 70). Immutable; value equality over every field.
/// Labels are the raw 24-bit fields (see <see cref="EvpnLabel"/>).</summary>
public abstract record EvpnRoute(RouteDistinguisher Rd)
{
    public abstract EvpnRouteType Type { get; }
}

/// <summary>Type 1, RFC 7432 section 7.1.</summary>
public sealed record EthernetAutoDiscoveryRoute(RouteDistinguisher Rd, EthernetSegmentId Esi, uint EthernetTag, uint Label)
    : EvpnRoute(Rd)
{
    public override EvpnRouteType Type => EvpnRouteType.EthernetAutoDiscovery;

    public override string ToString() => $"{Rd} [1]:[{Esi}]:[{EthernetTag}] label {Label}";
}

/// <summary>Type 2, RFC 7432 section 7.2. <see cref="Ip"/> is null for a MAC-only route;
/// <see cref="Label2"/> is present when the route carries a second label (L3 VNI).</summary>
public sealed record MacIpAdvertisementRoute(
    RouteDistinguisher Rd,
    EthernetSegmentId Esi,
    uint EthernetTag,
    MacAddress Mac,
    IpAddr? Ip,
    uint Label1,
    uint? Label2 = null) : EvpnRoute(Rd)
{
    // The RIB keeps a million of these: the optional fields are stored unwrapped with a flag each, since
    // Nullable<IpAddr> pads to 32 octets and Nullable<uint> to 8 (this record: 88 octets instead of 112).
    private readonly IpAddr _ip = Ip ?? default;
    private readonly uint _label2 = Label2 ?? 0;
    private readonly bool _hasIp = Ip.HasValue;
    private readonly bool _hasLabel2 = Label2.HasValue;

    public IpAddr? Ip
    {
        get => _hasIp ? _ip : null;
        init
        {
            _ip = value ?? default;
            _hasIp = value.HasValue;
        }
    }

    public uint? Label2
    {
        get => _hasLabel2 ? _label2 : null;
        init
        {
            _label2 = value ?? 0;
            _hasLabel2 = value.HasValue;
        }
    }

    public override EvpnRouteType Type => EvpnRouteType.MacIpAdvertisement;

    /// <summary>The route key of RFC 7432 section 7.2: RD, Ethernet tag, MAC and IP. ESI and labels are
    /// attributes of the route, not part of its identity.</summary>
    public (RouteDistinguisher Rd, uint EthernetTag, MacAddress Mac, IpAddr? Ip) Key => (Rd, EthernetTag, Mac, Ip);

    /// <summary>FRR's notation: [2]:[tag]:[48]:[mac]:[ip length]:[ip], with the ESI when it is not zero.</summary>
    public override string ToString()
    {
        var ip = Ip is { } a ? $":[{a.BitLength}]:[{a}]" : "";
        var esi = Esi.IsZero ? "" : $" esi {Esi}";
        var labels = Label2 is { } l2 ? $"label {Label1}/{l2}" : $"label {Label1}";
        return $"{Rd} [2]:[{EthernetTag}]:[48]:[{Mac}]{ip}{esi} {labels}";
    }
}

/// <summary>Type 3, RFC 7432 section 7.3.</summary>
public sealed record InclusiveMulticastRoute(RouteDistinguisher Rd, uint EthernetTag, IpAddr OriginatorIp)
    : EvpnRoute(Rd)
{
    public override EvpnRouteType Type => EvpnRouteType.InclusiveMulticast;

    public override string ToString() => $"{Rd} [3]:[{EthernetTag}]:[{OriginatorIp.BitLength}]:[{OriginatorIp}]";
}

/// <summary>Type 4, RFC 7432 section 7.4.</summary>
public sealed record EthernetSegmentRoute(RouteDistinguisher Rd, EthernetSegmentId Esi, IpAddr OriginatorIp)
    : EvpnRoute(Rd)
{
    public override EvpnRouteType Type => EvpnRouteType.EthernetSegment;

    public override string ToString() => $"{Rd} [4]:[{Esi}]:[{OriginatorIp.BitLength}]:[{OriginatorIp}]";
}

/// <summary>Type 5, RFC 9136 section 3. Prefix and gateway are of the same family.</summary>
public sealed record IpPrefixRoute(
    RouteDistinguisher Rd,
    EthernetSegmentId Esi,
    uint EthernetTag,
    IpAddr Prefix,
    byte PrefixLength,
    IpAddr Gateway,
    uint Label) : EvpnRoute(Rd)
{
    public override EvpnRouteType Type => EvpnRouteType.IpPrefix;

    public override string ToString()
    {
        var esi = Esi.IsZero ? "" : $" esi {Esi}";
        return $"{Rd} [5]:[{EthernetTag}]:[{PrefixLength}]:[{Prefix}] gateway {Gateway}{esi} label {Label}";
    }
}
