using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>RFC 4724 section 4.1 on the restarting side: while route selection is deferred, peers get our own
/// routes at once, and learned routes and End-of-RIB only once the deferral ends.</summary>
public class HeldLearnedRoutesTests
{
    private static readonly IpAddr PeerB = Ip("10.0.0.2");
    private static readonly IpAddr PeerC = Ip("10.0.0.3");

    [Fact]
    public void While_learned_routes_are_held_peers_get_our_own_routes_without_end_of_rib()
    {
        var rib = NewRib();
        rib.HoldLearnedRoutes();
        var own = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.Originate(own, Attrs(), Self);
        rib.Process();
        rib.PeerUp(Ebgp("10.0.0.2", 65002));
        rib.PeerUp(Ebgp("10.0.0.3", 65003));
        rib.Receive(PeerB, [Mac("10.0.0.2:1", "52:54:00:00:00:02")], Attrs(asPath: [65002]), PeerB);
        rib.Process();

        var updates = rib.TakeOutbound();

        Assert.Equal([PeerB, PeerC], updates.Select(u => u.Peer).Order());
        Assert.All(updates, u =>
        {
            Assert.Equal<EvpnRoute>([own], u.Announcements.SelectMany(g => g.Routes));
            Assert.False(u.EndOfRib);
        });
        Assert.Empty(rib.TakeOutbound());
    }

    [Fact]
    public void Released_learned_routes_go_to_the_peers_that_may_have_them_followed_by_end_of_rib()
    {
        var rib = NewRib();
        rib.HoldLearnedRoutes();
        rib.Originate(Mac("10.0.0.1:1", "52:54:00:00:00:01"), Attrs(), Self);
        rib.PeerUp(Ebgp("10.0.0.2", 65002));
        rib.PeerUp(Ebgp("10.0.0.3", 65003));
        var learned = Mac("10.0.0.2:1", "52:54:00:00:00:02");
        rib.Receive(PeerB, [learned], Attrs(asPath: [65002]), PeerB);
        rib.Process();
        rib.TakeOutbound();

        rib.ReleaseLearnedRoutes();
        var updates = rib.TakeOutbound().ToDictionary(u => u.Peer);

        Assert.Equal<EvpnRoute>([learned], updates[PeerC].Announcements.SelectMany(g => g.Routes));
        Assert.Empty(updates[PeerB].Announcements);
        Assert.All(updates.Values, u => Assert.True(u.EndOfRib));
        Assert.Empty(rib.TakeOutbound());
    }

    [Fact]
    public void A_learned_path_that_replaces_our_own_while_held_withdraws_ours()
    {
        var rib = NewRib();
        rib.HoldLearnedRoutes();
        var key = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.Originate(key, Attrs(sequence: 1), Self);
        rib.PeerUp(Ebgp("10.0.0.3", 65003));
        rib.Process();
        rib.TakeOutbound();

        // The same key from a peer with a higher MAC mobility sequence number wins best path.
        rib.PeerUp(Ebgp("10.0.0.2", 65002));
        rib.Receive(PeerB, [key], Attrs(asPath: [65002], sequence: 5), PeerB);
        rib.Process();
        var update = Assert.Single(rib.TakeOutbound(), u => u.Peer == PeerC);

        Assert.Equal<EvpnRoute>([key], update.Withdrawals);
        Assert.Empty(update.Announcements);
    }
}
