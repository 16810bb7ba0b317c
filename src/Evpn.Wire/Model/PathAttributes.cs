namespace Evpn.Wire.Model;

/// <summary>RFC 4271 section 5.1.1.</summary>
public enum Origin : byte
{
    Igp = 0,
    Egp = 1,
    Incomplete = 2,
}

/// <summary>RFC 4271 section 4.3 (AS_SET, AS_SEQUENCE) and RFC 5065 (confederation segments).</summary>
public enum AsPathSegmentType : byte
{
    AsSet = 1,
    AsSequence = 2,
    ConfedSequence = 3,
    ConfedSet = 4,
}

public sealed record AsPathSegment(AsPathSegmentType Type, EquatableArray<uint> Asns);

/// <summary>AS_PATH with 4-octet AS numbers throughout (AS4_PATH already merged by the decoder, RFC 6793 section 4.2.3).</summary>
public sealed record AsPath(EquatableArray<AsPathSegment> Segments)
{
    public static readonly AsPath Empty = new(EquatableArray<AsPathSegment>.Empty);

    /// <summary>Path length for best-path selection, RFC 4271 section 9.1.2.2 a): an AS_SET counts
    /// as one, confederation segments do not count (RFC 5065 section 5.3).</summary>
    public int Length
    {
        get
        {
            var length = 0;
            foreach (var segment in Segments)
            {
                length += segment.Type switch
                {
                    AsPathSegmentType.AsSequence => segment.Asns.Count,
                    AsPathSegmentType.AsSet => 1,
                    _ => 0,
                };
            }
            return length;
        }
    }

    /// <summary>The neighbouring AS: first AS of a leading AS_SEQUENCE (RFC 4271 section 9.1.2.2 c).</summary>
    public uint? FirstAs => Segments.Count > 0 && Segments[0].Type == AsPathSegmentType.AsSequence && Segments[0].Asns.Count > 0
        ? Segments[0].Asns[0]
        : null;

    public bool Contains(uint asn)
    {
        foreach (var segment in Segments)
        {
            foreach (var a in segment.Asns)
            {
                if (a == asn)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>RFC 4271 section 5.1.2: prepend to a leading AS_SEQUENCE, or start one (at most 255 ASNs a segment).</summary>
    public AsPath Prepend(uint asn)
    {
        if (Segments.Count > 0 && Segments[0].Type == AsPathSegmentType.AsSequence && Segments[0].Asns.Count < 255)
        {
            var first = new AsPathSegment(AsPathSegmentType.AsSequence, Segments[0].Asns.AsImmutableArray().Insert(0, asn));
            return new AsPath(Segments.AsImmutableArray().SetItem(0, first));
        }
        var segment = new AsPathSegment(AsPathSegmentType.AsSequence, new[] { asn });
        return new AsPath(Segments.AsImmutableArray().Insert(0, segment));
    }

    public override string ToString() => string.Join(' ', Segments.Select(s => s.Type switch
    {
        AsPathSegmentType.AsSequence => string.Join(' ', s.Asns),
        AsPathSegmentType.AsSet => "{" + string.Join(',', s.Asns) + "}",
        AsPathSegmentType.ConfedSequence => "(" + string.Join(' ', s.Asns) + ")",
        _ => "[" + string.Join(',', s.Asns) + "]",
    }));
}

/// <summary>AGGREGATOR with a 4-octet AS (AS4_AGGREGATOR merged, RFC 6793).</summary>
public readonly record struct Aggregator(uint Asn, IpAddr Address);

/// <summary>RFC 8092 large community.</summary>
public readonly record struct LargeCommunity(uint GlobalAdministrator, uint LocalData1, uint LocalData2)
{
    public override string ToString() => $"{GlobalAdministrator}:{LocalData1}:{LocalData2}";
}

/// <summary>An attribute the codec does not interpret. Optional transitive ones are passed on with the
/// partial bit set (RFC 4271 section 5); optional non-transitive ones are dropped before they get here.</summary>
public sealed record RawAttribute(byte Flags, byte TypeCode, EquatableArray<byte> Value);

/// <summary>The path attributes of an UPDATE, except MP_REACH_NLRI and MP_UNREACH_NLRI which belong to
/// the message. Immutable with value equality over every field, so identical sets can be interned.</summary>
public sealed record PathAttributes
{
    public static readonly PathAttributes Empty = new();

    public Origin? Origin { get; init; }
    public AsPath? AsPath { get; init; }

    /// <summary>The NEXT_HOP attribute (IPv4 unicast). MP next hops are in the message's MP_REACH_NLRI.</summary>
    public IpAddr? NextHop { get; init; }
    public uint? MultiExitDisc { get; init; }
    public uint? LocalPref { get; init; }
    public bool AtomicAggregate { get; init; }
    public Aggregator? Aggregator { get; init; }
    public EquatableArray<uint> Communities { get; init; } = EquatableArray<uint>.Empty;
    public IpAddr? OriginatorId { get; init; }
    public EquatableArray<IpAddr> ClusterList { get; init; } = EquatableArray<IpAddr>.Empty;
    public EquatableArray<ExtendedCommunity> ExtendedCommunities { get; init; } = EquatableArray<ExtendedCommunity>.Empty;
    public PmsiTunnel? PmsiTunnel { get; init; }
    public EquatableArray<LargeCommunity> LargeCommunities { get; init; } = EquatableArray<LargeCommunity>.Empty;
    public EquatableArray<RawAttribute> Unrecognized { get; init; } = EquatableArray<RawAttribute>.Empty;

    public IEnumerable<ExtendedCommunity> RouteTargets => ExtendedCommunities.Where(c => c.IsRouteTarget);

    /// <summary>The MAC Mobility community if present (RFC 7432 section 7.7: at most one is meaningful).</summary>
    public ExtendedCommunity? MacMobility
    {
        get
        {
            foreach (var c in ExtendedCommunities)
            {
                if (c.IsMacMobility)
                {
                    return c;
                }
            }
            return null;
        }
    }

    /// <summary>RFC 8365 section 5.1.3: a route with the VXLAN encapsulation community carries a VNI in its label.</summary>
    public bool IsVxlan => ExtendedCommunities.Any(c => c.IsEncapsulation && c.EncapsulationTunnelType == TunnelTypes.Vxlan);
}
