using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Rib.Tests;

/// <summary>Small builders for routes, attributes and peers used across the RIB tests.</summary>
internal static class Build
{
    public const uint LocalAs = 65000;
    public static readonly IpAddr Self = IpAddr.Parse("10.0.0.1");

    public static IpAddr Ip(string text) => IpAddr.Parse(text);

    public static Rib NewRib(bool reflector = false, bool keepPrePolicy = false) =>
        new(new RibOptions(LocalAs, Self, reflector, null, keepPrePolicy));

    public static PeerSession Ibgp(string address, bool client = false, string? routerId = null) =>
        new(Ip(address), LocalAs, Ip(routerId ?? address), true, [AfiSafi.L2vpnEvpn], client);

    public static PeerSession Ebgp(string address, uint asn, string? routerId = null) =>
        new(Ip(address), asn, Ip(routerId ?? address), false, [AfiSafi.L2vpnEvpn]);

    public static MacIpAdvertisementRoute Mac(string rd, string mac, string? ip = null, uint vni = 100) =>
        new(RouteDistinguisher.Parse(rd), EthernetSegmentId.Zero, 0, MacAddress.Parse(mac), ip is null ? null : Ip(ip), EvpnLabel.FromVni(vni));

    public static InclusiveMulticastRoute Imet(string rd, string originator) => new(RouteDistinguisher.Parse(rd), 0, Ip(originator));

    public static PathAttributes Attrs(uint? localPref = null, uint[]? asPath = null, Origin origin = Origin.Igp, uint? med = null,
        string? originatorId = null, string[]? clusterList = null, uint? sequence = null, bool sticky = false) =>
        new()
        {
            Origin = origin,
            AsPath = asPath is null ? AsPath.Empty : new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, asPath) }),
            LocalPref = localPref,
            MultiExitDisc = med,
            OriginatorId = originatorId is null ? null : Ip(originatorId),
            ClusterList = (clusterList ?? []).Select(Ip).ToArray(),
            ExtendedCommunities = Communities(sequence, sticky),
        };

    private static ExtendedCommunity[] Communities(uint? sequence, bool sticky)
    {
        var list = new List<ExtendedCommunity> { ExtendedCommunity.RouteTargetAs2(65000, 100), ExtendedCommunity.VxlanEncapsulation };
        if (sequence is not null || sticky)
        {
            list.Add(ExtendedCommunity.MacMobility(sequence ?? 0, sticky));
        }
        return list.ToArray();
    }

    public static List<BestPathChange> Process(this Rib rib)
    {
        var changes = new List<BestPathChange>();
        rib.ProcessChanges(changes);
        return changes;
    }
}
