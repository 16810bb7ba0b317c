using Evpn.Wire;
using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>RFC 7911 ADD-PATH receive: the Adj-RIB-In keys a peer's paths by (peer, path identifier, route). A route
/// reflector sending every path (FRR's `addpath-tx-all-paths`) gives one MAC route from two VTEPs as path ids 1 and 2
/// of one peer: both are candidates, withdrawals remove one path each, and best path moves between them.</summary>
public class AddPathTests
{
    private static readonly IpAddr Reflector = Ip("10.0.0.9");
    private static readonly MacIpAdvertisementRoute Route = Mac("10.0.0.2:1", "52:54:00:aa:00:01");

    private static PeerSession AddPathReflector() => Ibgp("10.0.0.9") with { ReceivesPathIds = true };

    /// <summary>The path of VTEP <paramref name="vtep"/> as the reflector sends it: reflected (ORIGINATOR_ID = the VTEP).</summary>
    private static void Send(Rib rib, uint pathId, string vtep, uint? sequence = null) =>
        rib.Receive(Reflector, [Nlri.ForEvpn(Route, pathId)], Attrs(originatorId: vtep, clusterList: ["10.0.0.9"], sequence: sequence), Ip(vtep));

    private static void Withdraw(Rib rib, uint pathId) => rib.Withdraw(Reflector, [Nlri.ForEvpn(Route, pathId)]);

    [Fact]
    public void Two_paths_of_one_route_from_one_peer_are_both_candidates_and_the_better_one_is_best()
    {
        var rib = NewRib();
        rib.PeerUp(AddPathReflector());
        Send(rib, 1, "10.0.0.3");
        Send(rib, 2, "10.0.0.2");
        var change = Assert.Single(rib.Process());

        var destination = rib.Find(Route)!;
        Assert.Equal([1u, 2u], destination.Paths.Select(p => p.PathId).Order());
        // RFC 4456 section 9: the lower ORIGINATOR_ID wins, whichever path arrived first.
        Assert.Equal(Ip("10.0.0.2"), destination.Best!.NextHop);
        Assert.Equal(2u, destination.Best.PathId);
        Assert.Equal(BestPathReason.RouterId, destination.Reason);
        Assert.Same(destination.Best, change.Current);
        Assert.Equal(2, rib.FindPeer(Reflector)!.PathCount);
        Assert.Equal(2u, destination.Best.ReceivedPathId);
    }

    [Fact]
    public void Withdrawing_the_best_path_by_its_identifier_moves_best_to_the_other_path_of_the_same_peer()
    {
        var rib = NewRib();
        rib.PeerUp(AddPathReflector());
        Send(rib, 1, "10.0.0.2");
        Send(rib, 2, "10.0.0.3");
        rib.Process();
        Assert.Equal(1u, rib.Find(Route)!.Best!.PathId);

        Withdraw(rib, 1);
        var change = Assert.Single(rib.Process());
        Assert.Equal(Ip("10.0.0.2"), change.Previous!.NextHop);
        Assert.Equal(Ip("10.0.0.3"), change.Current!.NextHop);
        Assert.Equal(2u, Assert.Single(rib.Find(Route)!.Paths).PathId);
        Assert.Equal(1, rib.FindPeer(Reflector)!.PathCount);

        Withdraw(rib, 2);
        Assert.Null(Assert.Single(rib.Process()).Current);
        Assert.Null(rib.Find(Route));
        Assert.Equal(0, rib.Interner.Count);
    }

    [Fact]
    public void A_withdrawal_of_an_identifier_the_peer_never_sent_removes_nothing()
    {
        var rib = NewRib();
        rib.PeerUp(AddPathReflector());
        Send(rib, 1, "10.0.0.2");
        Send(rib, 2, "10.0.0.3");
        rib.Process();
        Withdraw(rib, 3);
        rib.Withdraw(Reflector, [Route]);
        Assert.Empty(rib.Process());
        Assert.Equal(2, rib.Find(Route)!.Paths.Count());
    }

    [Fact]
    public void A_path_sent_again_under_its_identifier_replaces_that_path_only()
    {
        var rib = NewRib();
        rib.PeerUp(AddPathReflector());
        Send(rib, 1, "10.0.0.2");
        Send(rib, 2, "10.0.0.3");
        rib.Process();

        // The MAC moved behind VTEP 10.0.0.3: its path carries a higher MAC Mobility sequence (RFC 7432 section 15).
        Send(rib, 2, "10.0.0.3", sequence: 1);
        var change = Assert.Single(rib.Process());
        Assert.Equal(Ip("10.0.0.3"), change.Current!.NextHop);
        Assert.Equal(BestPathReason.MobilitySequence, rib.Find(Route)!.Reason);
        Assert.Equal(2, rib.Find(Route)!.Paths.Count());
        Assert.Equal(2, rib.FindPeer(Reflector)!.PathCount);
    }

    [Fact]
    public void Paths_that_tie_on_every_step_are_decided_by_the_lower_path_identifier_whatever_the_arrival_order()
    {
        foreach (var order in new[] { new uint[] { 7, 4 }, [4, 7] })
        {
            var rib = NewRib();
            rib.PeerUp(AddPathReflector());
            foreach (var id in order)
            {
                rib.Receive(Reflector, [Nlri.ForEvpn(Route, id)], Attrs(), Ip(id == 4 ? "10.0.0.4" : "10.0.0.7"));
            }
            rib.Process();
            var destination = rib.Find(Route)!;
            Assert.Equal(4u, destination.Best!.PathId);
            Assert.Equal(BestPathReason.PathIdentifier, destination.Reason);
        }
    }

    [Fact]
    public void Graceful_restart_marks_every_path_of_the_peer_stale_and_end_of_rib_sweeps_the_identifiers_not_resent()
    {
        var rib = NewRib();
        rib.PeerUp(AddPathReflector());
        Send(rib, 1, "10.0.0.2");
        Send(rib, 2, "10.0.0.3");
        rib.Process();

        rib.PeerDown(Reflector, retainStale: true);
        Assert.Empty(rib.Process());
        Assert.All(rib.Find(Route)!.Paths, p => Assert.True(p.IsStale));

        rib.PeerUp(AddPathReflector());
        Send(rib, 2, "10.0.0.3");
        Assert.Empty(rib.Process());
        Assert.Equal([true, false], rib.Find(Route)!.Paths.OrderBy(p => p.PathId).Select(p => p.IsStale));

        rib.SweepStale(Reflector);
        var change = Assert.Single(rib.Process());
        Assert.Equal(1u, change.Previous!.PathId);
        Assert.Equal(2u, change.Current!.PathId);
        Assert.Equal(1, rib.FindPeer(Reflector)!.PathCount);
    }

    [Fact]
    public void A_session_down_without_graceful_restart_removes_every_path_of_the_peer()
    {
        var rib = NewRib();
        rib.PeerUp(AddPathReflector());
        Send(rib, 1, "10.0.0.2");
        Send(rib, 2, "10.0.0.3");
        rib.Process();
        rib.PeerDown(Reflector, retainStale: false);
        Assert.Null(Assert.Single(rib.Process()).Current);
        Assert.Null(rib.Find(Route));
        Assert.Equal(0, rib.Interner.Count);
    }

    [Fact]
    public void The_pre_policy_adj_rib_in_keeps_one_entry_per_path_identifier()
    {
        var rib = NewRib(keepPrePolicy: true);
        rib.PeerUp(AddPathReflector());
        Send(rib, 1, "10.0.0.2");
        Send(rib, 2, "10.0.0.3");
        rib.Process();
        Assert.Equal([1u, 2u], rib.AdjRibInPrePolicy(Reflector).Select(r => r.PathId).Order());
        Withdraw(rib, 1);
        Assert.Equal(2u, Assert.Single(rib.AdjRibInPrePolicy(Reflector)).PathId);
    }

    [Fact]
    public void Paths_of_a_peer_without_add_path_show_no_identifier()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(Ip("10.0.0.2"), [Route], Attrs(), Ip("10.0.0.2"));
        rib.Process();
        Assert.Null(rib.Find(Route)!.Best!.ReceivedPathId);
    }
}
