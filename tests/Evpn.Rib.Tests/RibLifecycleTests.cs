using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>Interning, sessions going down (with and without graceful restart), duplicates.</summary>
public class RibLifecycleTests
{
    private static readonly IpAddr Peer = Ip("10.0.0.2");

    [Fact]
    public void Routes_sharing_attributes_share_one_interned_set_which_is_freed_with_them()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        var routes = Enumerable.Range(0, 1000).Select(i => (EvpnRoute)Mac("10.0.0.2:1", $"52:54:00:00:{i / 256:x2}:{i % 256:x2}")).ToList();
        rib.Receive(Peer, [.. routes], Attrs(), Peer);
        rib.Process();
        Assert.Equal(1, rib.Interner.Count);
        Assert.Same(rib.Find(routes[0])!.Best!.Attributes, rib.Find(routes[999])!.Best!.Attributes);
        rib.Withdraw(Peer, [.. routes]);
        rib.Process();
        Assert.Equal(0, rib.Interner.Count);
        Assert.Equal(0, rib.DestinationCount);
    }

    [Fact]
    public void A_session_down_removes_its_routes()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Peer, [Mac("10.0.0.2:1", "52:54:00:00:00:01"), Mac("10.0.0.2:1", "52:54:00:00:00:02")], Attrs(), Peer);
        rib.Process();
        rib.PeerDown(Peer, retainStale: false);
        var changes = rib.Process();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Null(c.Current));
        Assert.Null(rib.FindPeer(Peer));
    }

    [Fact]
    public void Graceful_restart_keeps_routes_as_stale_until_end_of_rib_sweeps_those_not_resent()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        var kept = Mac("10.0.0.2:1", "52:54:00:00:00:01");
        var gone = Mac("10.0.0.2:1", "52:54:00:00:00:02");
        rib.Receive(Peer, [kept, gone], Attrs(), Peer);
        rib.Process();
        rib.PeerDown(Peer, retainStale: true);
        Assert.Empty(rib.Process());
        Assert.True(rib.Find(kept)!.Best!.IsStale);

        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Peer, [kept], Attrs(), Peer);
        Assert.Empty(rib.Process());
        Assert.False(rib.Find(kept)!.Best!.IsStale);

        rib.SweepStale(Peer);
        var change = Assert.Single(rib.Process());
        Assert.Equal(gone, change.Previous!.Route);
        Assert.Null(change.Current);
    }

    [Fact]
    public void Routes_under_many_route_distinguishers_are_found_counted_and_removed_per_distinguisher()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        var routes = Enumerable.Range(1, 3)
            .SelectMany(rd => Enumerable.Range(0, 50).Select(i => Mac($"10.0.0.2:{rd}", $"52:54:00:00:00:{i:x2}")))
            .ToList();
        rib.Receive(Peer, [.. routes], Attrs(), Peer);
        Assert.Equal(150, rib.Process().Count);
        Assert.Equal(150, rib.DestinationCount);
        Assert.All(routes, r => Assert.Equal(r, rib.Find(r)!.Best!.Route));
        // The same MAC under another RD is another destination.
        Assert.Null(rib.Find(Mac("10.0.0.2:4", "52:54:00:00:00:01")));

        var second = routes.Where(r => r.Rd == RouteDistinguisher.Parse("10.0.0.2:2")).ToList();
        rib.Withdraw(Peer, [.. second]);
        Assert.Equal(50, rib.Process().Count);
        Assert.Equal(100, rib.DestinationCount);
        Assert.All(second, r => Assert.Null(rib.Find(r)));
        Assert.Equal(100, rib.BestPaths.Count());
        rib.Receive(Peer, [.. second], Attrs(), Peer);
        Assert.Equal(50, rib.Process().Count);
        Assert.Equal(150, rib.AdjRibInPostPolicy(Peer).Count());
    }

    [Fact]
    public void A_duplicate_announcement_changes_nothing()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        var route = Mac("10.0.0.2:1", "52:54:00:00:00:01");
        rib.Receive(Peer, [route], Attrs(), Peer);
        rib.Process();
        rib.Receive(Peer, [route], Attrs(), Peer);
        Assert.Empty(rib.Process());
    }

    [Fact]
    public void An_update_from_a_peer_that_is_not_established_is_refused_and_changes_nothing()
    {
        var rib = NewRib();
        Assert.False(rib.Receive(Peer, [Mac("10.0.0.2:1", "52:54:00:00:00:01")], Attrs(), Peer));
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.PeerDown(Peer, retainStale: true);
        Assert.False(rib.Receive(Peer, [Mac("10.0.0.2:1", "52:54:00:00:00:01")], Attrs(), Peer));
        Assert.Equal(0, rib.DestinationCount);
    }

    [Fact]
    public void Post_policy_adj_rib_in_lists_the_peer_paths()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Peer, [Mac("10.0.0.2:1", "52:54:00:00:00:01"), Mac("10.0.0.2:1", "52:54:00:00:00:02")], Attrs(), Peer);
        rib.Process();
        Assert.Equal(2, rib.AdjRibInPostPolicy(Peer).Count());
        Assert.Empty(rib.AdjRibInPrePolicy(Peer));
    }

    [Fact]
    public void One_link_local_address_on_two_interfaces_is_two_peers_each_with_its_own_paths()
    {
        var rib = NewRib();
        var onEth1 = new PeerAddress(Ip("fe80::1"), scopeId: 3);
        var onEth2 = new PeerAddress(Ip("fe80::1"), scopeId: 4);
        rib.PeerUp(new PeerSession(onEth1, 65101, Ip("10.0.0.11"), false, [AfiSafi.L2vpnEvpn]));
        rib.PeerUp(new PeerSession(onEth2, 65102, Ip("10.0.0.12"), false, [AfiSafi.L2vpnEvpn]));
        var route = Mac("10.0.0.11:1", "52:54:00:00:00:01");

        rib.Receive(onEth1, [route], Attrs(asPath: [65101]), Ip("10.0.0.11"));
        rib.Receive(onEth2, [route], Attrs(asPath: [65102]), Ip("10.0.0.12"));
        rib.Process();
        rib.PeerDown(onEth1, retainStale: false);
        rib.Process();

        Assert.Null(rib.FindPeer(onEth1));
        Assert.Equal(1, rib.FindPeer(onEth2)!.PathCount);
        Assert.Equal(onEth2, rib.Find(route)!.Best!.Source.Address);
        Assert.Null(rib.FindPeer(Ip("fe80::1")));
    }
}
