using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>A key with one path is kept as that path, a destination made for a second one and dropped when
/// one is left (see Rib). Whatever the order of changes in a batch, one change per key is published,
/// from what was published before to what is best now, and the counts and references stay right.</summary>
public class LonePathTests
{
    private static readonly IpAddr A = Ip("10.0.0.2");
    private static readonly IpAddr B = Ip("10.0.0.3");
    private static readonly MacIpAdvertisementRoute Route = Mac("10.0.0.9:1", "52:54:00:00:00:01", "192.0.2.1");

    private static Rib TwoPeers()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.PeerUp(Ibgp("10.0.0.3"));
        return rib;
    }

    private static uint Sequence(RibPath? path) => path!.Attributes.MobilitySequence;

    [Fact]
    public void A_path_replaced_twice_in_one_batch_is_published_once_and_later_replaced_from_what_was_published()
    {
        var rib = TwoPeers();
        rib.Receive(A, [Route], Attrs(sequence: 1), A);
        rib.Receive(A, [Route], Attrs(sequence: 2), A);
        var first = Assert.Single(rib.Process());
        Assert.Null(first.Previous);
        Assert.Equal(2u, Sequence(first.Current));

        rib.Receive(A, [Route], Attrs(sequence: 3), A);
        rib.Receive(A, [Route], Attrs(sequence: 4), A);
        var second = Assert.Single(rib.Process());
        Assert.Same(first.Current, second.Previous);
        Assert.Equal(4u, Sequence(second.Current));
        Assert.Equal(1, rib.FindPeer(A)!.PathCount);
        Assert.Equal(1, rib.Interner.Count);
    }

    [Fact]
    public void A_path_announced_and_withdrawn_in_one_batch_leaves_nothing()
    {
        var rib = TwoPeers();
        rib.Receive(A, [Route], Attrs(), A);
        rib.Withdraw(A, [Route]);
        Assert.Empty(rib.Process());
        Assert.Equal(0, rib.DestinationCount);
        Assert.Equal(0, rib.Interner.Count);
        Assert.Equal(0, rib.FindPeer(A)!.PathCount);
        Assert.Null(rib.Find(Route));
    }

    [Fact]
    public void A_path_withdrawn_and_sent_again_in_one_batch_is_one_change_from_the_old_to_the_new()
    {
        var rib = TwoPeers();
        rib.Receive(A, [Route], Attrs(sequence: 1), A);
        var published = Assert.Single(rib.Process()).Current;
        rib.Withdraw(A, [Route]);
        Assert.Null(rib.Find(Route)!.Paths.FirstOrDefault());
        Assert.Same(published, rib.Find(Route)!.Best);
        rib.Receive(A, [Route], Attrs(sequence: 2), A);
        var change = Assert.Single(rib.Process());
        Assert.Same(published, change.Previous);
        Assert.Equal(2u, Sequence(change.Current));
        Assert.Equal(1, rib.FindPeer(A)!.PathCount);
        Assert.Equal(1, rib.Interner.Count);
    }

    [Fact]
    public void A_withdrawn_path_replaced_by_another_peer_in_one_batch_is_one_change_between_the_peers()
    {
        var rib = TwoPeers();
        rib.Receive(A, [Route], Attrs(), A);
        var published = Assert.Single(rib.Process()).Current;
        rib.Withdraw(A, [Route]);
        rib.Receive(B, [Route], Attrs(), B);
        var change = Assert.Single(rib.Process());
        Assert.Same(published, change.Previous);
        Assert.Equal(B, change.Current!.Source.Address);
        Assert.Equal((0, 1), (rib.FindPeer(A)!.PathCount, rib.FindPeer(B)!.PathCount));
        Assert.Single(rib.Find(Route)!.Paths);
    }

    [Fact]
    public void A_second_peer_makes_a_destination_that_goes_back_to_a_lone_path_and_then_away()
    {
        var rib = TwoPeers();
        rib.Receive(B, [Route], Attrs(), B);
        var fromB = Assert.Single(rib.Process()).Current;

        // The lower router id wins (RFC 4271 section 9.1.2.2 f).
        rib.Receive(A, [Route], Attrs(), A);
        var change = Assert.Single(rib.Process());
        Assert.Same(fromB, change.Previous);
        Assert.Equal(A, change.Current!.Source.Address);
        var destination = rib.Find(Route)!;
        Assert.Equal(2, destination.Paths.Count());
        Assert.Equal(BestPathReason.RouterId, destination.Reason);

        rib.Withdraw(A, [Route]);
        Assert.Same(fromB, Assert.Single(rib.Process()).Current);
        Assert.Same(fromB, rib.Find(Route)!.Best);
        Assert.Equal(BestPathReason.OnlyPath, rib.Find(Route)!.Reason);
        Assert.Equal(1, rib.DestinationCount);

        rib.Receive(A, [Route], Attrs(), A);
        Assert.Equal(A, Assert.Single(rib.Process()).Current!.Source.Address);
        rib.Withdraw(A, [Route]);
        rib.Withdraw(B, [Route]);
        var gone = Assert.Single(rib.Process());
        Assert.Equal(A, gone.Previous!.Source.Address);
        Assert.Null(gone.Current);
        Assert.Equal(0, rib.DestinationCount);
        Assert.Equal(0, rib.Interner.Count);
        Assert.Equal((0, 0), (rib.FindPeer(A)!.PathCount, rib.FindPeer(B)!.PathCount));
    }

    [Fact]
    public void Two_peers_sending_a_new_key_in_one_batch_give_one_change_to_the_winner()
    {
        var rib = TwoPeers();
        rib.Receive(B, [Route], Attrs(), B);
        rib.Receive(A, [Route], Attrs(), A);
        var change = Assert.Single(rib.Process());
        Assert.Null(change.Previous);
        Assert.Equal(A, change.Current!.Source.Address);
        Assert.Equal(2, rib.Find(Route)!.Paths.Count());
    }

    [Fact]
    public void A_queued_replacement_that_gains_a_second_peer_keeps_what_was_published()
    {
        var rib = TwoPeers();
        rib.Receive(B, [Route], Attrs(sequence: 1), B);
        var published = Assert.Single(rib.Process()).Current;
        rib.Receive(B, [Route], Attrs(sequence: 2), B);
        rib.Receive(A, [Route], Attrs(sequence: 2), A);
        var change = Assert.Single(rib.Process());
        Assert.Same(published, change.Previous);
        Assert.Equal(A, change.Current!.Source.Address);
        Assert.Equal(2, rib.Interner.Count);
    }

    [Fact]
    public void A_session_down_leaves_the_other_peer_path_as_a_lone_best_path()
    {
        var rib = TwoPeers();
        rib.Receive(A, [Route], Attrs(), A);
        rib.Receive(B, [Route], Attrs(), B);
        rib.Process();
        rib.PeerDown(A, retainStale: false);
        var change = Assert.Single(rib.Process());
        Assert.Equal((A, B), (change.Previous!.Source.Address, change.Current!.Source.Address));
        Assert.Same(change.Current, Assert.Single(rib.AdjRibInPostPolicy(B)));
        Assert.Same(change.Current, Assert.Single(rib.BestPaths));
    }

    [Fact]
    public void A_stale_lone_path_sent_again_with_other_attributes_is_no_longer_stale()
    {
        var rib = TwoPeers();
        rib.Receive(A, [Route], Attrs(sequence: 1), A);
        rib.Process();
        rib.PeerDown(A, retainStale: true);
        Assert.True(rib.Find(Route)!.Best!.IsStale);
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Receive(A, [Route], Attrs(sequence: 2), A);
        Assert.Single(rib.Process());
        rib.SweepStale(A);
        Assert.Empty(rib.Process());
        Assert.False(rib.Find(Route)!.Best!.IsStale);
        Assert.Equal(2u, Sequence(rib.Find(Route)!.Best));
    }
}
