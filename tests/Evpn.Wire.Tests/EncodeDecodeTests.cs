using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>Values built in code encode and decode back to themselves, in every context that changes the bytes.</summary>
public class EncodeDecodeTests
{
    private static readonly RouteDistinguisher Rd = RouteDistinguisher.FromAs2(65001, 100);
    private static readonly EthernetSegmentId Esi = EthernetSegmentId.Read(Bytes.Hex("01aabbccddeeff001122"));

    private static T RoundTrip<T>(T message, DecodeContext context) where T : BgpMessage
    {
        var bytes = BgpEncoder.Encode(message, context);
        var result = BgpDecoder.Decode(bytes, context);
        Assert.Empty(result.Errors);
        var decoded = Assert.IsType<T>(result.Message);
        Assert.Equal(message, decoded);
        Assert.Equal(bytes, BgpEncoder.Encode(decoded, context));
        return decoded;
    }

    public static TheoryData<string> RouteNames => new(Routes.Keys);

    private static readonly Dictionary<string, EvpnRoute> Routes = new()
    {
        ["type1"] = new EthernetAutoDiscoveryRoute(Rd, Esi, 0xFFFFFFFF, EvpnLabel.FromMpls(3000)),
        ["type2 mac only"] = new MacIpAdvertisementRoute(Rd, EthernetSegmentId.Zero, 0, MacAddress.Parse("52:54:00:00:00:01"), null, EvpnLabel.FromVni(10100)),
        ["type2 ipv4 two labels"] = new MacIpAdvertisementRoute(Rd, Esi, 7, MacAddress.Parse("52:54:00:00:00:02"), IpAddr.Parse("192.0.2.7"), EvpnLabel.FromVni(100), EvpnLabel.FromVni(5000)),
        ["type2 ipv6 two labels"] = new MacIpAdvertisementRoute(Rd, EthernetSegmentId.Zero, 0, MacAddress.Parse("52:54:00:00:00:03"), IpAddr.Parse("2001:db8::7"), 1, 0xFFFFFF),
        ["type3 ipv4"] = new InclusiveMulticastRoute(Rd, 0, IpAddr.Parse("10.0.0.9")),
        ["type3 ipv6"] = new InclusiveMulticastRoute(Rd, 42, IpAddr.Parse("2001:db8::9")),
        ["type4 ipv6"] = new EthernetSegmentRoute(Rd, Esi, IpAddr.Parse("2001:db8::4")),
        ["type5 ipv4 /32"] = new IpPrefixRoute(Rd, EthernetSegmentId.Zero, 0, IpAddr.Parse("198.51.100.1"), 32, IpAddr.Parse("10.0.0.1"), EvpnLabel.FromVni(5000)),
        ["type5 ipv6 /128"] = new IpPrefixRoute(Rd, Esi, 1, IpAddr.Parse("2001:db8:1::1"), 128, IpAddr.Parse("::"), EvpnLabel.FromMpls(16)),
    };

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void Every_evpn_route_form_round_trips_in_mp_reach_and_mp_unreach(string name)
    {
        var route = Routes[name];
        var attributes = new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = AsPath.Empty.Prepend(65001),
            ExtendedCommunities = new[] { ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.RouteTargetAs2(65001, 100) },
        };

        RoundTrip(UpdateMessage.Announce(AfiSafi.L2vpnEvpn, IpAddr.Parse("10.0.0.1"), attributes, new Nlri[] { route }), DecodeContext.FourOctetAs);
        RoundTrip(UpdateMessage.Withdraw(AfiSafi.L2vpnEvpn, new Nlri[] { route }), DecodeContext.FourOctetAs);
    }

    [Fact]
    public void Labels_read_as_a_24_bit_vni_or_a_20_bit_mpls_label()
    {
        Assert.Equal(0xABCDEFu, EvpnLabel.ToVni(EvpnLabel.FromVni(0xABCDEF)));
        Assert.Equal(16u << 4, EvpnLabel.FromMpls(16));
        Assert.Equal(0xFFFFFu, EvpnLabel.ToMpls(0xFFFFFF));
    }

    [Fact]
    public void Every_path_attribute_round_trips_and_unknown_transitive_ones_get_the_partial_bit()
    {
        var attributes = new PathAttributes
        {
            Origin = Origin.Egp,
            AsPath = new AsPath(new[]
            {
                new AsPathSegment(AsPathSegmentType.ConfedSequence, new uint[] { 64512 }),
                new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { 65001, 4200000000 }),
                new AsPathSegment(AsPathSegmentType.AsSet, new uint[] { 1, 2 }),
                new AsPathSegment(AsPathSegmentType.ConfedSet, new uint[] { 64513 }),
            }),
            NextHop = IpAddr.Parse("10.0.0.1"),
            MultiExitDisc = 10,
            LocalPref = 200,
            AtomicAggregate = true,
            Aggregator = new Aggregator(4200000001, IpAddr.Parse("1.2.3.4")),
            Communities = new uint[] { 0xFFFFFF01, 65001u << 16 | 7 },
            OriginatorId = IpAddr.Parse("9.9.9.9"),
            ClusterList = new[] { IpAddr.Parse("1.1.1.1"), IpAddr.Parse("2.2.2.2") },
            ExtendedCommunities = new[] { ExtendedCommunity.MacMobility(5, sticky: true), ExtendedCommunity.DefaultGateway, ExtendedCommunity.EsiLabel(true, 3) },
            PmsiTunnel = PmsiTunnel.IngressReplicationTo(IpAddr.Parse("2001:db8::1"), 77),
            LargeCommunities = new[] { new LargeCommunity(4200000000, 1, 2) },
            Unrecognized = new[] { new RawAttribute(AttributeFlags.Optional | AttributeFlags.Transitive | AttributeFlags.Partial, 200, new byte[] { 1, 2, 3 }) },
        };
        var update = UpdateMessage.Announce(AfiSafi.Ipv4Unicast, IpAddr.Parse("10.0.0.1"), attributes, new Nlri[] { IpPrefix.Parse("10.1.0.0/16"), IpPrefix.Parse("0.0.0.0/0") });

        RoundTrip(update, DecodeContext.FourOctetAs with { ExternalPeer = false });

        var withoutPartial = Bytes.Update(Bytes.Concat(Bytes.OriginAttribute, Bytes.AsPathAttribute, Bytes.Attribute(0xC0, 200, "010203")));
        var decoded = (UpdateMessage)BgpDecoder.Decode(withoutPartial, DecodeContext.FourOctetAs).Message!;
        Assert.Equal(0xE0, decoded.Attributes.Unrecognized[0].Flags);
    }

    [Fact]
    public void Two_octet_as_sessions_carry_large_asns_in_as4_path_and_as4_aggregator()
    {
        var context = DecodeContext.Default;
        var attributes = new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { 65001, 4200000000, 3 }) }),
            NextHop = IpAddr.Parse("10.0.0.1"),
            Aggregator = new Aggregator(4200000001, IpAddr.Parse("1.2.3.4")),
        };
        var update = UpdateMessage.Announce(AfiSafi.Ipv4Unicast, IpAddr.Parse("10.0.0.1"), attributes, new Nlri[] { IpPrefix.Parse("10.1.0.0/16") });

        var bytes = BgpEncoder.Encode(update, context);
        Assert.Contains(OpenMessage.AsTrans, Enumerable.Range(0, bytes.Length - 1).Select(i => (ushort)(bytes[i] << 8 | bytes[i + 1])));
        RoundTrip(update, context);
    }

    [Fact]
    public void Unicast_families_with_add_path_and_an_ipv6_link_local_next_hop_round_trip()
    {
        var context = DecodeContext.FourOctetAs with
        {
            AddPathReceive = new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn },
            AddPathSend = new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn },
        };
        var attributes = new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty };
        var v6 = new UpdateMessage(
            new Nlri[] { Nlri.ForPrefix(IpPrefix.Parse("10.9.0.0/16"), 4) },
            attributes,
            new MpReachNlri(AfiSafi.Ipv6Unicast, IpAddr.Parse("2001:db8::1"), IpAddr.Parse("fe80::1"), new Nlri[] { Nlri.ForPrefix(IpPrefix.Parse("2001:db8:5::/48"), 1), Nlri.ForPrefix(IpPrefix.Parse("::/0"), 2) }),
            new MpUnreachNlri(AfiSafi.L2vpnEvpn, new Nlri[] { Nlri.ForEvpn(Routes["type3 ipv4"], 9) }),
            EquatableArray<Nlri>.Empty);

        RoundTrip(v6, context);
    }

    [Fact]
    public void Open_with_every_capability_round_trips()
    {
        var open = OpenMessage.Create(4200000000, 90, 0x0A000001, new Capability[]
        {
            new MultiprotocolCapability(AfiSafi.L2vpnEvpn),
            new MultiprotocolCapability(AfiSafi.Ipv6Unicast),
            new RouteRefreshCapability(),
            new EnhancedRouteRefreshCapability(),
            new FourOctetAsCapability(4200000000),
            new ExtendedMessageCapability(),
            GracefulRestartCapability.Create(300, restartState: true, notification: true, GracefulRestartFamily.Create(AfiSafi.L2vpnEvpn, true)),
            new LongLivedGracefulRestartCapability(new[] { new LongLivedGracefulRestartFamily(AfiSafi.L2vpnEvpn, 0x80, 86400) }),
            new AddPathCapability(new[] { new AddPathFamily(AfiSafi.L2vpnEvpn, AddPathDirection.Both) }),
            new FqdnCapability("leaf1", "example.net"),
            new SoftwareVersionCapability("evpnd 0.1"),
            new UnknownCapability(9, new byte[] { 1 }),
        });

        var decoded = RoundTrip(open, DecodeContext.Default);

        Assert.Equal(OpenMessage.AsTrans, decoded.MyAutonomousSystem);
        Assert.Equal(4200000000u, decoded.Asn);
        Assert.Equal([AfiSafi.L2vpnEvpn, AfiSafi.Ipv6Unicast], decoded.Families);
    }

    [Fact]
    public void Open_whose_parameters_exceed_255_octets_uses_rfc_9072_extended_parameters()
    {
        var capabilities = Enumerable.Range(0, 40).Select(i => (Capability)new UnknownCapability((byte)(200 + i % 50), new byte[6])).ToArray();
        var open = OpenMessage.Create(65001, 90, 1, capabilities);

        var bytes = BgpEncoder.Encode(open, DecodeContext.Default);
        var decoded = Assert.IsType<OpenMessage>(BgpDecoder.Decode(bytes, DecodeContext.Default).Message);

        Assert.Equal(255, bytes[28]);
        Assert.True(decoded.ExtendedParameters);
        Assert.Equal(open.Capabilities, decoded.Capabilities);
    }

    [Theory]
    [InlineData(RouteRefreshSubtype.Request)]
    [InlineData(RouteRefreshSubtype.BeginningOfRefresh)]
    [InlineData(RouteRefreshSubtype.EndOfRefresh)]
    public void Route_refresh_with_rfc_7313_subtypes_round_trips(RouteRefreshSubtype subtype)
    {
        RoundTrip(new RouteRefreshMessage(AfiSafi.L2vpnEvpn, subtype), DecodeContext.Default);
    }

    [Fact]
    public void Notification_keepalive_and_shutdown_communication_round_trip()
    {
        RoundTrip(KeepaliveMessage.Instance, DecodeContext.Default);
        var shutdown = RoundTrip(Notifications.Shutdown("going down for kernel upgrade ✓", reset: true), DecodeContext.Default);
        Assert.Equal("going down for kernel upgrade ✓", shutdown.ShutdownCommunication);
        Assert.Equal(CeaseSubcode.AdministrativeReset, shutdown.Subcode);
        // RFC 9003: at most 255 octets, cut on a character boundary ('é' is two octets).
        var cut = Notifications.Shutdown(new string('é', 200));
        Assert.Equal(255, cut.Data.Count);
        Assert.Equal(new string('é', 127), cut.ShutdownCommunication);
    }

    [Theory]
    [InlineData("ipv4")]
    [InlineData("ipv6")]
    [InlineData("evpn")]
    public void End_of_rib_builder_and_detector_agree_for_every_family(string name)
    {
        var family = name switch { "ipv4" => AfiSafi.Ipv4Unicast, "ipv6" => AfiSafi.Ipv6Unicast, _ => AfiSafi.L2vpnEvpn };

        var decoded = RoundTrip(EndOfRib.For(family), DecodeContext.FourOctetAs);

        Assert.True(decoded.IsEndOfRib(out var detected));
        Assert.Equal(family, detected);
        Assert.Equal(family == AfiSafi.Ipv4Unicast ? 23 : 29, BgpEncoder.Encode(decoded, DecodeContext.FourOctetAs).Length);
    }

    [Fact]
    public void An_update_with_routes_is_not_an_end_of_rib()
    {
        var withdrawal = UpdateMessage.Withdraw(AfiSafi.L2vpnEvpn, new Nlri[] { Routes["type3 ipv4"] });

        Assert.False(withdrawal.IsEndOfRib(out _));
        Assert.False(UpdateMessage.Withdraw(AfiSafi.Ipv4Unicast, new Nlri[] { IpPrefix.Parse("10.0.0.0/8") }).IsEndOfRib(out _));
    }

    [Fact]
    public void Treat_as_withdraw_turns_announcements_into_withdrawals_of_the_same_routes()
    {
        var update = UpdateMessage.Announce(AfiSafi.L2vpnEvpn, IpAddr.Parse("10.0.0.1"), PathAttributes.Empty, new Nlri[] { Routes["type3 ipv4"] });

        var withdrawal = update.AsWithdrawal();

        Assert.Null(withdrawal.MpReach);
        Assert.Equal(update.Announced, withdrawal.WithdrawnAll);
    }

    [Fact]
    public void An_attribute_that_outgrows_one_length_octet_gets_the_extended_length_bit()
    {
        var routes = Enumerable.Range(0, 20).Select(i => (Nlri)new InclusiveMulticastRoute(Rd, (uint)i, IpAddr.Parse("10.0.0.1"))).ToArray();
        var update = UpdateMessage.Announce(AfiSafi.L2vpnEvpn, IpAddr.Parse("10.0.0.1"), new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty }, routes);

        var bytes = BgpEncoder.Encode(update, DecodeContext.FourOctetAs);

        // ORIGIN (4 octets) and AS_PATH (3) come first; MP_REACH_NLRI follows with flags 0x90.
        Assert.Equal(0x90, bytes[19 + 4 + 4 + 3]);
        RoundTrip(update, DecodeContext.FourOctetAs);
    }

    [Fact]
    public void Encoding_a_message_larger_than_the_negotiated_maximum_fails()
    {
        var many = Enumerable.Range(0, 300).Select(i => (Nlri)new InclusiveMulticastRoute(Rd, (uint)i, IpAddr.Parse("10.0.0.1"))).ToArray();
        var update = UpdateMessage.Announce(AfiSafi.L2vpnEvpn, IpAddr.Parse("10.0.0.1"), PathAttributes.Empty, many);

        Assert.Throws<InvalidOperationException>(() => BgpEncoder.Encode(update, DecodeContext.FourOctetAs));
        Assert.True(BgpEncoder.Encode(update, DecodeContext.FourOctetAs with { ExtendedMessage = true }).Length > 4096);
    }
}
