using System.Globalization;
using Evpn.Api;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;
using static Evpn.Interop.Tests.Harness.EvpnWireBytes;

namespace Evpn.Interop.Tests;

/// <summary>Topology 5 (interop/topo/exabgp-peer) with evpnd on VTEP A: ExaBGP sends crafted UPDATEs, malformed the
/// ways RFC 7606 classifies, and evpnd must do what src/Evpn.Wire/README.md documents for each: treat-as-withdraw
/// with the session up, attribute discard, skip an unknown route type, or (for an EVPN route that cannot be parsed)
/// AFI/SAFI disable carried out as a session reset with NOTIFICATION 3/9. Both sides are checked: evpnd's Loc-RIB,
/// kernel, counters (GET /v1/neighbors/ADDR updateErrors), log and NOTIFICATION sent; ExaBGP's session state and the
/// NOTIFICATIONs it received. Every case ends with a well-formed route sent afterwards being installed. The
/// well-formed next-hop and PMSI forms other implementations send (32-octet and v4-mapped next hops, 16-octet PMSI
/// endpoints, an IPv6 VTEP an IPv4 VTEP cannot reach) are here too, sent the same way.</summary>
public sealed class EvpndExabgpMalformedUpdateTests(ITestOutputHelper output) : TopologyTest(output)
{
    private const string A = "vtepa";
    private const string B = "vtepb";
    private const uint Vni = 100;

    /// <summary>MACs of routes ExaBGP announces (locally administered, none of the topology's hosts).</summary>
    private const string MacX = "02:00:0e:00:00:01";
    private const string MacY = "02:00:0e:00:00:02";
    private const string MacBad = "02:00:0e:00:00:03";
    private const string MacV6 = "02:00:0e:00:00:04";

    /// <summary>Carrier IPv4 prefixes: one per UPDATE kept in ExaBGP's Adj-RIB-Out (see <see cref="ExabgpInjector"/>).</summary>
    private const string Carrier1 = "10.99.1.0/24";
    private const string Carrier2 = "10.99.2.0/24";
    private const string Carrier3 = "10.99.3.0/24";

    protected override string TopologyName => "exabgp-peer";

    protected override IReadOnlyList<string> UpArguments => ["--a", Speaker.Evpnd.ScriptName(), EvpndMetrics.UpOption];

    private ExabgpInjector Exabgp => new(Lab, Topo, B, Topo.Ip(A));

    private EvpndView Evpnd => new(Lab, Topo[A + ".evpnd-socket"]);

    /// <summary>ExaBGP's routes are B's: RD B:VNI, RT B's AS:VNI (evpnd imports *:VNI in the lab), VXLAN.</summary>
    private string Rd => $"{Topo.Ip(B)}:{Vni}";

    private string GoodCommunities =>
        RouteTarget(ushort.Parse(Topo[B + ".asn"], CultureInfo.InvariantCulture), Vni) + VxlanEncapsulation;

    /// <summary>RFC 7606 section 7.14: an EXTENDED_COMMUNITIES attribute whose length is not a non-zero multiple of
    /// 8 is malformed, and the UPDATE is handled as treat-as-withdraw: the route it re-announces is withdrawn (from the
    /// Loc-RIB and the kernel), the session stays Established.</summary>
    [RequiresFact(Requirement.Root, Requirement.ExaBgp)]
    public async Task Extended_communities_of_a_length_not_a_multiple_of_8_are_treat_as_withdraw()
    {
        await Exabgp.AnnounceAsync(Carrier1, MpReach(Type2(Rd, MacX, Vni)), Communities(GoodCommunities));
        await Type2InstalledAsync(MacX);
        var before = await NeighborAsync();

        await Exabgp.AnnounceAsync(Carrier1, MpReach(Type2(Rd, MacX, Vni)), Communities(GoodCommunities[..14]));

        await Type2GoneAsync(MacX);
        await ErrorCountedAsync(before, "treat-as-withdraw", "EXTENDED_COMMUNITIES length 7 is not a non-zero multiple of 8");
        await LaterRouteInstalledOnTheSameSessionAsync();
    }

    /// <summary>A PMSI_TUNNEL attribute shorter than its fixed part (flags, tunnel type, label: 5 octets) is malformed;
    /// the codec handles it as treat-as-withdraw (RFC 7606 section 2's rule for an attribute that affects route
    /// selection or use: the PMSI decides the flood list). The type-3 route it re-announces is withdrawn and the flood
    /// entry toward ExaBGP's VTEP leaves the kernel; the session stays Established.</summary>
    [RequiresFact(Requirement.Root, Requirement.ExaBgp)]
    public async Task A_pmsi_tunnel_attribute_too_short_is_treat_as_withdraw()
    {
        var type3 = MpReach(Type3(Rd, Topo.Ip(B)));
        await Exabgp.AnnounceAsync(Carrier1, type3, Communities(GoodCommunities), Pmsi(PmsiIngressReplication(Vni, Topo.Ip(B))));
        await FloodEntryAsync(present: true);
        var before = await NeighborAsync();

        await Exabgp.AnnounceAsync(Carrier1, type3, Communities(GoodCommunities), Pmsi(PmsiIngressReplication(Vni, Topo.Ip(B))[..8]));

        await FloodEntryAsync(present: false);
        await ErrorCountedAsync(before, "treat-as-withdraw", "PMSI_TUNNEL length 4, at least 5 expected");
        await LaterRouteInstalledOnTheSameSessionAsync();
    }

    /// <summary>RFC 7606 section 7.7: a malformed AGGREGATOR (5 octets instead of 6 or 8) is discarded and the route
    /// is used without it.</summary>
    [RequiresFact(Requirement.Root, Requirement.ExaBgp)]
    public async Task A_malformed_aggregator_is_discarded_and_the_route_used()
    {
        var before = await NeighborAsync();

        await Exabgp.AnnounceAsync(Carrier1, MpReach(Type2(Rd, MacX, Vni)), Communities(GoodCommunities), (Aggregator, OptionalTransitive, "fdea0a0000"));

        await Type2InstalledAsync(MacX);
        await ErrorCountedAsync(before, "attribute-discard", "AGGREGATOR");
        await LaterRouteInstalledOnTheSameSessionAsync();
    }

    /// <summary>RFC 7606 section 5.4: an EVPN route of a type evpnd does not know (9) is skipped; the well-formed
    /// route behind it in the same MP_REACH_NLRI is installed.</summary>
    [RequiresFact(Requirement.Root, Requirement.ExaBgp)]
    public async Task An_unknown_evpn_route_type_is_skipped_and_the_route_behind_it_used()
    {
        var before = await NeighborAsync();

        await Exabgp.AnnounceAsync(Carrier1, MpReach(Route(9, "0011223344"), Type2(Rd, MacX, Vni)), Communities(GoodCommunities));

        await Type2InstalledAsync(MacX);
        var after = await NeighborAsync();
        Assert.Equal(before.UpdateErrors["unknown-route-type-skipped"] + 1, after.UpdateErrors["unknown-route-type-skipped"]);
        await LaterRouteInstalledOnTheSameSessionAsync();
    }

    /// <summary>An EVPN route whose length is not one its type allows (a type-2 route of 34 octets) cannot be parsed:
    /// it has no key to withdraw, so RFC 7606 section 5.3 leaves AFI/SAFI disable or session reset. evpnd's codec
    /// classifies it AFI/SAFI disable; BGP has no message that drops one family, so the session engine resets the
    /// session with NOTIFICATION Update Message Error / Optional Attribute Error (3/9, RFC 4760 section 7) whose data
    /// is the MP_REACH_NLRI attribute. ExaBGP receives exactly that, reconnects and sends its Adj-RIB-Out again:
    /// the malformed UPDATE too, until it is withdrawn there, so there may be more than one reset. Afterwards the
    /// well-formed route sent before is installed again, and a new one sent after is installed.</summary>
    [RequiresFact(Requirement.Root, Requirement.ExaBgp)]
    public async Task An_evpn_route_of_a_length_its_type_does_not_allow_resets_the_session_with_3_slash_9()
    {
        await Exabgp.AnnounceAsync(Carrier1, MpReach(Type2(Rd, MacX, Vni)), Communities(GoodCommunities));
        await Type2InstalledAsync(MacX);
        // A well-formed type-2 body (33 octets, without its type and length) plus one octet, announced as 34.
        var body = Type2(Rd, MacBad, Vni)[4..];
        var badReach = MpReachEvpn(Topo.Ip(B), Route(2, body + "ff", 34));

        await Exabgp.AnnounceAsync(Carrier2, (MpReachNlri, OptionalNonTransitive, badReach), Communities(GoodCommunities));

        NeighborDetail? neighbor = null;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () => (neighbor = await NeighborAsync()).LastNotificationSent is not null);
        Assert.Equal("NOTIFICATION UpdateMessageError/9", neighbor?.LastNotificationSent);
        await Exabgp.WithdrawAsync(Carrier2);
        var notifications = await Exabgp.NotificationsReceivedAsync();
        Assert.NotEmpty(notifications);
        Assert.All(notifications, n =>
        {
            Assert.Equal((3, 9), (n.Code, n.Subcode));
            Assert.Contains(badReach, n.Data, StringComparison.OrdinalIgnoreCase);
        });
        await SessionEstablishedOnBothSidesAsync();
        await Type2InstalledAsync(MacX);
        await Exabgp.AnnounceAsync(Carrier3, MpReach(Type2(Rd, MacY, Vni)), Communities(GoodCommunities));
        await Type2InstalledAsync(MacY);
        Assert.DoesNotContain(await Evpnd.RoutesAsync(), r => r.Mac == MacBad);
        Lab.Log($"ExaBGP received {notifications.Count} NOTIFICATION(s) 3/9 before the malformed UPDATE was withdrawn there");
    }

    /// <summary>A 32-octet next hop (RFC 2545: an IPv4-mapped global address and a link-local one) is the IPv4 VTEP
    /// it maps, and so is a 16-octet v4-mapped PMSI tunnel endpoint (RFC 6514 section 5): the MAC and the flood entry
    /// are installed toward ExaBGP's IPv4 VTEP, never toward an IPv6 or link-local address.</summary>
    [RequiresFact(Requirement.Root, Requirement.ExaBgp)]
    public async Task Thirty_two_octet_and_V4_mapped_next_hops_and_pmsi_endpoints_are_the_ipv4_vtep()
    {
        var mapped = Ip("::ffff:" + Topo.Ip(B));
        await Exabgp.AnnounceAsync(Carrier1, (MpReachNlri, OptionalNonTransitive, MpReachEvpnNextHopField(mapped + Ip("fe80::2"), Type2(Rd, MacX, Vni))),
            Communities(GoodCommunities));
        await Exabgp.AnnounceAsync(Carrier2, (MpReachNlri, OptionalNonTransitive, MpReachEvpnNextHopField(mapped, Type3(Rd, Topo.Ip(B)))),
            Communities(GoodCommunities), Pmsi("00" + "06" + Vni.ToString("x6", CultureInfo.InvariantCulture) + mapped));

        await Type2InstalledAsync(MacX);
        await FloodEntryAsync(present: true);
        Assert.DoesNotContain(await Topo.Kernel(A).FdbAsync(), e => e.Dst is { } dst && dst.Contains(':', StringComparison.Ordinal));
    }

    /// <summary>A type-2 toward an IPv6 VTEP (16-octet next hop) reaches evpnd, an IPv4 VTEP: the route is kept and
    /// shown with the reason it is not installed, no FDB entry is made for it, and the metric counts it.</summary>
    [RequiresFact(Requirement.Root, Requirement.ExaBgp)]
    public async Task A_route_toward_an_ipv6_vtep_is_kept_shown_and_not_installed()
    {
        const string NotInstalled = "evpn_routes_not_installed_total{reason=\"other-underlay-family\"}";
        var countedBefore = (await EvpndMetrics.ScrapeAsync(Lab, Topo, A))[NotInstalled];
        await Exabgp.AnnounceAsync(Carrier1, (MpReachNlri, OptionalNonTransitive, MpReachEvpnNextHopField(Ip("2001:db8::9"), Type2(Rd, MacV6, Vni))),
            Communities(GoodCommunities));

        RouteEntry? route = null;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            using var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);
            route = (await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes)).FirstOrDefault(r => r.Mac == MacV6);
            return route is not null;
        });
        Assert.NotNull(route);
        Assert.Equal("2001:db8::9", route.NextHop);
        Assert.Equal($"its VTEP 2001:db8::9 is IPv6 and the local VTEP {Topo.Ip(A)} is IPv4 (no VXLAN tunnel across underlay families)", route.NotInstalled);
        await LaterRouteInstalledOnTheSameSessionAsync();
        Assert.DoesNotContain(await Topo.Kernel(A).FdbAsync(), e => string.Equals(e.Mac, MacV6, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(countedBefore + 1, await EvpndMetrics.ValueWithinAsync(Lab, Topo, A, NotInstalled, countedBefore + 1));
    }

    /// <summary>MP_REACH_NLRI of L2VPN EVPN with ExaBGP's VTEP as next hop.</summary>
    private (string Code, string Flags, string Value) MpReach(params string[] routes) =>
        (MpReachNlri, OptionalNonTransitive, MpReachEvpn(Topo.Ip(B), routes));

    private static (string Code, string Flags, string Value) Communities(string value) => (ExtendedCommunities, OptionalTransitive, value);

    private static (string Code, string Flags, string Value) Pmsi(string value) => (PmsiTunnel, OptionalTransitive, value);

    private async Task<NeighborDetail> NeighborAsync()
    {
        using var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);
        var detail = await client.GetAsync<NeighborDetail>(ApiPaths.Neighbor(Topo.Ip(B)));
        Lab.Log($"evpnd neighbor {detail.Neighbor}: {detail.State}, UPDATE errors {string.Join(", ", detail.UpdateErrors.Select(e => $"{e.Key}={e.Value}"))}, "
                + $"last NOTIFICATION sent {detail.LastNotificationSent ?? "none"}");
        return detail;
    }

    /// <summary>The type-2 route for <paramref name="mac"/> from ExaBGP's VTEP is in evpnd's Loc-RIB and became a
    /// kernel FDB entry toward that VTEP.</summary>
    private async Task Type2InstalledAsync(string mac)
    {
        var vtep = Topo.Ip(B);
        await Checks.Type2ForHostsAsync(Evpnd, A, vtep, [new HostInfo("exabgp route", B, Vni, "", mac)]);
        IReadOnlyList<KernelFdbEntry> fdb = [];
        await Eventually.TrueWithinAsync(Checks.Convergence, async () => (fdb = await Topo.Kernel(A).FdbAsync()).Any(e => e.Mac == mac && e.Dst == vtep));
        Assert.True(fdb.Any(e => e.Mac == mac && e.Dst == vtep), $"{A}: no FDB entry {mac} dst {vtep}:\n{string.Join('\n', fdb)}");
    }

    /// <summary>The route for <paramref name="mac"/> left evpnd's Loc-RIB and its FDB entry left the kernel.</summary>
    private async Task Type2GoneAsync(string mac)
    {
        IReadOnlyList<EvpnRouteView> routes = [];
        IReadOnlyList<KernelFdbEntry> fdb = [];
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            routes = (await Evpnd.RoutesAsync()).Where(r => r.Mac == mac).ToArray();
            fdb = (await Topo.Kernel(A).FdbAsync()).Where(e => e.Mac == mac).ToArray();
            return routes.Count == 0 && fdb.Count == 0;
        });
        Assert.True(routes.Count == 0, $"{A} still has the route for {mac}:\n{string.Join('\n', routes)}");
        Assert.True(fdb.Count == 0, $"{A} still has FDB entries for {mac}:\n{string.Join('\n', fdb)}");
    }

    /// <summary>Type-3 from ExaBGP's VTEP: the flood-list entry toward it on vxlanVNI comes or goes.</summary>
    private async Task FloodEntryAsync(bool present)
    {
        var vtep = Topo.Ip(B);
        IReadOnlyList<KernelFdbEntry> fdb = [];
        bool Has() => fdb.Any(e => e.IsFloodEntry && e.Device == $"vxlan{Vni}" && e.Dst == vtep);
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            fdb = await Topo.Kernel(A).FdbAsync();
            return Has() == present;
        });
        Assert.True(Has() == present, $"{A}: flood entry toward {vtep} on vxlan{Vni} should be {(present ? "there" : "gone")}:\n{string.Join('\n', fdb)}");
    }

    /// <summary>The UPDATE error counter <paramref name="action"/> went up by one, and evpnd logged the reason.</summary>
    private async Task ErrorCountedAsync(NeighborDetail before, string action, string logged)
    {
        NeighborDetail after = before;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
            (after = await NeighborAsync()).UpdateErrors[action] > before.UpdateErrors[action]);
        Assert.Equal(before.UpdateErrors[action] + 1, after.UpdateErrors[action]);
        var series = $"evpn_bgp_update_errors_total{{action=\"{action}\",peer=\"{Topo.Ip(B)}\"}}";
        Assert.Equal(after.UpdateErrors[action], await EvpndMetrics.ValueWithinAsync(Lab, Topo, A, series, after.UpdateErrors[action]));
        var log = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(Topo[A + ".evpnd-socket"])!, "evpnd.log"));
        Assert.True(log.Contains(logged, StringComparison.Ordinal), $"evpnd.log does not mention \"{logged}\"");
    }

    /// <summary>A well-formed route sent after the malformed one is installed, on the session that was up before
    /// (no NOTIFICATION either way, both ends still Established).</summary>
    private async Task LaterRouteInstalledOnTheSameSessionAsync()
    {
        await Exabgp.AnnounceAsync(Carrier2, MpReach(Type2(Rd, MacY, Vni)), Communities(GoodCommunities));
        await Type2InstalledAsync(MacY);
        var after = await NeighborAsync();
        Assert.Equal("Established", after.State);
        Assert.Null(after.LastNotificationSent);
        Assert.Empty(await Exabgp.NotificationsReceivedAsync());
        Assert.True(await Speaker.Exabgp.View(Lab, Topo, B).IsEstablishedAsync(Topo.Ip(A)), "ExaBGP: session with evpnd not up");
    }

    private async Task SessionEstablishedOnBothSidesAsync()
    {
        var exabgp = Speaker.Exabgp.View(Lab, Topo, B);
        Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence,
                async () => await Evpnd.IsEstablishedAsync(Topo.Ip(B)) && await exabgp.IsEstablishedAsync(Topo.Ip(A))),
            "the session did not come back after the reset");
    }
}
