using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>Type-3 per local VNI and type-2 per local MAC / MAC+IP, with RD/RT derivation.</summary>
public class OriginationTests
{
    [Fact]
    public void Vni_derives_its_rd_and_route_target_by_its_own_rule_or_the_global_one()
    {
        // Nokia: RD system-ip:EVI and RT AS:EVI; NX-OS with the VLAN as evi: RD router-id:(VLAN + 32767).
        var lab = new Lab(Options() with
        {
            Derivation = DerivationMode.Rfc8365,
            Vnis = [new VniConfig(200, Derivation: DerivationMode.Nokia, Evi: 20), new VniConfig(300, Derivation: DerivationMode.NxOs, Evi: 30)],
        });
        lab.VniUp(100);
        lab.VniUp(200);
        lab.VniUp(300);

        var vnis = lab.Core.Queries.Vnis().ToDictionary(v => v.Vni);
        Assert.Equal([ExtendedCommunity.RouteTargetAs2(65000, 0x1000_0064)], vnis[100].ImportRouteTargets);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:1"), vnis[100].Rd);
        Assert.Equal([ExtendedCommunity.RouteTargetAs2(65000, 20)], vnis[200].ExportRouteTargets);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:20"), vnis[200].Rd);
        Assert.Equal([ExtendedCommunity.RouteTargetAs2(65000, 300)], vnis[300].ExportRouteTargets);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:32797"), vnis[300].Rd);
    }

    [Fact]
    public void Allocated_rd_index_steps_over_an_rd_a_derivation_rule_fixed()
    {
        // VNI 500's Nokia RD 10.0.0.1:1 is the first index an allocated RD would take.
        var lab = new Lab(Options() with { Vnis = [new VniConfig(500, Derivation: DerivationMode.Nokia, Evi: 1)] });
        lab.VniUp(500);
        lab.VniUp(100);

        var vnis = lab.Core.Queries.Vnis().ToDictionary(v => v.Vni);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:1"), vnis[500].Rd);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:2"), vnis[100].Rd);
    }

    [Fact]
    public void Auto_rd_is_router_id_and_a_per_vni_index()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.VniUp(200);
        var vnis = lab.Core.Queries.Vnis();
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:1"), vnis[0].Rd);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:2"), vnis[1].Rd);
        Assert.Equal([ExtendedCommunity.RouteTargetAs2(65000, 100)], vnis[0].ImportRouteTargets);
    }

    [Fact]
    public void Configured_rd_and_route_targets_are_used()
    {
        var rt = ExtendedCommunity.RouteTargetAs2(65123, 7);
        var lab = new Lab(Options() with { Vnis = [new VniConfig(100, RouteDistinguisher.Parse("65000:77"), [rt], [rt])] });
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        var (announced, _, _) = lab.Outbound();
        var (route, attributes, _) = Assert.Single(announced);
        Assert.Equal(RouteDistinguisher.Parse("65000:77"), route.Rd);
        Assert.Contains(rt, attributes.ExtendedCommunities);
        Assert.DoesNotContain(ExtendedCommunity.RouteTargetAs2(65000, 100), attributes.ExtendedCommunities);
    }

    [Fact]
    public void A_local_vni_is_advertised_as_a_type3_with_ingress_replication_to_our_vtep()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        var (announced, _, raw) = lab.Outbound();
        var (route, attributes, nextHop) = Assert.Single(announced);
        var imet = Assert.IsType<InclusiveMulticastRoute>(route);
        Assert.Equal(Self, imet.OriginatorIp);
        Assert.Equal(0u, imet.EthernetTag);
        Assert.Equal(Self, nextHop);
        Assert.Equal(PmsiTunnel.IngressReplication, attributes.PmsiTunnel!.TunnelType);
        Assert.Equal(100u, EvpnLabel.ToVni(attributes.PmsiTunnel.Label));
        Assert.Equal(Self, attributes.PmsiTunnel.Endpoint);
        Assert.True(attributes.IsVxlan);
        Assert.Contains(ExtendedCommunity.RouteTargetAs2(65000, 100), attributes.ExtendedCommunities);
        Assert.Equal(100u, attributes.LocalPref);
        Assert.True(Assert.Single(raw).EndOfRib);
    }

    [Fact]
    public void Local_mac_and_neighbor_become_type2_mac_and_mac_ip_routes_with_the_vni_label()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.Outbound();
        lab.LearnLocal(100, "52:54:00:aa:00:01");
        lab.LearnNeighbor(100, "192.0.2.10", "52:54:00:aa:00:01");
        var (announced, _, _) = lab.Outbound();
        Assert.Equal(2, announced.Count);
        Assert.All(announced, a =>
        {
            var route = Assert.IsType<MacIpAdvertisementRoute>(a.Route);
            Assert.Equal(100u, EvpnLabel.ToVni(route.Label1));
            Assert.Equal(EthernetSegmentId.Zero, route.Esi);
            Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:1"), route.Rd);
            Assert.Null(a.Attributes.MacMobility);
            Assert.True(a.Attributes.IsVxlan);
            Assert.Equal(Self, a.NextHop);
        });
        Assert.Contains(announced, a => ((MacIpAdvertisementRoute)a.Route).Ip == Ip("192.0.2.10"));
    }

    [Fact]
    public void Removing_the_mac_withdraws_its_mac_and_mac_ip_routes()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.LearnLocal(100, "52:54:00:aa:00:01");
        lab.LearnNeighbor(100, "192.0.2.10", "52:54:00:aa:00:01");
        lab.Outbound();
        lab.RemoveLocal(100, "52:54:00:aa:00:01");
        var (_, withdrawn, _) = lab.Outbound();
        Assert.Equal(2, withdrawn.Count);
        Assert.Empty(lab.Core.Queries.Macs(100));
    }

    [Fact]
    public void Removing_a_neighbor_withdraws_only_its_mac_ip_route()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.LearnLocal(100, "52:54:00:aa:00:01");
        lab.LearnNeighbor(100, "192.0.2.10", "52:54:00:aa:00:01");
        lab.Outbound();
        lab.Core.Apply(new DataPlane.DataPlaneEvent.LocalNeighborRemoved(100, Ip("192.0.2.10")));
        var withdrawn = Assert.Single(lab.Outbound().Withdrawn);
        Assert.Equal(Ip("192.0.2.10"), ((MacIpAdvertisementRoute)withdrawn).Ip);
    }

    [Fact]
    public void A_vni_going_away_withdraws_its_type3_and_type2_routes()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.LearnLocal(100, "52:54:00:aa:00:01");
        lab.Outbound();
        lab.Core.Apply(new DataPlane.DataPlaneEvent.VniDown(100));
        Assert.Equal(2, lab.Outbound().Withdrawn.Count);
        Assert.Empty(lab.Core.Queries.Vnis());
    }

    [Fact]
    public void Svi_macs_carry_the_default_gateway_community_when_configured()
    {
        var lab = new Lab(Options() with { AdvertiseDefaultGateway = true });
        lab.VniUp(100, svi: "vlan100");
        lab.PeerUp("10.0.0.2");
        lab.Outbound();
        lab.LearnLocal(100, "52:54:00:aa:00:01", port: "vlan100");
        lab.LearnLocal(100, "52:54:00:aa:00:02", port: "eth1");
        var announced = lab.Outbound().Announced;
        Assert.Contains(ExtendedCommunity.DefaultGateway, announced.Single(a => ((MacIpAdvertisementRoute)a.Route).Mac == Mac("52:54:00:aa:00:01")).Attributes.ExtendedCommunities);
        Assert.DoesNotContain(ExtendedCommunity.DefaultGateway, announced.Single(a => ((MacIpAdvertisementRoute)a.Route).Mac == Mac("52:54:00:aa:00:02")).Attributes.ExtendedCommunities);
    }

    [Fact]
    public void Macs_on_a_vni_without_a_data_plane_device_are_ignored()
    {
        var lab = new Lab(Options() with { Vnis = [new VniConfig(100)] });
        lab.PeerUp("10.0.0.2");
        lab.LearnLocal(100, "52:54:00:aa:00:01");
        Assert.Empty(lab.Outbound().Announced);
    }

    [Fact]
    public void Changing_the_export_route_target_re_advertises_local_routes()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.LearnLocal(100, "52:54:00:aa:00:01");
        lab.Outbound();
        var rt = ExtendedCommunity.RouteTargetAs2(65000, 5555);
        lab.Core.Reconfigure(Options() with { Vnis = [new VniConfig(100, ExportRouteTargets: [rt])] });
        var (announced, withdrawn, _) = lab.Outbound();
        Assert.Empty(withdrawn);
        Assert.Equal(2, announced.Count);
        Assert.All(announced, a => Assert.Contains(rt, a.Attributes.ExtendedCommunities));
    }

    [Fact]
    public void A_new_vtep_address_re_advertises_local_routes_with_it_as_next_hop()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.LearnLocal(100, "52:54:00:aa:00:01");
        lab.Outbound();
        lab.Core.Apply(new DataPlane.DataPlaneEvent.VniUp(Vni(100) with { LocalVtep = Ip("10.9.9.9") }));
        var (announced, withdrawn, _) = lab.Outbound();
        Assert.Single(withdrawn);
        Assert.Equal(2, announced.Count);
        Assert.All(announced, a => Assert.Equal(Ip("10.9.9.9"), a.NextHop));
    }
}
