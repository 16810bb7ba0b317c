using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>The forms of type-2 and type-3 routes vendors send (RFC 8365 section 5.1.3, RFC 9135, RFC 7432
/// sections 7.7, 7.8, 10.1): what is installed, what is not, and what show and explain say.</summary>
public class VendorRouteFormTests
{
    private const string M = "52:54:00:cc:00:01";
    private static readonly ExtendedCommunity Rt100 = VniIdentity.RouteTarget(DerivationMode.Frr, As, 100, 100);
    private static readonly ExtendedCommunity Mpls = ExtendedCommunity.Encapsulation(RouteForms.MplsTunnelType);

    private static PathAttributes With(params ExtendedCommunity[] communities) =>
        RemoteAttributes(100) with { ExtendedCommunities = communities };

    [Fact]
    public void A_route_without_an_encapsulation_community_is_not_installed_and_show_and_explain_say_why()
    {
        var lab = WithVniAndTwoVteps();

        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, M)], With(Rt100), Ip("10.0.0.2"), []);

        Assert.Empty(lab.Intents());
        Assert.Equal(1, lab.Core.Counters.RoutesWithUnsupportedTunnel);
        var view = Assert.Single(lab.Core.Queries.Routes(new RouteFilter(Mac: Mac(M))));
        Assert.Contains("no BGP encapsulation extended community", view.NotInstalled);
        var explained = Assert.Single(lab.Core.Queries.ExplainImport(Mac(M), null, null, null, null));
        Assert.StartsWith("not installed: no BGP encapsulation extended community", explained.Summary);
    }

    [Fact]
    public void An_mpls_only_route_is_not_installed_and_named_mpls()
    {
        var lab = WithVniAndTwoVteps();

        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, M)], With(Rt100, Mpls), Ip("10.0.0.2"), []);
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [new InclusiveMulticastRoute(RouteDistinguisher.Parse("10.0.0.2:100"), 0, Ip("10.0.0.2"))],
            With(Rt100, Mpls) with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(Ip("10.0.0.2"), 100) }, Ip("10.0.0.2"), []);

        Assert.Empty(lab.Intents());
        Assert.All(lab.Core.Queries.Routes(new RouteFilter()).Where(r => r.Source != "local"),
            r => Assert.Equal("its encapsulation is MPLS (tunnel type 10), not VXLAN (RFC 9012 tunnel type 8)", r.NotInstalled));
    }

    [Fact]
    public void A_route_listing_both_mpls_and_vxlan_is_vxlan()
    {
        var lab = WithVniAndTwoVteps();

        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, M)], With(Rt100, Mpls, ExtendedCommunity.VxlanEncapsulation), Ip("10.0.0.2"), []);

        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Null(Assert.Single(lab.Core.Queries.Routes(new RouteFilter(Mac: Mac(M)))).NotInstalled);
    }

    [Fact]
    public void Symmetric_irb_type2_installs_its_l2_part_and_keeps_label2_and_the_router_mac()
    {
        var lab = WithVniAndTwoVteps();
        var rmac = MacAddress.Parse("44:38:39:00:00:02");
        var route = Type2("10.0.0.2", 100, M, "10.1.0.5") with { Label2 = EvpnLabel.FromVni(4001) };

        lab.Core.UpdateReceived(Ip("10.0.0.2"), [route], With(Rt100, ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.RoutersMac(rmac)), Ip("10.0.0.2"), []);

        Assert.Equal([AddFdb(100, M, "10.0.0.2"), AddNeighbor(100, "10.1.0.5", M)], lab.Intents());
        var view = Assert.Single(lab.Core.Queries.Routes(new RouteFilter(Mac: Mac(M))));
        Assert.Equal(EvpnLabel.FromVni(4001), ((MacIpAdvertisementRoute)view.Route).Label2);
        Assert.Equal(rmac, RouteForms.RoutersMac(view.Attributes));
    }

    [Fact]
    public void An_all_zero_router_mac_is_no_router_mac()
    {
        var attributes = With(Rt100, ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.RoutersMac(new MacAddress(0)));

        Assert.Null(RouteForms.RoutersMac(attributes));
    }

    [Fact]
    public void A_default_gateway_mac_seen_from_another_vtep_with_a_higher_sequence_is_not_a_move()
    {
        var lab = WithVniAndTwoVteps();
        var gateway = With(Rt100, ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.DefaultGateway);

        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, M)], gateway, Ip("10.0.0.2"), []);
        lab.Core.UpdateReceived(Ip("10.0.0.3"), [Type2("10.0.0.3", 100, M)],
            With(Rt100, ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.DefaultGateway, ExtendedCommunity.MacMobility(1, false)), Ip("10.0.0.3"), []);

        Assert.Contains(AddFdb(100, M, "10.0.0.3"), lab.Intents());
        Assert.Equal(0, lab.Core.Counters.MacMoves);
    }

    [Fact]
    public void The_same_sequence_bump_without_the_gateway_community_is_a_move()
    {
        var lab = WithVniAndTwoVteps();

        lab.Advertise("10.0.0.2", 100, M);
        lab.Advertise("10.0.0.3", 100, M, sequence: 1);

        Assert.Equal(1, lab.Core.Counters.MacMoves);
    }

    [Fact]
    public void A_type2_with_a_non_zero_esi_is_installed_toward_the_routes_vtep()
    {
        var lab = WithVniAndTwoVteps();
        var esi = new EthernetSegmentId(0x0001_0203_0405_0607UL, 0x0809);
        var route = Type2("10.0.0.2", 100, M) with { Esi = esi };

        lab.Core.UpdateReceived(Ip("10.0.0.2"), [route], RemoteAttributes(100), Ip("10.0.0.2"), []);

        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Equal(esi, ((MacIpAdvertisementRoute)Assert.Single(lab.Core.Queries.Routes(new RouteFilter(Mac: Mac(M)))).Route).Esi);
    }
}
