using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>The captured FRR 8.4.4 and GoBGP 3.10 messages decode to the values tshark shows for them.</summary>
public class CapturedValueTests
{
    private static readonly RouteDistinguisher FrrRd = RouteDistinguisher.FromIPv4(0x01010101, 2);
    private static readonly RouteDistinguisher GobgpRd = RouteDistinguisher.FromIPv4(0x02020202, 100);
    private static readonly ExtendedCommunity Rt100 = ExtendedCommunity.RouteTargetAs2(65001, 100);

    private static T Decode<T>(string fixture) where T : BgpMessage
    {
        var result = BgpDecoder.Decode(Fixtures.Load(fixture), Fixtures.Context);
        Assert.Empty(result.Errors);
        return Assert.IsType<T>(result.Message);
    }

    [Fact]
    public void Frr_open_has_one_capability_per_parameter()
    {
        var open = Decode<OpenMessage>("frame-004-1-open");

        Assert.Equal((byte)4, open.Version);
        Assert.Equal(65001u, open.Asn);
        Assert.Equal((ushort)9, open.HoldTime);
        Assert.Equal("1.1.1.1", open.BgpIdentifierAddress.ToString());
        Assert.Equal(10, open.Parameters.Count);
        Capability[] expected =
        [
            new MultiprotocolCapability(AfiSafi.L2vpnEvpn),
            new UnknownCapability(128, EquatableArray<byte>.Empty),
            new RouteRefreshCapability(),
            new EnhancedRouteRefreshCapability(),
            new FourOctetAsCapability(65001),
            new ExtendedMessageCapability(),
            new AddPathCapability(new[] { new AddPathFamily(AfiSafi.L2vpnEvpn, AddPathDirection.Receive) }),
            new FqdnCapability("frr1", ""),
            new GracefulRestartCapability(GracefulRestartCapability.RestartStateFlag | GracefulRestartCapability.NotificationFlag, 120, EquatableArray<GracefulRestartFamily>.Empty),
            new LongLivedGracefulRestartCapability(new[] { new LongLivedGracefulRestartFamily(AfiSafi.L2vpnEvpn, 0x80, 0) }),
        ];
        Assert.Equal(expected, open.Capabilities);
        var gr = open.Find<GracefulRestartCapability>()!;
        Assert.True(gr.RestartState);
        Assert.True(gr.NotificationSupported);
    }

    [Fact]
    public void Gobgp_open_groups_all_capabilities_in_one_parameter_and_keeps_unknown_ones_raw()
    {
        var open = Decode<OpenMessage>("frame-005-1-open");

        Assert.Single(open.Parameters);
        Assert.Equal(65002u, open.Asn);
        Assert.Equal((ushort)90, open.HoldTime);
        Capability[] expected =
        [
            new RouteRefreshCapability(),
            new FqdnCapability("vm", ""),
            new MultiprotocolCapability(AfiSafi.L2vpnEvpn),
            new FourOctetAsCapability(65002),
            new GracefulRestartCapability(0, 120, new[] { new GracefulRestartFamily(AfiSafi.L2vpnEvpn, 0) }),
            new UnknownCapability(5, Bytes.Hex("001900460002")),
        ];
        Assert.Equal(expected, open.Capabilities);
    }

    [Fact]
    public void Negotiating_the_two_opens_gives_4_octet_as_and_nothing_else()
    {
        var frr = Decode<OpenMessage>("frame-004-1-open");
        var gobgp = Decode<OpenMessage>("frame-005-1-open");

        var context = DecodeContext.Negotiate(frr, gobgp);

        Assert.True(context.FourOctetAsn);
        Assert.False(context.ExtendedMessage);
        Assert.Empty(context.AddPathReceive);
        Assert.Empty(context.AddPathSend);
        Assert.True(context.ExternalPeer);
        Assert.Equal(4096, context.MaxMessageLength);
    }

    [Fact]
    public void Keepalive_decodes()
    {
        Assert.Same(KeepaliveMessage.Instance, Decode<KeepaliveMessage>("frame-008-1-keepalive"));
    }

    [Fact]
    public void Frr_shutdown_notification_carries_its_communication()
    {
        var notification = Decode<NotificationMessage>("frame-103-1-notification");

        Assert.Equal(NotificationCode.Cease, notification.Code);
        Assert.Equal(CeaseSubcode.AdministrativeShutdown, notification.Subcode);
        Assert.Equal("maintenance window", notification.ShutdownCommunication);
        Assert.Equal(notification, Notifications.Shutdown("maintenance window"));
    }

    [Theory]
    [InlineData("frame-011-1-update")]
    [InlineData("frame-013-3-update")]
    public void End_of_rib_of_l2vpn_evpn_is_detected(string fixture)
    {
        var update = Decode<UpdateMessage>(fixture);

        Assert.True(update.IsEndOfRib(out var family));
        Assert.Equal(AfiSafi.L2vpnEvpn, family);
        Assert.Equal(EndOfRib.For(AfiSafi.L2vpnEvpn), update);
    }

    [Fact]
    public void Frr_type2_update_carries_mac_only_mac_ipv6_and_mac_ipv4_routes()
    {
        var update = Decode<UpdateMessage>("frame-013-1-update");

        Assert.False(update.IsEndOfRib(out _));
        Assert.Equal(Origin.Igp, update.Attributes.Origin);
        Assert.Equal(new uint[] { 65001 }, update.Attributes.AsPath!.Segments[0].Asns);
        Assert.True(update.Attributes.IsVxlan);
        Assert.Equal([ExtendedCommunity.VxlanEncapsulation, Rt100], update.Attributes.ExtendedCommunities);
        var reach = update.MpReach!;
        Assert.Equal(AfiSafi.L2vpnEvpn, reach.Family);
        Assert.Equal(IpAddr.Parse("10.0.0.1"), reach.NextHop);
        EvpnRoute[] expected =
        [
            new MacIpAdvertisementRoute(FrrRd, EthernetSegmentId.Zero, 0, MacAddress.Parse("02:9d:10:9b:6e:d1"), null, EvpnLabel.FromVni(100)),
            new MacIpAdvertisementRoute(FrrRd, EthernetSegmentId.Zero, 0, MacAddress.Parse("0e:5f:a1:5b:cc:75"), IpAddr.Parse("fe80::c5f:a1ff:fe5b:cc75"), EvpnLabel.FromVni(100)),
            new MacIpAdvertisementRoute(FrrRd, EthernetSegmentId.Zero, 0, MacAddress.Parse("0e:5f:a1:5b:cc:75"), IpAddr.Parse("10.1.1.1"), EvpnLabel.FromVni(100)),
        ];
        Assert.Equal(expected, reach.Nlri.Select(n => n.Evpn));
        Assert.All(reach.Nlri, n => Assert.Equal(0u, n.PathId));
    }

    [Fact]
    public void Frr_type3_update_has_ingress_replication_pmsi_with_the_vni()
    {
        var update = Decode<UpdateMessage>("frame-013-2-update");

        var route = Assert.IsType<InclusiveMulticastRoute>(Assert.Single(update.MpReach!.Nlri).Evpn);
        Assert.Equal(new InclusiveMulticastRoute(FrrRd, 0, IpAddr.Parse("10.0.0.1")), route);
        Assert.Equal(PmsiTunnel.IngressReplicationTo(IpAddr.Parse("10.0.0.1"), 100), update.Attributes.PmsiTunnel);
        Assert.Equal(100u, EvpnLabel.ToVni(update.Attributes.PmsiTunnel!.Label));
    }

    [Fact]
    public void Gobgp_type5_ipv4_and_ipv6_prefixes_with_routers_mac()
    {
        var v4 = Decode<UpdateMessage>("frame-043-1-update");
        var v6 = Decode<UpdateMessage>("frame-044-1-update");
        var rd = RouteDistinguisher.FromIPv4(0x02020202, 5000);

        Assert.Equal(new IpPrefixRoute(rd, EthernetSegmentId.Zero, 0, IpAddr.Parse("10.2.0.0"), 24, IpAddr.Parse("0.0.0.0"), EvpnLabel.FromVni(5000)),
            Assert.Single(v4.MpReach!.Nlri).Evpn);
        Assert.Equal(new IpPrefixRoute(rd, EthernetSegmentId.Zero, 0, IpAddr.Parse("2001:db8:2::"), 64, IpAddr.Parse("::"), EvpnLabel.FromVni(5000)),
            Assert.Single(v6.MpReach!.Nlri).Evpn);
        Assert.Contains(ExtendedCommunity.RoutersMac(MacAddress.Parse("02:00:00:00:00:02")), v4.Attributes.ExtendedCommunities);
        Assert.Equal(Origin.Incomplete, v4.Attributes.Origin);
    }

    [Fact]
    public void Gobgp_type2_with_esi_and_type4_ethernet_segment()
    {
        var type2 = Decode<UpdateMessage>("frame-057-1-update");
        var type4 = Decode<UpdateMessage>("frame-058-1-update");
        var esi = EthernetSegmentId.Read(Bytes.Hex("00010000000000000000"));

        Assert.Equal(new MacIpAdvertisementRoute(GobgpRd, esi, 0, MacAddress.Parse("aa:bb:cc:00:00:06"), IpAddr.Parse("10.1.1.60"), EvpnLabel.FromVni(100)),
            Assert.Single(type2.MpReach!.Nlri).Evpn);
        Assert.Equal(new EthernetSegmentRoute(GobgpRd, esi, IpAddr.Parse("10.0.0.2")), Assert.Single(type4.MpReach!.Nlri).Evpn);
    }

    [Fact]
    public void Frr_mac_move_carries_mac_mobility_sequence_1()
    {
        var update = Decode<UpdateMessage>("frame-079-2-update");

        var mobility = update.Attributes.MacMobility!.Value;
        Assert.Equal(1u, mobility.MacMobilitySequence);
        Assert.False(mobility.MacMobilitySticky);
        Assert.Equal(2, update.MpReach!.Nlri.Count);
    }

    [Fact]
    public void Gobgp_withdraws_with_mp_unreach()
    {
        var update = Decode<UpdateMessage>("frame-063-1-update");

        Assert.Null(update.MpReach);
        Assert.Equal(PathAttributes.Empty, update.Attributes);
        var withdrawn = Assert.Single(update.WithdrawnAll);
        Assert.Equal(AfiSafi.L2vpnEvpn, withdrawn.Family);
        Assert.Equal(new InclusiveMulticastRoute(GobgpRd, 0, IpAddr.Parse("10.0.0.2")), withdrawn.Nlri.Evpn);
    }

    [Fact]
    public void Route_key_of_type2_ignores_esi_and_labels()
    {
        var a = new MacIpAdvertisementRoute(GobgpRd, EthernetSegmentId.Zero, 0, MacAddress.Parse("aa:bb:cc:00:00:06"), null, 100);
        var b = a with { Esi = new EthernetSegmentId(1, 2), Label1 = 7, Label2 = 9 };

        Assert.Equal(a.Key, b.Key);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a.Key, (a with { Ip = IpAddr.Parse("10.0.0.1") }).Key);
    }
}
