using Evpn.DataPlane;
using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>Which VNI a received route is imported into when route targets are shared: by the label
/// (VLAN-based service) or the Ethernet Tag (VLAN-aware bundle), RFC 8365 sections 5.1.2 and 5.1.3.</summary>
public class VniSelectionTests
{
    private static readonly ExtendedCommunity SharedRt = ExtendedCommunity.RouteTargetAs2(65000, 1300);
    private static readonly RouteDistinguisher BundleRd = RouteDistinguisher.Parse("10.0.0.2:1300");

    /// <summary>VNIs 1303 and 1304 up, both importing <see cref="SharedRt"/>, peer 10.0.0.2 up.</summary>
    private static Lab SharingOneRouteTarget(uint tag1303 = 0, uint tag1304 = 0)
    {
        var lab = new Lab(Options() with
        {
            Vnis = [new VniConfig(1303, null, [SharedRt], [SharedRt], EthernetTag: tag1303), new VniConfig(1304, null, [SharedRt], [SharedRt], EthernetTag: tag1304)],
        });
        lab.VniUp(1303);
        lab.VniUp(1304);
        lab.PeerUp("10.0.0.2");
        lab.Intents();
        lab.Outbound();
        return lab;
    }

    private static PathAttributes Attributes(params ExtendedCommunity[] rts) =>
        new() { Origin = Origin.Igp, AsPath = AsPath.Empty, LocalPref = 100, ExtendedCommunities = rts.Append(ExtendedCommunity.VxlanEncapsulation).ToArray() };

    private static MacIpAdvertisementRoute Mac(uint tag, uint label, string mac, RouteDistinguisher? rd = null) =>
        new(rd ?? BundleRd, EthernetSegmentId.Zero, tag, Lab.Mac(mac), null, EvpnLabel.FromVni(label));

    private static void Receive(Lab lab, EvpnRoute route, PathAttributes attributes) =>
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [route], attributes, Ip("10.0.0.2"), []);

    private static void ReceiveImet(Lab lab, uint tag, uint label, string rd, ExtendedCommunity rt) =>
        Receive(lab, new InclusiveMulticastRoute(RouteDistinguisher.Parse(rd), tag, Ip("10.0.0.2")),
            Attributes(rt) with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(Ip("10.0.0.2"), label) });

    [Fact]
    public void Vnis_sharing_an_import_route_target_take_only_the_macs_whose_label_names_them()
    {
        var lab = SharingOneRouteTarget();
        Receive(lab, Mac(0, 1303, "52:54:00:13:03:01", RouteDistinguisher.Parse("10.0.0.2:3")), Attributes(SharedRt));
        Receive(lab, Mac(0, 1304, "52:54:00:13:04:01", RouteDistinguisher.Parse("10.0.0.2:4")), Attributes(SharedRt));
        Assert.Equal([AddFdb(1303, "52:54:00:13:03:01", "10.0.0.2"), AddFdb(1304, "52:54:00:13:04:01", "10.0.0.2")], lab.Intents());
        Assert.Equal([Lab.Mac("52:54:00:13:03:01")], lab.Core.Queries.Macs(1303).Select(m => m.Mac));
        Assert.Equal([Lab.Mac("52:54:00:13:04:01")], lab.Core.Queries.Macs(1304).Select(m => m.Mac));
    }

    [Fact]
    public void A_shared_route_target_with_a_label_naming_no_sharer_imports_nowhere()
    {
        var lab = SharingOneRouteTarget();
        Receive(lab, Mac(0, 7000, "52:54:00:70:00:01"), Attributes(SharedRt));
        Assert.Empty(lab.Intents());
        Assert.Equal(1, lab.Core.Counters.RoutesWithoutMacVrf);
    }

    [Fact]
    public void A_vlan_aware_bundle_imports_each_route_into_the_vni_its_ethernet_tag_names()
    {
        var lab = SharingOneRouteTarget();
        // Arista/Junos bundle: one RD, one RT, Ethernet Tag = VNI = label.
        Receive(lab, Mac(1303, 1303, "52:54:00:13:03:01"), Attributes(SharedRt));
        Receive(lab, Mac(1304, 1304, "52:54:00:13:04:01"), Attributes(SharedRt));
        Assert.Equal([AddFdb(1303, "52:54:00:13:03:01", "10.0.0.2"), AddFdb(1304, "52:54:00:13:04:01", "10.0.0.2")], lab.Intents());
        // A tag naming a VNI this VTEP does not have: not imported, whatever the label says.
        Receive(lab, Mac(1305, 1303, "52:54:00:13:05:01"), Attributes(SharedRt));
        Assert.Empty(lab.Intents());
        Assert.Equal(1, lab.Core.Counters.RoutesWithoutMacVrf);
    }

    [Fact]
    public void The_same_mac_in_two_vnis_of_a_bundle_is_two_routes_and_two_fdb_entries()
    {
        var lab = SharingOneRouteTarget();
        Receive(lab, Mac(1303, 1303, "52:54:00:00:00:01"), Attributes(SharedRt));
        Receive(lab, Mac(1304, 1304, "52:54:00:00:00:01"), Attributes(SharedRt));
        Assert.Equal([AddFdb(1303, "52:54:00:00:00:01", "10.0.0.2"), AddFdb(1304, "52:54:00:00:00:01", "10.0.0.2")], lab.Intents());
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [], PathAttributes.Empty, default, [Mac(1304, 1304, "52:54:00:00:00:01")]);
        Assert.Equal([RemoveFdb(1304, "52:54:00:00:00:01", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void A_configured_ethernet_tag_names_its_vni_in_a_bundle()
    {
        // Peers that tag bundle members with a VLAN id rather than the VNI.
        var lab = SharingOneRouteTarget(tag1303: 13, tag1304: 14);
        Receive(lab, Mac(14, 1304, "52:54:00:13:04:01"), Attributes(SharedRt));
        Receive(lab, Mac(13, 1303, "52:54:00:13:03:01"), Attributes(SharedRt));
        Assert.Equal([AddFdb(1304, "52:54:00:13:04:01", "10.0.0.2"), AddFdb(1303, "52:54:00:13:03:01", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void Type3_routes_of_vnis_sharing_a_route_target_fill_only_their_own_flood_list()
    {
        var lab = SharingOneRouteTarget();
        // VLAN-based: the PMSI label chooses; VLAN-aware: the Ethernet Tag does.
        ReceiveImet(lab, 0, 1304, "10.0.0.2:4", SharedRt);
        Assert.Equal([AddFlood(1304, "10.0.0.2")], lab.Intents());
        ReceiveImet(lab, 1303, 1303, "10.0.0.2:1300", SharedRt);
        Assert.Equal([AddFlood(1303, "10.0.0.2")], lab.Intents());
        Assert.Equal([new FloodEntry(1303, Ip("10.0.0.2"))], lab.Core.Queries.FloodList(1303));
        Assert.Equal([new FloodEntry(1304, Ip("10.0.0.2"))], lab.Core.Queries.FloodList(1304));
    }

    [Fact]
    public void A_downstream_assigned_label_is_imported_by_the_route_target_unique_to_a_vni()
    {
        var lab = WithVniAndTwoVteps();
        Receive(lab, Mac(0, 7000, "52:54:00:70:00:01", RouteDistinguisher.Parse("10.0.0.2:1")), Attributes(ExtendedCommunity.RouteTargetAs2(65000, 100)));
        Assert.Equal([AddFdb(100, "52:54:00:70:00:01", "10.0.0.2", remoteVni: 7000)], lab.Intents());
    }

    /// <summary>RFC 8365 section 5.1.3: the remote VTEP expects its own VNI, the label; the entries carry it, a label
    /// change re-installs them, and show and explain say it.</summary>
    [Fact]
    public void A_downstream_assigned_label_is_the_vni_the_fdb_and_flood_entries_send_with()
    {
        var lab = WithVniAndTwoVteps();
        var rt = ExtendedCommunity.RouteTargetAs2(65000, 100);
        var rd = RouteDistinguisher.Parse("10.0.0.2:1");
        Receive(lab, Mac(0, 7000, "52:54:00:70:00:01", rd), Attributes(rt));
        ReceiveImet(lab, 0, 7000, "10.0.0.2:1", rt);
        Assert.Equal([AddFdb(100, "52:54:00:70:00:01", "10.0.0.2", remoteVni: 7000), AddFlood(100, "10.0.0.2", remoteVni: 7000)], lab.Intents());
        Assert.Equal(7000u, Assert.Single(lab.Core.Queries.Macs(100)).RemoteVni);
        Assert.Equal(7000u, Assert.Single(lab.Core.Queries.FloodList(100)).RemoteVni);
        Assert.Contains("frames to it carry VNI 7000, its label (downstream-assigned)", lab.Core.Queries.Explain(Lab.Mac("52:54:00:70:00:01"), 100).Summary);

        // The label changes, the VTEP does not: the entries are re-installed with the new VNI.
        Receive(lab, Mac(0, 7001, "52:54:00:70:00:01", rd), Attributes(rt));
        ReceiveImet(lab, 0, 7001, "10.0.0.2:1", rt);
        Assert.Equal([AddFdb(100, "52:54:00:70:00:01", "10.0.0.2", remoteVni: 7001), RemoveFlood(100, "10.0.0.2", remoteVni: 7000), AddFlood(100, "10.0.0.2", remoteVni: 7001)],
            lab.Intents());
        // Back to the local VNI: an ordinary entry, nothing shown.
        Receive(lab, Mac(0, 100, "52:54:00:70:00:01", rd), Attributes(rt));
        Assert.Equal([AddFdb(100, "52:54:00:70:00:01", "10.0.0.2")], lab.Intents());
        Assert.Null(Assert.Single(lab.Core.Queries.Macs(100)).RemoteVni);

        // Withdrawals name the VNI the entries were installed with (the kernel matches a flood destination's VNI).
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [], PathAttributes.Empty, default,
            [Mac(0, 100, "52:54:00:70:00:01", rd), new InclusiveMulticastRoute(rd, 0, Ip("10.0.0.2"))]);
        Assert.Equal([RemoveFdb(100, "52:54:00:70:00:01", "10.0.0.2"), RemoveFlood(100, "10.0.0.2", remoteVni: 7001)], lab.Intents());
    }

    [Fact]
    public void A_second_vni_taking_a_route_target_takes_over_the_routes_whose_label_names_it()
    {
        var only1303 = Options() with { Vnis = [new VniConfig(1303, null, [SharedRt], [SharedRt])] };
        var lab = new Lab(only1303);
        lab.VniUp(1303);
        lab.VniUp(1304);
        lab.PeerUp("10.0.0.2");
        lab.Intents();
        // The RT is 1303's alone: imported there although the label says 1304 (downstream assigned).
        Receive(lab, Mac(0, 1304, "52:54:00:13:04:01"), Attributes(SharedRt));
        Assert.Equal([AddFdb(1303, "52:54:00:13:04:01", "10.0.0.2", remoteVni: 1304)], lab.Intents());
        lab.Core.Reconfigure(only1303 with { Vnis = [.. only1303.Vnis, new VniConfig(1304, null, [SharedRt], [SharedRt])] });
        Assert.Equal([RemoveFdb(1303, "52:54:00:13:04:01", "10.0.0.2", remoteVni: 1304), AddFdb(1304, "52:54:00:13:04:01", "10.0.0.2")], lab.Intents());
        // And back when 1304 stops importing it.
        lab.Core.Reconfigure(only1303);
        Assert.Equal([RemoveFdb(1304, "52:54:00:13:04:01", "10.0.0.2"), AddFdb(1303, "52:54:00:13:04:01", "10.0.0.2", remoteVni: 1304)], lab.Intents());
    }

    [Fact]
    public void Changing_a_vnis_ethernet_tag_re_evaluates_its_imports()
    {
        var lab = SharingOneRouteTarget();
        Receive(lab, Mac(13, 1303, "52:54:00:13:03:01"), Attributes(SharedRt));
        Assert.Empty(lab.Intents());
        lab.Core.Reconfigure(lab.Core.Options with
        {
            Vnis = [new VniConfig(1303, null, [SharedRt], [SharedRt], EthernetTag: 13), new VniConfig(1304, null, [SharedRt], [SharedRt])],
        });
        Assert.Equal([AddFdb(1303, "52:54:00:13:03:01", "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void Vnis_of_a_bundle_originate_routes_under_one_rd_told_apart_by_their_ethernet_tag()
    {
        var rd = RouteDistinguisher.Parse("10.0.0.1:1300");
        var lab = new Lab(Options() with
        {
            Vnis = [new VniConfig(1303, rd, [SharedRt], [SharedRt], EthernetTag: 1303), new VniConfig(1304, rd, [SharedRt], [SharedRt], EthernetTag: 1304)],
        });
        lab.VniUp(1303);
        lab.VniUp(1304);
        lab.LearnLocal(1304, "52:54:00:aa:13:04");
        lab.PeerUp("10.0.0.2");
        var (announced, _, _) = lab.Outbound();
        var imets = announced.Select(a => a.Route).OfType<InclusiveMulticastRoute>().OrderBy(r => r.EthernetTag).ToList();
        Assert.Equal([1303u, 1304u], imets.Select(r => r.EthernetTag));
        Assert.All(imets, r => Assert.Equal(rd, r.Rd));
        var mac = Assert.Single(announced.Select(a => a.Route).OfType<MacIpAdvertisementRoute>());
        Assert.Equal((1304u, 1304u, rd), (mac.EthernetTag, EvpnLabel.ToVni(mac.Label1), mac.Rd));
        // Our own bundle's routes as another VTEP of it would receive them (via 10.0.0.2, PMSI toward us): each in its own VNI.
        var other = SharingOneRouteTarget();
        foreach (var (route, attributes, _) in announced)
        {
            other.Core.UpdateReceived(Ip("10.0.0.2"), [route], attributes, Ip("10.0.0.2"), []);
        }
        Assert.Equal([AddFlood(1303, "10.0.0.1"), AddFlood(1304, "10.0.0.1"), AddFdb(1304, "52:54:00:aa:13:04", "10.0.0.2")],
            other.Intents().OrderBy(i => i is DataPlaneIntent.AddFdb).ThenBy(i => i.ToString()));
    }

    [Fact]
    public void Explain_route_says_which_vni_took_a_route_and_why_the_others_did_not()
    {
        var lab = SharingOneRouteTarget();
        Receive(lab, Mac(0, 1304, "52:54:00:13:04:01"), Attributes(SharedRt));
        var explained = Assert.Single(lab.Core.Queries.ExplainImport(Lab.Mac("52:54:00:13:04:01"), null, null, null, null));
        Assert.Equal(1304u, explained.LabelVni);
        Assert.Equal([(1303u, false, ImportReason.LabelMismatch), (1304u, true, ImportReason.ByLabel)],
            explained.Decisions.OrderBy(d => d.Vni).Select(d => (d.Vni, d.Imported, d.Reason)));
        Assert.StartsWith("imported into VNI 1304: the label is its VNI 1304", explained.Summary);
        // explain mac shows the same decision beside the remote candidate.
        Assert.Equal("the label is its VNI 1304", Assert.Single(lab.Core.Queries.Explain(Lab.Mac("52:54:00:13:04:01"), 1304).Candidates).Import);
    }

    [Fact]
    public void Explain_route_reports_a_tag_mismatch_and_the_nearest_vnis_when_no_route_target_matches()
    {
        var lab = SharingOneRouteTarget();
        Receive(lab, Mac(1305, 1305, "52:54:00:13:05:01"), Attributes(SharedRt));
        var mismatch = Assert.Single(lab.Core.Queries.ExplainImport(null, null, 1305, EvpnRouteType.MacIpAdvertisement, null));
        Assert.All(mismatch.Decisions, d => Assert.Equal(ImportReason.EthernetTagMismatch, d.Reason));
        Assert.Contains("VNI 1303: a route target matches but the Ethernet Tag 1305 names another VNI", mismatch.Summary);

        // Another AS's route target for VNI 1304's number: none matches; 1304 is the nearest candidate.
        Receive(lab, Mac(0, 1304, "52:54:00:13:04:09", RouteDistinguisher.Parse("10.0.0.2:9")), Attributes(ExtendedCommunity.RouteTargetAs2(65099, 1300)));
        var none = Assert.Single(lab.Core.Queries.ExplainImport(Lab.Mac("52:54:00:13:04:09"), null, null, null, 1303));
        Assert.Equal("not imported: no VNI imports RT:65099:1300; nearest: VNI 1303 imports RT:65000:1300; VNI 1304 imports RT:65000:1300", none.Summary);
        Assert.Equal([1303u, 1304u], none.Decisions.Select(d => d.Vni).Order());
        Assert.All(none.Decisions, d => Assert.False(d.Imported));
    }
}
