using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>Outbound: initial dump and End-of-RIB, grouping by attribute set, coalescing, withdrawals, refresh.</summary>
public class AdjRibOutTests
{
    private static readonly IpAddr Peer = Ip("10.0.0.2");

    private static Rib RibWithPeer()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Process();
        return rib;
    }

    [Fact]
    public void Initial_dump_is_followed_by_end_of_rib()
    {
        var rib = NewRib();
        rib.Originate(Mac("10.0.0.1:1", "52:54:00:00:00:01"), Attrs(), Self);
        rib.Process();
        rib.PeerUp(Ibgp("10.0.0.2"));
        var update = Assert.Single(rib.TakeOutbound());
        Assert.Equal(Peer, update.Peer);
        Assert.Equal(AfiSafi.L2vpnEvpn, update.Family);
        Assert.Single(Assert.Single(update.Announcements).Routes);
        Assert.True(update.EndOfRib);
        Assert.Empty(rib.TakeOutbound());
    }

    /// <summary>What `show summary` reports as PfxSnt: routes the peer was sent and not withdrawn since.</summary>
    [Fact]
    public void Routes_sent_counts_what_the_peer_holds_from_us()
    {
        var rib = RibWithPeer();
        rib.TakeOutbound();
        var first = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.Originate(first, Attrs(), Self);
        rib.Originate(Mac("10.0.0.1:1", "52:54:00:00:00:02"), Attrs(), Self);
        rib.Process();
        var peer = rib.FindPeer(Peer)!;
        Assert.Equal(0, peer.RoutesSent);
        rib.TakeOutbound();
        Assert.Equal(2, peer.RoutesSent);
        rib.WithdrawLocal(first);
        rib.Process();
        rib.TakeOutbound();
        Assert.Equal(1, peer.RoutesSent);
        Assert.Equal(0, rib.Local.RoutesSent);
    }

    [Fact]
    public void Routes_sharing_attributes_are_grouped_and_the_next_hop_is_kept()
    {
        var rib = RibWithPeer();
        rib.TakeOutbound();
        for (var i = 1; i <= 3; i++)
        {
            rib.Originate(Mac("10.0.0.1:1", $"52:54:00:00:00:0{i}"), Attrs(), Self);
        }
        rib.Originate(Mac("10.0.0.1:1", "52:54:00:00:00:09"), Attrs(sequence: 4), Self);
        rib.Process();
        var update = Assert.Single(rib.TakeOutbound());
        Assert.Equal(2, update.Announcements.Count);
        Assert.Contains(update.Announcements, g => g.Routes.Count == 3);
        Assert.All(update.Announcements, g => Assert.Equal(Self, g.NextHop));
        Assert.All(update.Announcements, g => Assert.Equal(100u, g.Attributes.LocalPref));
    }

    [Fact]
    public void A_route_changed_twice_before_sending_is_sent_once_with_its_last_state()
    {
        var rib = RibWithPeer();
        rib.TakeOutbound();
        var route = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.Originate(route, Attrs(sequence: 1), Self);
        rib.Process();
        rib.Originate(route, Attrs(sequence: 2), Self);
        rib.Process();
        var group = Assert.Single(Assert.Single(rib.TakeOutbound()).Announcements);
        Assert.Single(group.Routes);
        Assert.Equal(2u, group.Attributes.MacMobility!.Value.MacMobilitySequence);
    }

    [Fact]
    public void A_route_announced_and_withdrawn_before_sending_is_not_sent()
    {
        var rib = RibWithPeer();
        rib.TakeOutbound();
        var route = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.Originate(route, Attrs(), Self);
        rib.Process();
        rib.WithdrawLocal(route);
        rib.Process();
        Assert.Empty(rib.TakeOutbound());
    }

    [Fact]
    public void A_sent_route_is_withdrawn()
    {
        var rib = RibWithPeer();
        var route = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.Originate(route, Attrs(), Self);
        rib.Process();
        rib.TakeOutbound();
        rib.WithdrawLocal(route);
        rib.Process();
        var update = Assert.Single(rib.TakeOutbound());
        Assert.Equal(route, Assert.Single(update.Withdrawals));
        Assert.Empty(update.Announcements);
        Assert.Empty(rib.AdjRibOut(Peer));
    }

    [Fact]
    public void Draining_in_chunks_defers_end_of_rib_until_everything_is_out()
    {
        var rib = NewRib();
        for (var i = 0; i < 10; i++)
        {
            rib.Originate(Mac("10.0.0.1:1", $"52:54:00:00:01:{i:x2}"), Attrs(), Self);
        }
        rib.Process();
        rib.PeerUp(Ibgp("10.0.0.2"));
        var first = rib.TakeOutbound(maxRoutesPerPeer: 4).Single();
        Assert.Equal(4, first.RouteCount);
        Assert.False(first.EndOfRib);
        Assert.Equal(6, rib.PendingOutboundCount(Peer));
        var second = rib.TakeOutbound(maxRoutesPerPeer: 100).Single();
        Assert.Equal(6, second.RouteCount);
        Assert.True(second.EndOfRib);
    }

    [Fact]
    public void Route_refresh_resends_the_adj_rib_out()
    {
        var rib = RibWithPeer();
        rib.Originate(Mac("10.0.0.1:1", "52:54:00:00:00:01"), Attrs(), Self);
        rib.Process();
        rib.TakeOutbound();
        rib.RefreshRequested(Peer);
        Assert.Equal(1, rib.TakeOutbound().Single().RouteCount);
    }

    /// <summary>A peer asking 1,000 times while it does not read gets one re-send: the requests set a flag,
    /// the re-send goes out in slices of the drain's size, and the last slice carries the end of the refresh.</summary>
    [Fact]
    public void Repeated_refreshes_coalesce_into_one_resend_in_slices_ending_with_end_of_refresh()
    {
        var rib = RibWithPeer();
        for (var i = 0; i < 10; i++)
        {
            rib.Originate(Mac("10.0.0.1:1", $"52:54:00:00:01:{i:x2}"), Attrs(), Self);
        }
        rib.Process();
        rib.TakeOutbound();
        for (var i = 0; i < 1000; i++)
        {
            rib.RefreshRequested(Peer);
        }
        Assert.Equal(10, rib.PendingOutboundCount(Peer));

        var slices = new List<OutboundUpdate>();
        while (rib.HasOutboundWork())
        {
            slices.Add(rib.TakeOutbound(maxRoutesPerPeer: 4).Single());
        }

        Assert.Equal([4, 4, 2], slices.Select(u => u.RouteCount));
        Assert.Equal([false, false, true], slices.Select(u => u.EndOfRefresh));
        Assert.Equal(10, slices.SelectMany(u => u.Announcements).SelectMany(g => g.Routes).Distinct().Count());
    }

    /// <summary>While the writer cannot take more, the peer is skipped: a route changed many times waits in the
    /// Adj-RIB-Out as one pending change, and a refresh asked meanwhile is still one re-send.</summary>
    [Fact]
    public void A_peer_that_cannot_take_more_is_skipped_and_its_changes_coalesce_until_it_can()
    {
        var rib = RibWithPeer();
        var route = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.Originate(route, Attrs(), Self);
        rib.Process();
        rib.TakeOutbound();
        var writable = false;
        for (uint sequence = 1; sequence <= 100; sequence++)
        {
            rib.Originate(route, Attrs(sequence: sequence), Self);
            rib.Process();
            rib.RefreshRequested(Peer);
            Assert.Empty(rib.TakeOutbound(canTake: _ => writable));
        }
        Assert.False(rib.HasOutboundWork(_ => writable));
        // The one pending change and the one route of the re-send: nothing grew with the repetitions.
        Assert.Equal(2, rib.PendingOutboundCount(Peer));

        writable = true;
        var update = Assert.Single(rib.TakeOutbound(canTake: _ => writable));

        var group = Assert.Single(update.Announcements);
        Assert.Equal([route], group.Routes);
        Assert.Equal(100u, group.Attributes.MacMobility!.Value.MacMobilitySequence);
        Assert.True(update.EndOfRefresh);
        Assert.False(rib.HasOutboundWork());
    }

    /// <summary>A request while a re-send is under way starts it over (the peer wants every route after its
    /// request); a route withdrawn meanwhile is withdrawn, not re-sent.</summary>
    [Fact]
    public void A_refresh_during_a_resend_starts_it_over_and_skips_withdrawn_routes()
    {
        var rib = RibWithPeer();
        var routes = Enumerable.Range(0, 6).Select(i => Mac("10.0.0.1:1", $"52:54:00:00:02:{i:x2}")).ToList();
        foreach (var r in routes)
        {
            rib.Originate(r, Attrs(), Self);
        }
        rib.Process();
        rib.TakeOutbound();
        rib.RefreshRequested(Peer);
        Assert.Equal(4, rib.TakeOutbound(maxRoutesPerPeer: 4).Single().RouteCount);

        rib.RefreshRequested(Peer);
        rib.WithdrawLocal(routes[0]);
        rib.Process();
        var first = rib.TakeOutbound(maxRoutesPerPeer: 100).Single();

        Assert.Equal([routes[0]], first.Withdrawals);
        Assert.Equal(5, first.Announcements.Sum(g => g.Routes.Count));
        Assert.True(first.EndOfRefresh);
    }

    [Fact]
    public void Internal_routes_are_not_sent_to_internal_peers_without_reflection()
    {
        var rib = RibWithPeer();
        rib.PeerUp(Ibgp("10.0.0.3"));
        rib.TakeOutbound();
        rib.Receive(Ip("10.0.0.3"), [Mac("10.0.0.3:1", "52:54:00:00:00:01")], Attrs(), Ip("10.0.0.3"));
        rib.Process();
        Assert.Empty(rib.TakeOutbound());
    }

    [Fact]
    public void External_peers_get_our_as_prepended_without_local_pref_and_the_vtep_unchanged()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.3"));
        rib.PeerUp(Ebgp("10.0.0.2", 65002));
        rib.TakeOutbound();
        rib.Receive(Ip("10.0.0.3"), [Mac("10.0.0.3:1", "52:54:00:00:00:01")], Attrs(localPref: 300, med: 5), Ip("10.0.0.3"));
        rib.Process();
        var group = Assert.Single(Assert.Single(rib.TakeOutbound()).Announcements);
        Assert.Equal("65000", group.Attributes.AsPath!.ToString());
        Assert.Null(group.Attributes.LocalPref);
        Assert.Null(group.Attributes.MultiExitDisc);
        Assert.Equal(Ip("10.0.0.3"), group.NextHop);
    }

    [Fact]
    public void Routes_of_every_type_are_kept_selected_and_advertised()
    {
        var rib = NewRib();
        rib.PeerUp(Ebgp("10.0.0.2", 65002));
        rib.PeerUp(Ebgp("10.0.0.3", 65003));
        rib.TakeOutbound();
        var esi = new EthernetSegmentId(0x0100_0000_0000_0000, 1);
        EvpnRoute[] routes =
        [
            new EthernetAutoDiscoveryRoute(RouteDistinguisher.Parse("10.0.0.2:1"), esi, 0, 0),
            new EthernetSegmentRoute(RouteDistinguisher.Parse("10.0.0.2:1"), esi, Ip("10.0.0.2")),
            new IpPrefixRoute(RouteDistinguisher.Parse("10.0.0.2:1"), EthernetSegmentId.Zero, 0, Ip("198.51.100.0"), 24, Ip("0.0.0.0"), 5000),
        ];
        rib.Receive(Ip("10.0.0.2"), [.. routes], Attrs(asPath: [65002]), Ip("10.0.0.2"));
        rib.Process();
        Assert.Equal(3, rib.DestinationCount);
        var update = Assert.Single(rib.TakeOutbound());
        Assert.Equal(Ip("10.0.0.3"), update.Peer);
        Assert.Equal(3, update.RouteCount);
    }
}
