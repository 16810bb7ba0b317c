using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>RFC 4456: reflection rules, ORIGINATOR_ID, CLUSTER_LIST and loop checks.</summary>
public class RouteReflectionTests
{
    private static readonly MacIpAdvertisementRoute Route = Mac("10.0.0.5:1", "52:54:00:00:00:01");

    private static Rib Reflector()
    {
        var rib = NewRib(reflector: true);
        rib.PeerUp(Ibgp("10.0.0.2", client: true, routerId: "2.2.2.2"));
        rib.PeerUp(Ibgp("10.0.0.3", client: true, routerId: "3.3.3.3"));
        rib.PeerUp(Ibgp("10.0.0.4", client: false, routerId: "4.4.4.4"));
        rib.PeerUp(Ibgp("10.0.0.5", client: false, routerId: "5.5.5.5"));
        rib.TakeOutbound();
        return rib;
    }

    [Fact]
    public void A_client_route_is_reflected_to_every_other_peer_with_originator_id_and_cluster_list()
    {
        var rib = Reflector();
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(), Ip("10.0.0.2"));
        rib.Process();
        var updates = rib.TakeOutbound();
        Assert.Equal(["10.0.0.3", "10.0.0.4", "10.0.0.5"], updates.Select(u => u.Peer.ToString()).Order());
        foreach (var update in updates)
        {
            var group = Assert.Single(update.Announcements);
            Assert.Equal(Ip("2.2.2.2"), group.Attributes.OriginatorId);
            Assert.Equal([Self], group.Attributes.ClusterList.ToArray());
            Assert.Equal(Ip("10.0.0.2"), group.NextHop);
        }
    }

    [Fact]
    public void A_non_client_route_is_reflected_to_clients_only()
    {
        var rib = Reflector();
        rib.Receive(Ip("10.0.0.4"), [Route], Attrs(), Ip("10.0.0.4"));
        rib.Process();
        Assert.Equal(["10.0.0.2", "10.0.0.3"], rib.TakeOutbound().Select(u => u.Peer.ToString()).Order());
    }

    [Fact]
    public void An_existing_originator_id_is_kept_and_the_cluster_id_prepended()
    {
        var rib = Reflector();
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(originatorId: "9.9.9.9", clusterList: ["7.7.7.7"]), Ip("10.0.0.9"));
        rib.Process();
        var group = rib.TakeOutbound().First().Announcements.Single();
        Assert.Equal(Ip("9.9.9.9"), group.Attributes.OriginatorId);
        Assert.Equal([Self, Ip("7.7.7.7")], group.Attributes.ClusterList.ToArray());
    }

    [Fact]
    public void A_route_with_our_router_id_as_originator_is_rejected()
    {
        var rib = NewRib(keepPrePolicy: true);
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(originatorId: "10.0.0.1"), Ip("10.0.0.2"));
        rib.Process();
        Assert.Equal(0, rib.DestinationCount);
        Assert.Equal(InboundRejection.OriginatorIsSelf, Assert.Single(rib.AdjRibInPrePolicy(Ip("10.0.0.2"))).Rejection);
    }

    [Fact]
    public void A_route_carrying_our_cluster_id_is_rejected_by_a_reflector()
    {
        var rib = Reflector();
        rib.Receive(Ip("10.0.0.4"), [Route], Attrs(originatorId: "8.8.8.8", clusterList: ["10.0.0.1"]), Ip("10.0.0.4"));
        rib.Process();
        Assert.Equal(0, rib.DestinationCount);
    }

    [Fact]
    public void A_route_with_our_as_in_its_path_from_an_external_peer_is_rejected()
    {
        var rib = NewRib();
        rib.PeerUp(Ebgp("10.0.0.2", 65002));
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(asPath: [65002, 65000]), Ip("10.0.0.2"));
        rib.Process();
        Assert.Equal(0, rib.DestinationCount);
    }

    [Fact]
    public void A_rejected_route_replaces_an_accepted_one_as_a_withdraw()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(), Ip("10.0.0.2"));
        rib.Process();
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(originatorId: "10.0.0.1"), Ip("10.0.0.2"));
        var change = Assert.Single(rib.Process());
        Assert.Null(change.Current);
    }
}
