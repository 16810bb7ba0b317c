using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen.Tests;

public class RouteEncodingTests
{
    private static readonly LoadOptions Options = new() { Routes = 5_000, Vnis = 10, Vteps = 3, RtAsn = 65001, LocalAsn = 65100 };
    private static readonly DecodeContext Extended = DecodeContext.FourOctetAs with { ExtendedMessage = true, ExternalPeer = true, PeerAsn = 65100 };

    /// <summary>Encodes, decodes with the project's codec, and returns every UPDATE as received.</summary>
    private static List<UpdateMessage> RoundTrip(IEnumerable<UpdateMessage> updates, DecodeContext context) =>
        updates.Select(u =>
        {
            var bytes = BgpEncoder.Encode(u, context);
            Assert.InRange(bytes.Length, 23, context.MaxMessageLength);
            var result = BgpDecoder.Decode(bytes, context);
            Assert.Empty(result.Errors);
            return Assert.IsType<UpdateMessage>(result.Message);
        }).ToList();

    [Fact]
    public void Announcements_carry_every_route_with_its_vtep_rt_encapsulation_and_vni_label()
    {
        var plan = LoadPlan.Build(Options);
        var encoding = new RouteEncoding(Options, external: true);

        var updates = RoundTrip(encoding.Announcements(plan.Initial, withType3: true, Extended), Extended);

        var type2 = updates.SelectMany(u => u.MpReach!.Nlri.Select(n => (u, Route: n.Evpn as MacIpAdvertisementRoute)))
            .Where(x => x.Route is not null).ToList();
        Assert.Equal(Options.Routes, type2.Count);
        var byMac = plan.Initial.ToDictionary(r => r.Mac);
        foreach (var (u, route) in type2)
        {
            var host = byMac[route!.Mac];
            Assert.Equal(host.Ip, route.Ip);
            Assert.Equal(host.Vni, EvpnLabel.ToVni(route.Label1));
            Assert.Equal(0u, route.EthernetTag);
            Assert.Equal(Options.Vtep(host.VtepIndex), u.MpReach!.NextHop);
            Assert.Equal(encoding.Rd(host.VtepIndex, host.Vni), route.Rd);
            Assert.Equal([ExtendedCommunity.RouteTargetAs2(65001, host.Vni)], u.Attributes.RouteTargets);
            Assert.True(u.Attributes.IsVxlan);
            Assert.Null(u.Attributes.MacMobility);
            Assert.Equal([65100u], u.Attributes.AsPath!.Segments.Single().Asns);
        }
        // Many NLRI per UPDATE: one attribute set per (VTEP, VNI), 30 sets for 5,000 routes.
        Assert.True(updates.Count(u => u.MpReach!.Nlri[0].Evpn is MacIpAdvertisementRoute) <= 60);

        var type3 = updates.SelectMany(u => u.MpReach!.Nlri.Select(n => (u, Route: n.Evpn as InclusiveMulticastRoute)))
            .Where(x => x.Route is not null).ToList();
        Assert.Equal(Options.Type3Count, type3.Count);
        foreach (var (u, route) in type3)
        {
            var vni = u.Attributes.RouteTargets.Single().Raw & 0xFFFF_FFFF;
            Assert.Equal(u.MpReach!.NextHop, route!.OriginatorIp);
            Assert.Equal(PmsiTunnel.IngressReplicationTo(route.OriginatorIp, (uint)vni), u.Attributes.PmsiTunnel);
            Assert.True(u.Attributes.IsVxlan);
        }
        Assert.Equal(Options.Type3Count, type3.Select(x => x.Route).Distinct().Count());
    }

    /// <summary>IPv6 VTEPs: every route's next hop is its IPv6 VTEP (16 octets on the wire), the type-3 routes' originator
    /// and PMSI tunnel endpoint too, and the RDs of different VTEPs differ.</summary>
    [Fact]
    public void Ipv6_vteps_are_the_next_hops_originators_and_pmsi_endpoints()
    {
        var options = Options with { FirstVtep = IpAddr.Parse("2001:db8:200::1") };
        var plan = LoadPlan.Build(options);
        var encoding = new RouteEncoding(options, external: true);

        var updates = RoundTrip(encoding.Announcements(plan.Initial, withType3: true, Extended), Extended);

        Assert.All(updates, u => Assert.True(u.MpReach!.NextHop.IsV6, $"next hop {u.MpReach.NextHop}"));
        var byMac = plan.Initial.ToDictionary(r => r.Mac);
        foreach (var u in updates)
        {
            foreach (var nlri in u.MpReach!.Nlri)
            {
                switch (nlri.Evpn)
                {
                    case MacIpAdvertisementRoute route:
                        Assert.Equal(options.Vtep(byMac[route.Mac].VtepIndex), u.MpReach.NextHop);
                        break;
                    case InclusiveMulticastRoute route:
                        Assert.Equal(u.MpReach.NextHop, route.OriginatorIp);
                        Assert.Equal(u.MpReach.NextHop, u.Attributes.PmsiTunnel!.Endpoint);
                        break;
                }
            }
        }
        Assert.Equal(options.Routes, updates.Sum(u => u.MpReach!.Nlri.Count(n => n.Evpn is MacIpAdvertisementRoute)));
        Assert.Equal(options.Vteps, Enumerable.Range(0, options.Vteps).Select(t => encoding.Rd(t, options.FirstVni)).Distinct().Count());
    }

    [Fact]
    public void Without_extended_messages_updates_stay_within_4096_octets()
    {
        var plan = LoadPlan.Build(Options);
        var context = DecodeContext.FourOctetAs with { ExternalPeer = true, PeerAsn = 65100 };

        var updates = RoundTrip(new RouteEncoding(Options, external: true).Announcements(plan.Initial, false, context), context);

        Assert.Equal(Options.Routes, updates.Sum(u => u.MpReach!.Nlri.Count));
        Assert.True(updates.Count < Options.Routes / 50);
    }

    [Fact]
    public void Moved_routes_carry_mac_mobility_with_the_higher_sequence_from_the_move_vtep()
    {
        var plan = LoadPlan.Build(Options);
        var moved = plan.MovedIndexes.Select(i => plan.AfterMove[i]).ToList();

        var updates = RoundTrip(new RouteEncoding(Options, external: true).Announcements(moved, false, Extended), Extended);

        Assert.Equal(moved.Count, updates.Sum(u => u.MpReach!.Nlri.Count));
        Assert.All(updates, u =>
        {
            Assert.Equal(Options.MoveVtep, u.MpReach!.NextHop);
            Assert.Equal(1u, u.Attributes.MacMobility!.Value.MacMobilitySequence);
            Assert.False(u.Attributes.MacMobility!.Value.MacMobilitySticky);
        });
    }

    [Fact]
    public void Withdrawals_name_every_announced_route()
    {
        var plan = LoadPlan.Build(Options);
        var encoding = new RouteEncoding(Options, external: true);
        var announced = RoundTrip(encoding.Announcements(plan.Initial, true, Extended), Extended)
            .SelectMany(u => u.MpReach!.Nlri).Select(n => n.Evpn!).ToHashSet();

        var withdrawn = RoundTrip(encoding.Withdrawals(plan.Initial, true, Extended), Extended)
            .SelectMany(u => u.MpUnreach!.Nlri).Select(n => n.Evpn!).ToHashSet();

        Assert.Equal(Options.Routes + Options.Type3Count, withdrawn.Count);
        Assert.True(announced.SetEquals(withdrawn));
    }

    [Fact]
    public void Internal_sessions_get_an_empty_as_path_and_local_preference()
    {
        var attributes = new RouteEncoding(Options, external: false).Attributes(1000, 0);

        Assert.Equal(AsPath.Empty, attributes.AsPath);
        Assert.Equal(100u, attributes.LocalPref);
    }
}
