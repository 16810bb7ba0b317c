using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>The attributes of one UPDATE while they are being decoded; becomes an immutable
/// <see cref="PathAttributes"/> at the end.</summary>
internal sealed class PathAttributesBuilder
{
    public Origin? Origin;
    public AsPath? AsPath;
    public AsPath? As4Path;
    public IpAddr? NextHop;
    public uint? MultiExitDisc;
    public uint? LocalPref;
    public bool AtomicAggregate;
    public Aggregator? Aggregator;
    public Aggregator? As4Aggregator;
    public EquatableArray<uint> Communities = EquatableArray<uint>.Empty;
    public IpAddr? OriginatorId;
    public EquatableArray<IpAddr> ClusterList = EquatableArray<IpAddr>.Empty;
    public EquatableArray<ExtendedCommunity> ExtendedCommunities = EquatableArray<ExtendedCommunity>.Empty;
    public PmsiTunnel? PmsiTunnel;
    public EquatableArray<LargeCommunity> LargeCommunities = EquatableArray<LargeCommunity>.Empty;
    public List<RawAttribute>? Unrecognized;
    public MpReachNlri? MpReach;
    public MpUnreachNlri? MpUnreach;
    public List<RawAttribute>? UnsupportedMp;
    public int SkippedRoutes;

    public PathAttributes ToPathAttributes() => new()
    {
        Origin = Origin,
        AsPath = AsPath,
        NextHop = NextHop,
        MultiExitDisc = MultiExitDisc,
        LocalPref = LocalPref,
        AtomicAggregate = AtomicAggregate,
        Aggregator = Aggregator,
        Communities = Communities,
        OriginatorId = OriginatorId,
        ClusterList = ClusterList,
        ExtendedCommunities = ExtendedCommunities,
        PmsiTunnel = PmsiTunnel,
        LargeCommunities = LargeCommunities,
        Unrecognized = Unrecognized is null ? EquatableArray<RawAttribute>.Empty : Unrecognized.ToArray(),
    };
}
