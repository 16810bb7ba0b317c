using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>Each step of the decision process, and the reason kept with the winner.</summary>
public class BestPathTests
{
    private static readonly MacIpAdvertisementRoute Route = Mac("10.0.0.9:1", "52:54:00:00:00:01", "192.0.2.1");

    /// <summary>Two peers send the same route with different attributes; returns the best path's peer and reason.</summary>
    private static (string Winner, BestPathReason Reason) Decide(PeerSession a, PathAttributes aa, PeerSession b, PathAttributes ba,
        EvpnRoute? route = null, string nextHopA = "10.0.0.9", string nextHopB = "10.0.0.9")
    {
        route ??= Route;
        var rib = NewRib();
        rib.PeerUp(a);
        rib.PeerUp(b);
        rib.Receive(a.Address, [route], aa, Ip(nextHopA));
        rib.Receive(b.Address, [route], ba, Ip(nextHopB));
        rib.Process();
        var destination = rib.Find(route)!;
        return (destination.Best!.Source.Address.ToString(), destination.Reason);
    }

    [Fact]
    public void A_single_path_wins_as_the_only_path()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(), Ip("10.0.0.2"));
        rib.Process();
        Assert.Equal(BestPathReason.OnlyPath, rib.Find(Route)!.Reason);
    }

    [Fact]
    public void Sticky_mac_wins_before_anything_else()
    {
        var result = Decide(Ibgp("10.0.0.2"), Attrs(localPref: 500, sequence: 9), Ibgp("10.0.0.3"), Attrs(sticky: true));
        Assert.Equal(("10.0.0.3", BestPathReason.StickyMac), result);
    }

    [Fact]
    public void Higher_mobility_sequence_wins_over_local_preference()
    {
        var result = Decide(Ibgp("10.0.0.2"), Attrs(localPref: 500, sequence: 1), Ibgp("10.0.0.3"), Attrs(sequence: 2));
        Assert.Equal(("10.0.0.3", BestPathReason.MobilitySequence), result);
    }

    [Fact]
    public void Mobility_rules_apply_only_to_mac_ip_routes()
    {
        var imet = Imet("10.0.0.9:1", "10.0.0.9");
        var result = Decide(Ibgp("10.0.0.2"), Attrs(localPref: 200, sequence: 1), Ibgp("10.0.0.3"), Attrs(sequence: 2), imet);
        Assert.Equal(("10.0.0.2", BestPathReason.LocalPreference), result);
    }

    [Fact]
    public void Locally_originated_route_wins_by_weight()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(localPref: 1000), Ip("10.0.0.2"));
        rib.Originate(Route, Attrs(), Self);
        rib.Process();
        var destination = rib.Find(Route)!;
        Assert.True(destination.Best!.Source.IsLocal);
        Assert.Equal(BestPathReason.Weight, destination.Reason);
    }

    [Fact]
    public void Higher_local_preference_wins()
    {
        Assert.Equal(("10.0.0.3", BestPathReason.LocalPreference), Decide(Ibgp("10.0.0.2"), Attrs(localPref: 100), Ibgp("10.0.0.3"), Attrs(localPref: 200)));
    }

    [Fact]
    public void Local_preference_from_an_external_peer_is_ignored()
    {
        var result = Decide(Ebgp("10.0.0.2", 65002), Attrs(localPref: 900, asPath: [65002, 1]), Ibgp("10.0.0.3"), Attrs(localPref: 150));
        Assert.Equal(("10.0.0.3", BestPathReason.LocalPreference), result);
    }

    [Fact]
    public void Shorter_as_path_wins()
    {
        var result = Decide(Ebgp("10.0.0.2", 65002), Attrs(asPath: [65002, 7, 8]), Ebgp("10.0.0.3", 65003), Attrs(asPath: [65003]));
        Assert.Equal(("10.0.0.3", BestPathReason.AsPathLength), result);
    }

    [Fact]
    public void Lower_origin_wins()
    {
        var result = Decide(Ibgp("10.0.0.2"), Attrs(origin: Origin.Incomplete), Ibgp("10.0.0.3"), Attrs(origin: Origin.Egp));
        Assert.Equal(("10.0.0.3", BestPathReason.Origin), result);
    }

    [Fact]
    public void Lower_med_wins_between_paths_from_the_same_neighbour_as()
    {
        var result = Decide(Ebgp("10.0.0.2", 65002), Attrs(asPath: [65002], med: 50), Ebgp("10.0.0.3", 65002), Attrs(asPath: [65002], med: 10));
        Assert.Equal(("10.0.0.3", BestPathReason.MultiExitDiscriminator), result);
    }

    [Fact]
    public void Med_is_not_compared_between_different_neighbour_ases()
    {
        var result = Decide(Ebgp("10.0.0.2", 65002), Attrs(asPath: [65002], med: 50), Ebgp("10.0.0.3", 65003), Attrs(asPath: [65003], med: 10));
        Assert.Equal(("10.0.0.2", BestPathReason.RouterId), result);
    }

    [Fact]
    public void External_wins_over_internal()
    {
        var result = Decide(Ibgp("10.0.0.2"), Attrs(), Ebgp("10.0.0.3", 65003), Attrs(asPath: []));
        Assert.Equal(("10.0.0.3", BestPathReason.ExternalOverInternal), result);
    }

    [Fact]
    public void Lower_router_id_wins()
    {
        var result = Decide(Ibgp("10.0.0.2", routerId: "9.9.9.9"), Attrs(), Ibgp("10.0.0.3", routerId: "1.1.1.1"), Attrs());
        Assert.Equal(("10.0.0.3", BestPathReason.RouterId), result);
    }

    [Fact]
    public void Originator_id_stands_in_for_the_router_id()
    {
        var result = Decide(Ibgp("10.0.0.2", routerId: "1.1.1.1"), Attrs(originatorId: "8.8.8.8"), Ibgp("10.0.0.3", routerId: "9.9.9.9"), Attrs(originatorId: "2.2.2.2"));
        Assert.Equal(("10.0.0.3", BestPathReason.RouterId), result);
    }

    [Fact]
    public void Shorter_cluster_list_wins()
    {
        var result = Decide(Ibgp("10.0.0.2"), Attrs(originatorId: "7.7.7.7", clusterList: ["1.1.1.1", "2.2.2.2"]),
            Ibgp("10.0.0.3"), Attrs(originatorId: "7.7.7.7", clusterList: ["3.3.3.3"]));
        Assert.Equal(("10.0.0.3", BestPathReason.ClusterListLength), result);
    }

    [Fact]
    public void Lower_peer_address_wins_last()
    {
        var result = Decide(Ibgp("10.0.0.3"), Attrs(originatorId: "7.7.7.7"), Ibgp("10.0.0.2"), Attrs(originatorId: "7.7.7.7"));
        Assert.Equal(("10.0.0.2", BestPathReason.PeerAddress), result);
    }

    [Fact]
    public void The_reason_is_the_step_that_beat_the_closest_rival()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2", routerId: "1.1.1.1"));
        rib.PeerUp(Ibgp("10.0.0.3", routerId: "2.2.2.2"));
        rib.PeerUp(Ibgp("10.0.0.4", routerId: "3.3.3.3"));
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(localPref: 200), Ip("10.0.0.9"));
        rib.Receive(Ip("10.0.0.3"), [Route], Attrs(localPref: 200), Ip("10.0.0.9"));
        rib.Receive(Ip("10.0.0.4"), [Route], Attrs(localPref: 100), Ip("10.0.0.9"));
        rib.Process();
        var destination = rib.Find(Route)!;
        Assert.Equal(Ip("10.0.0.2"), destination.Best!.Source.Address);
        Assert.Equal(BestPathReason.RouterId, destination.Reason);
        Assert.Equal(3, destination.Paths.Count());
    }

    [Fact]
    public void The_type2_key_ignores_labels_and_esi()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Ip("10.0.0.2"), [Mac("10.0.0.2:1", "52:54:00:00:00:01", vni: 100)], Attrs(), Ip("10.0.0.2"));
        rib.Receive(Ip("10.0.0.2"), [Mac("10.0.0.2:1", "52:54:00:00:00:01", vni: 200) with { Esi = new EthernetSegmentId(1, 2) }], Attrs(), Ip("10.0.0.2"));
        rib.Process();
        Assert.Equal(1, rib.DestinationCount);
        var best = (MacIpAdvertisementRoute)rib.Find(Mac("10.0.0.2:1", "52:54:00:00:00:01"))!.Best!.Route;
        Assert.Equal(200u, EvpnLabel.ToVni(best.Label1));
    }
}
