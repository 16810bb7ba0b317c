using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>Remote type-2/type-3 routes into FDB, neighbor and flood intents, by route target.</summary>
public class ImportTests
{
    [Fact]
    public void A_remote_mac_ip_route_installs_fdb_and_neighbor_and_its_withdraw_removes_them()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01", "192.0.2.20");
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:01", "10.0.0.2"), AddNeighbor(100, "192.0.2.20", "52:54:00:bb:00:01")], lab.Intents());
        lab.Withdraw("10.0.0.2", 100, "52:54:00:bb:00:01", "192.0.2.20");
        Assert.Equal([RemoveFdb(100, "52:54:00:bb:00:01", "10.0.0.2"), RemoveNeighbor(100, "192.0.2.20", "52:54:00:bb:00:01")], lab.Intents());
    }

    [Fact]
    public void Mac_and_mac_ip_routes_of_one_mac_make_one_fdb_entry()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01", "192.0.2.20");
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:01", "10.0.0.2"), AddNeighbor(100, "192.0.2.20", "52:54:00:bb:00:01")], lab.Intents());
        lab.Withdraw("10.0.0.2", 100, "52:54:00:bb:00:01", "192.0.2.20");
        Assert.Equal([RemoveNeighbor(100, "192.0.2.20", "52:54:00:bb:00:01")], lab.Intents());
    }

    [Fact]
    public void A_remote_type3_adds_its_vtep_to_the_flood_list_once()
    {
        var lab = WithVniAndTwoVteps();
        lab.AdvertiseImet("10.0.0.2", 100);
        lab.AdvertiseImet("10.0.0.3", 100);
        Assert.Equal([AddFlood(100, "10.0.0.2"), AddFlood(100, "10.0.0.3")], lab.Intents());
        Assert.Equal([new FloodEntry(100, Ip("10.0.0.2")), new FloodEntry(100, Ip("10.0.0.3"))], lab.Core.Queries.FloodList(100));
        lab.WithdrawImet("10.0.0.2", 100);
        Assert.Equal([RemoveFlood(100, "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void Routes_for_a_vni_not_present_are_kept_and_installed_when_it_appears()
    {
        var lab = new Lab();
        lab.PeerUp("10.0.0.2");
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01", "192.0.2.20");
        lab.AdvertiseImet("10.0.0.2", 100);
        Assert.Empty(lab.Intents());
        Assert.Equal(2, lab.Core.Counters.RoutesWithoutMacVrf);
        lab.VniUp(100);
        var intents = lab.Intents();
        Assert.Equal(3, intents.Count);
        Assert.Contains(AddFdb(100, "52:54:00:bb:00:01", "10.0.0.2"), intents);
        Assert.Contains(AddNeighbor(100, "192.0.2.20", "52:54:00:bb:00:01"), intents);
        Assert.Contains(AddFlood(100, "10.0.0.2"), intents);
    }

    [Fact]
    public void A_configured_vni_without_device_imports_state_and_installs_on_vni_up()
    {
        var lab = new Lab(Options() with { Vnis = [new VniConfig(100)] });
        lab.PeerUp("10.0.0.2");
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        Assert.Empty(lab.Intents());
        Assert.Equal(MacLocation.Remote, Assert.Single(lab.Core.Queries.Macs(100)).Location);
        lab.VniUp(100);
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:01", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void A_vni_going_down_removes_what_it_installed()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01", "192.0.2.20");
        lab.AdvertiseImet("10.0.0.2", 100);
        lab.Intents();
        lab.Core.Apply(new DataPlaneEvent.VniDown(100));
        var intents = lab.Intents();
        Assert.Equal(3, intents.Count);
        Assert.Contains(RemoveFdb(100, "52:54:00:bb:00:01", "10.0.0.2"), intents);
        Assert.Contains(RemoveNeighbor(100, "192.0.2.20", "52:54:00:bb:00:01"), intents);
        Assert.Contains(RemoveFlood(100, "10.0.0.2"), intents);
    }

    [Fact]
    public void Import_is_by_route_target_not_by_label_or_rd()
    {
        var lab = WithVniAndTwoVteps();
        // VNI 200's route target, label 100: not for VNI 100.
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, "52:54:00:bb:00:01")], RemoteAttributes(200), Ip("10.0.0.2"), []);
        Assert.Empty(lab.Intents());
        // VNI 100's route target with label 7000 is imported into VNI 100, sent with the label's VNI.
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 7000, "52:54:00:bb:00:02")], RemoteAttributes(100), Ip("10.0.0.2"), []);
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:02", "10.0.0.2", remoteVni: 7000)], lab.Intents());
    }

    [Fact]
    public void Wildcard_import_matches_any_global_administrator()
    {
        var lab = WithVniAndTwoVteps(Options() with { WildcardImport = true });
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, "52:54:00:bb:00:01")], RemoteAttributes(100, asn: 65099), Ip("10.0.0.2"), []);
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:01", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void Without_wildcard_import_another_as_route_target_does_not_match()
    {
        var lab = WithVniAndTwoVteps();
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, "52:54:00:bb:00:01")], RemoteAttributes(100, asn: 65099), Ip("10.0.0.2"), []);
        Assert.Empty(lab.Intents());
    }

    [Fact]
    public void Changing_the_import_route_target_re_evaluates_imports()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        lab.Core.UpdateReceived(Ip("10.0.0.3"), [Type2("10.0.0.3", 100, "52:54:00:bb:00:02")], RemoteAttributes(300), Ip("10.0.0.3"), []);
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:01", "10.0.0.2")], lab.Intents());
        lab.Core.Reconfigure(Options() with { Vnis = [new VniConfig(100, ImportRouteTargets: [VniIdentity.RouteTarget(DerivationMode.Frr, As, 300, 300)])] });
        Assert.Equal([RemoveFdb(100, "52:54:00:bb:00:01", "10.0.0.2"), AddFdb(100, "52:54:00:bb:00:02", "10.0.0.3")], lab.Intents());
    }

    [Fact]
    public void Routes_with_another_tunnel_encapsulation_are_not_imported()
    {
        var lab = WithVniAndTwoVteps();
        var mpls = RemoteAttributes(100) with { ExtendedCommunities = new[] { VniIdentity.RouteTarget(DerivationMode.Frr, As, 100, 100), ExtendedCommunity.Encapsulation(10) } };
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, "52:54:00:bb:00:01")], mpls, Ip("10.0.0.2"), []);
        Assert.Empty(lab.Intents());
        Assert.Equal(1, lab.Core.Counters.RoutesWithUnsupportedTunnel);
    }

    [Fact]
    public void The_same_route_through_two_reflectors_installs_once_and_survives_one_going_down()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.9", 100, "52:54:00:bb:00:01", via: "10.0.0.2");
        lab.Advertise("10.0.0.9", 100, "52:54:00:bb:00:01", via: "10.0.0.3");
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:01", "10.0.0.9")], lab.Intents());
        lab.Core.PeerDown(Ip("10.0.0.2"), retainStale: false);
        Assert.Empty(lab.Intents());
        lab.Core.PeerDown(Ip("10.0.0.3"), retainStale: false);
        Assert.Equal([RemoveFdb(100, "52:54:00:bb:00:01", "10.0.0.9")], lab.Intents());
    }

    [Fact]
    public void Graceful_restart_keeps_fdb_entries_until_end_of_rib_sweeps_the_stale_ones()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:02");
        lab.Intents();
        lab.Core.PeerDown(Ip("10.0.0.2"), retainStale: true);
        Assert.Empty(lab.Intents());
        lab.PeerUp("10.0.0.2");
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        lab.Core.EndOfRibReceived(Ip("10.0.0.2"), AfiSafi.L2vpnEvpn);
        Assert.Equal([RemoveFdb(100, "52:54:00:bb:00:02", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void The_restart_timer_sweeps_stale_routes()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        lab.Intents();
        lab.Core.PeerDown(Ip("10.0.0.2"), retainStale: true);
        lab.Core.RestartTimerExpired(Ip("10.0.0.2"));
        Assert.Equal([RemoveFdb(100, "52:54:00:bb:00:01", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void Routes_query_filters_by_type_vni_and_rd()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        lab.AdvertiseImet("10.0.0.2", 100);
        lab.Core.UpdateReceived(Ip("10.0.0.3"), [Type2("10.0.0.3", 200, "52:54:00:bb:00:02")], RemoteAttributes(200), Ip("10.0.0.3"), []);
        Assert.Equal(4, lab.Core.Queries.Routes(new RouteFilter()).Count);
        Assert.Equal(2, lab.Core.Queries.Routes(new RouteFilter(Type: EvpnRouteType.MacIpAdvertisement)).Count);
        Assert.Equal(3, lab.Core.Queries.Routes(new RouteFilter(Vni: 100)).Count);
        var byRd = Assert.Single(lab.Core.Queries.Routes(new RouteFilter(Rd: RouteDistinguisher.Parse("10.0.0.3:200"))));
        Assert.Equal(200u, byRd.LabelVni);
        Assert.Equal(BestPathReason.OnlyPath, byRd.BestReason);
    }

    [Fact]
    public void Removing_a_vni_from_the_configuration_uninstalls_it_when_only_configured_vnis_are_served()
    {
        var options = Options() with { AdvertiseAllVnis = false, Vnis = [new VniConfig(100)] };
        var lab = new Lab(options);
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        lab.AdvertiseImet("10.0.0.2", 100);
        lab.Intents();
        lab.Outbound();
        lab.Core.Reconfigure(options with { Vnis = [] });
        Assert.Equal([RemoveFdb(100, "52:54:00:bb:00:01", "10.0.0.2"), RemoveFlood(100, "10.0.0.2")], lab.Intents());
        Assert.Single(lab.Outbound().Withdrawn);
        Assert.Empty(lab.Core.Queries.Vnis());
    }

    [Fact]
    public void Turning_wildcard_import_on_imports_routes_already_received()
    {
        var lab = WithVniAndTwoVteps();
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, "52:54:00:bb:00:01")], RemoteAttributes(100, asn: 65099), Ip("10.0.0.2"), []);
        Assert.Empty(lab.Intents());
        lab.Core.Reconfigure(Options() with { WildcardImport = true });
        Assert.Equal([AddFdb(100, "52:54:00:bb:00:01", "10.0.0.2")], lab.Intents());
        lab.Core.Reconfigure(Options());
        Assert.Equal([RemoveFdb(100, "52:54:00:bb:00:01", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void An_update_for_a_closed_session_is_dropped_and_counted()
    {
        var lab = WithVniAndTwoVteps();
        lab.Core.PeerDown(Ip("10.0.0.2"), retainStale: false);
        lab.Advertise("10.0.0.2", 100, "52:54:00:bb:00:01");
        Assert.Empty(lab.Intents());
        Assert.Equal(1, lab.Core.Counters.UpdatesFromUnknownPeers);
    }
}
