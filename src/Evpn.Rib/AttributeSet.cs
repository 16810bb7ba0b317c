using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>An interned set of path attributes plus the MP_REACH next hop and the source they came from.
/// Routes received in the same UPDATE (and routes of many UPDATEs with identical attributes from the same
/// peer) share one instance, so that a million routes with a handful of attribute sets cost one reference
/// each. Fields best path and import read are computed once here rather than per route.</summary>
public sealed class AttributeSet
{
    internal AttributeSet(PathAttributes attributes, IpAddr nextHop, RibPeer? source)
    {
        Attributes = attributes;
        NextHop = nextHop;
        Source = source;
        Origin = attributes.Origin ?? Wire.Model.Origin.Igp;
        AsPathLength = attributes.AsPath?.Length ?? 0;
        NeighborAs = attributes.AsPath?.FirstAs;
        ClusterListLength = attributes.ClusterList.Count;

        var targets = new List<ExtendedCommunity>();
        foreach (var community in attributes.ExtendedCommunities)
        {
            if (community.IsRouteTarget)
            {
                targets.Add(community);
            }
            else if (community.IsEncapsulation)
            {
                HasEncapsulation = true;
                IsVxlan |= community.EncapsulationTunnelType == TunnelTypes.Vxlan;
            }
            else if (community.IsMacMobility && !HasMacMobility)
            {
                // RFC 7432 section 7.7: only the first MAC Mobility community is meaningful.
                HasMacMobility = true;
                MobilitySequence = community.MacMobilitySequence;
                IsSticky = community.MacMobilitySticky;
            }
            else if (community.IsDefaultGateway)
            {
                IsDefaultGateway = true;
            }
        }
        RouteTargets = targets.ToArray();
    }

    public PathAttributes Attributes { get; }
    public IpAddr NextHop { get; }

    /// <summary>Who sent (or originated) the paths using this set; null for a set made for export. Kept here,
    /// where the paths of an UPDATE share it, rather than in each <see cref="RibPath"/>.</summary>
    public RibPeer? Source { get; }

    public Origin Origin { get; }
    public int AsPathLength { get; }
    public uint? NeighborAs { get; }
    public int ClusterListLength { get; }
    public IReadOnlyList<ExtendedCommunity> RouteTargets { get; }
    /// <summary>RFC 8365 section 5.1.3: the VXLAN encapsulation community is present, so labels are VNIs.</summary>
    public bool IsVxlan { get; }

    /// <summary>Some RFC 9012 encapsulation community is present (VXLAN or another tunnel type).</summary>
    public bool HasEncapsulation { get; }
    public bool HasMacMobility { get; }
    public uint MobilitySequence { get; }
    public bool IsSticky { get; }
    public bool IsDefaultGateway { get; }

    /// <summary>Number of RIB references (paths, Adj-RIB-Out entries, export variants); zero frees it.</summary>
    internal int References;

    /// <summary>Export variants of this set (RFC 4456 reflection, eBGP), created on first use and
    /// released with this set.</summary>
    internal List<(ExportKey Key, AttributeSet Set)>? ExportVariants;

    /// <summary>Slot for the EVPN layer to cache what these attributes import into (routes sharing a
    /// set share their route targets). Owned by whoever sets it; the RIB never reads it.</summary>
    public object? ImportCache { get; set; }

    public override string ToString() => $"nh {NextHop} {Attributes.ExtendedCommunities}";
}

internal readonly record struct ExportKey(ExportKind Kind, IpAddr OriginatorFallback, bool LocallyOriginated);

internal enum ExportKind : byte
{
    ToInternal,
    Reflected,
    ToExternal,
}
