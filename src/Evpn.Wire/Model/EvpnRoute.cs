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
    // The RIB keeps a million of these, so the value-type fields are stored flattened: EthernetSegmentId
    // pads 10 octets to 16, IpAddr 17 to 24, and the Nullable wrappers add 8 each. Flattened, the record
    // is 72 octets instead of 120. Absent parts are stored as zero, so generated equality is unchanged.
    private readonly ulong _esiHigh = Esi.High;
    private readonly ulong _ipHigh = Ip?.High ?? 0;
    private readonly ulong _ipLow = Ip?.Low ?? 0;
    private readonly uint _label2 = Label2 ?? 0;
    private readonly ushort _esiLow = Esi.Low;
    private readonly Present _present = (Ip.HasValue ? Present.Ip : 0) | (Ip is { IsV6: true } ? Present.IpV6 : 0) | (Label2.HasValue ? Present.Label2 : 0);

    public EthernetSegmentId Esi
    {
        get => new(_esiHigh, _esiLow);
        init
        {
            _esiHigh = value.High;
            _esiLow = value.Low;
        }
    }

    public IpAddr? Ip
    {
        get => (_present & Present.Ip) != 0 ? IpAddr.FromParts(_ipHigh, _ipLow, (_present & Present.IpV6) != 0) : null;
        init
        {
            _ipHigh = value?.High ?? 0;
            _ipLow = value?.Low ?? 0;
            _present = (_present & Present.Label2) | (value.HasValue ? Present.Ip : 0) | (value is { IsV6: true } ? Present.IpV6 : 0);
        }
    }

    public uint? Label2
    {
        get => (_present & Present.Label2) != 0 ? _label2 : null;
        init
        {
            _label2 = value ?? 0;
            _present = (_present & ~Present.Label2) | (value.HasValue ? Present.Label2 : 0);
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

    [Flags]
    private enum Present : byte
    {
        Ip = 1,
        IpV6 = 2,
        Label2 = 4,
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
