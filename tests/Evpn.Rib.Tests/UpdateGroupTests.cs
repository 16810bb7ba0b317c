using Evpn.Wire;
using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>Update groups: peers with the same export rules and encoding share one Adj-RIB-Out and one stream of
/// packed UPDATEs; a member is a position in it, walks the table when it joins or falls behind, and never gets a
/// route back from us that it sent.</summary>
public class UpdateGroupTests
{
    internal static Rib Reflector(int clients, int backlog = 65_536)
    {
        var rib = new Rib(new RibOptions(LocalAs, Self, IsRouteReflector: true, UpdateGroupBacklog: backlog));
        for (var i = 0; i < clients; i++)
        {
            rib.PeerUp(Client(i));
        }
        rib.Process();
        rib.TakeOutbound();
        return rib;
    }

    internal static PeerSession Client(int i) =>
        new(Ip($"10.1.0.{i + 10}"), LocalAs, Ip($"10.1.0.{i + 10}"), true, [AfiSafi.L2vpnEvpn], IsRouteReflectorClient: true,
            SendContext: DecodeContext.FourOctetAs);

    internal static IpAddr Address(int i) => Ip($"10.1.0.{i + 10}");

    internal static EvpnRoute Route(int origin, int n) => Mac($"10.1.0.{origin + 10}:1", $"52:54:00:{origin:x2}:{n / 256:x2}:{n % 256:x2}");

    /// <summary>What a peer holds from us after applying every update it was given, in order.</summary>
    private sealed class PeerView
    {
        public Dictionary<EvpnRoute, PathAttributes> Routes { get; } = new(RouteKeyComparer.Instance);
        public int Announcements { get; private set; }
        public int EndOfRibs { get; private set; }

        public void Apply(OutboundUpdate update)
        {
            foreach (var route in update.Withdrawals)
            {
                Routes.Remove(route);
            }
            foreach (var group in update.Announcements)
            {
                foreach (var route in group.Routes)
                {
                    Routes[route] = group.Attributes;
                    Announcements++;
                }
            }
            EndOfRibs += update.EndOfRib ? 1 : 0;
        }
    }

    private static List<string> Keys(PeerView view) => [.. view.Routes.Keys.Select(r => r.ToString()!).Order(StringComparer.Ordinal)];

    private static void Deliver(List<OutboundUpdate> updates, Dictionary<PeerAddress, PeerView> views)
    {
        foreach (var update in updates)
        {
            if (!views.TryGetValue(update.Peer, out var view))
            {
                views[update.Peer] = view = new PeerView();
            }
            view.Apply(update);
        }
    }

    [Fact]
    public void A_change_is_packed_and_encoded_once_and_every_member_is_given_the_same_bytes()
    {
        var rib = Reflector(clients: 10);
        rib.Receive(Address(0), [Route(0, 1), Route(0, 2)], Attrs(), Address(0));
        rib.Process();

        var updates = rib.TakeOutbound();

        Assert.Equal(9, updates.Count);
        var group = Assert.Single(rib.UpdateGroups);
        Assert.Equal(10, group.Members);
        var segment = Assert.Single(updates[0].Segments);
        Assert.All(updates, u => Assert.Same(segment, Assert.Single(u.Segments)));
        var bytes = updates.Select(u => Assert.Single(u.ToMessages(u.Encoding).Updates).Bytes).ToList();
        Assert.NotNull(bytes[0]);
        Assert.All(bytes, b => Assert.Same(bytes[0], b));
        var decoded = Assert.IsType<UpdateMessage>(BgpDecoder.Decode(bytes[0]!, DecodeContext.FourOctetAs).Message);
        Assert.Equal(2, decoded.MpReach!.Nlri.Count);
        Assert.Equal(Address(0), decoded.Attributes.OriginatorId);
    }

    [Fact]
    public void A_route_and_its_withdrawal_skip_the_member_it_came_from()
    {
        var rib = Reflector(clients: 3);
        rib.Receive(Address(0), [Route(0, 1)], Attrs(), Address(0));
        rib.Process();
        Assert.Equal([Address(1), Address(2)], rib.TakeOutbound().Select(u => u.Peer).Order());
        Assert.Empty(rib.AdjRibOut(Address(0)));
        Assert.Equal(0, rib.FindPeer(Address(0))!.RoutesSent);
        Assert.Equal(1, rib.FindPeer(Address(1))!.RoutesSent);

        rib.Withdraw(Address(0), [Route(0, 1)]);
        rib.Process();
        var withdrawals = rib.TakeOutbound();

        Assert.Equal([Address(1), Address(2)], withdrawals.Select(u => u.Peer).Order());
        Assert.All(withdrawals, u => Assert.Equal([Route(0, 1)], u.Withdrawals));
    }

    [Fact]
    public void Reflected_routes_from_different_members_never_share_a_segment()
    {
        var rib = Reflector(clients: 3);
        rib.Receive(Address(0), [Route(0, 1)], Attrs(), Address(0));
        rib.Receive(Address(1), [Route(1, 1)], Attrs(), Address(1));
        rib.Process();

        var toThird = Assert.Single(rib.TakeOutbound(), u => u.Peer == Address(2));

        Assert.Equal(2, toThird.Segments.Count);
        Assert.Equal([Address(0), Address(1)], toThird.Announcements.Select(g => g.Attributes.OriginatorId!.Value).Order());
    }

    /// <summary>The member the best path now comes from had the previous one from us: that route is withdrawn from it
    /// alone, while the others are sent the new best path.</summary>
    [Fact]
    public void When_the_best_path_moves_to_a_member_the_route_is_withdrawn_from_that_member_alone()
    {
        var rib = Reflector(clients: 3);
        var key = Route(0, 1);
        var views = new Dictionary<PeerAddress, PeerView>();
        rib.Receive(Address(0), [key], Attrs(localPref: 100), Address(0));
        rib.Process();
        Deliver(rib.TakeOutbound(), views);
        rib.Receive(Address(1), [key], Attrs(localPref: 200), Address(1));
        rib.Process();

        var updates = rib.TakeOutbound();
        Deliver(updates, views);

        var toNewSource = Assert.Single(updates, u => u.Peer == Address(1));
        Assert.Equal([key], toNewSource.Withdrawals);
        Assert.Empty(toNewSource.Announcements);
        Assert.Empty(views[Address(1)].Routes);
        Assert.Equal(200u, views[Address(0)].Routes[key].LocalPref);
        Assert.Equal(Address(1), views[Address(2)].Routes[key].OriginatorId);
    }

    /// <summary>A member that does not take (its socket does not drain) is skipped; the others get every batch, and
    /// once the stream is more than the backlog ahead of it, it leaves the stream, which forgets what only it needed.
    /// When it takes again it walks the group's table from the version it had: it ends with the same view as the others,
    /// withdrawals included.</summary>
    [Fact]
    public void A_member_that_does_not_take_does_not_hold_back_the_others_and_catches_up_from_the_table()
    {
        var rib = Reflector(clients: 4, backlog: 64);
        var slow = Address(3);
        var views = new Dictionary<PeerAddress, PeerView>();
        for (var n = 0; n < 40; n++)
        {
            rib.Receive(Address(0), [Route(0, n)], Attrs(), Address(0));
        }
        rib.Process();
        Deliver(rib.TakeOutbound(), views);
        var writable = false;
        for (var round = 0; round < 20; round++)
        {
            rib.Receive(Address(0), Enumerable.Range(100 + round * 10, 10).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
            rib.Withdraw(Address(0), [Route(0, round)]);
            rib.Process();
            var updates = rib.TakeOutbound(maxRoutesPerPeer: 16, canTake: a => a != slow || writable);
            Assert.Equal([Address(1), Address(2)], updates.Select(u => u.Peer).Order());
            Deliver(updates, views);
        }
        var group = Assert.Single(rib.UpdateGroups);
        Assert.Equal(1, group.Splits);
        Assert.True(group.Batches <= 2, $"the stream keeps {group.Batches} batches for a member that left it");
        Assert.Equal(220, views[Address(1)].Routes.Count);

        writable = true;
        while (rib.HasOutboundWork())
        {
            Deliver(rib.TakeOutbound(maxRoutesPerPeer: 16), views);
        }

        Assert.Equal(Keys(views[Address(1)]), Keys(views[slow]));
        Assert.DoesNotContain(Route(0, 0), views[slow].Routes.Keys);
        Assert.True(!views.TryGetValue(Address(0), out var source) || source.Routes.Count == 0, "a route went back to its source");
    }

    /// <summary>Members that join together take one walk of the table: each slice is cut and encoded once, every
    /// joiner is given the same bytes, and each ends with exactly the table (none of its own routes) and one
    /// End-of-RIB. Ten more members joining after the walk began (its first slice still held) take it from its start.</summary>
    [Fact]
    public void Members_that_join_together_share_one_walk_encoded_once_and_each_gets_the_full_table_and_End_of_RIB()
    {
        var rib = Reflector(clients: 2);
        rib.Receive(Address(0), Enumerable.Range(0, 300).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
        rib.Receive(Address(1), Enumerable.Range(0, 100).Select(n => (Nlri)Route(1, n)).ToList(), Attrs(), Address(1));
        rib.Process();
        var views = new Dictionary<PeerAddress, PeerView>();
        Deliver(rib.TakeOutbound(), views);
        var joiners = Enumerable.Range(10, 50).ToList();
        foreach (var i in joiners)
        {
            rib.PeerUp(Client(i));
        }
        var encoded = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        var messages = new Dictionary<PeerAddress, int>();

        void Take()
        {
            var updates = rib.TakeOutbound(maxRoutesPerPeer: 64);
            foreach (var update in updates)
            {
                foreach (var message in update.ToMessages(update.Encoding).Updates.Where(m => !m.Message.IsEndOfRib(out _)))
                {
                    Assert.NotNull(message.Bytes);
                    encoded.Add(message.Bytes!);
                    messages[update.Peer] = messages.GetValueOrDefault(update.Peer) + 1;
                }
            }
            Deliver(updates, views);
        }

        Take();
        var late = Enumerable.Range(60, 10).ToList();
        foreach (var i in late)
        {
            rib.PeerUp(Client(i));
        }
        while (rib.HasOutboundWork())
        {
            Take();
        }

        foreach (var i in joiners.Concat(late))
        {
            var view = views[Address(i)];
            Assert.Equal(400, view.Routes.Count);
            Assert.Equal(400, view.Announcements);
            Assert.Equal(1, view.EndOfRibs);
        }
        var perMember = messages[Address(10)];
        Assert.All(joiners.Concat(late), i => Assert.Equal(perMember, messages[Address(i)]));
        Assert.Equal(perMember, encoded.Count);
        Assert.Equal(0, Assert.Single(rib.UpdateGroups).Splits);
    }

    /// <summary>Two members given 30 routes from the first, then a third (client 2) that joined and took the first 8
    /// routes of its walk.</summary>
    private static (Rib Rib, Dictionary<PeerAddress, PeerView> Views) JoinedMidWalk()
    {
        var rib = Reflector(clients: 2);
        var views = new Dictionary<PeerAddress, PeerView>();
        rib.Receive(Address(0), Enumerable.Range(0, 30).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
        rib.Process();
        Deliver(rib.TakeOutbound(), views);
        rib.PeerUp(Client(2));
        Deliver(rib.TakeOutbound(maxRoutesPerPeer: 8), views);
        return (rib, views);
    }

    /// <summary>A member that joins a shared walk late reads slices cut before the table changed: a route withdrawn
    /// since is announced to it from the slice and withdrawn further on, a route changed since is sent again, and it
    /// ends with the group's view like the member that began the walk.</summary>
    [Fact]
    public void A_member_reading_a_shared_walk_cut_before_a_change_ends_with_the_groups_view()
    {
        var (rib, views) = JoinedMidWalk();

        rib.Withdraw(Address(0), [Route(0, 2)]);
        rib.Receive(Address(0), [Route(0, 3)], Attrs(sequence: 7), Address(0));
        rib.Process();
        rib.PeerUp(Client(3));
        while (rib.HasOutboundWork())
        {
            Deliver(rib.TakeOutbound(maxRoutesPerPeer: 8), views);
        }

        Assert.Equal(29, views[Address(1)].Routes.Count);
        Assert.Equal(Keys(views[Address(1)]), Keys(views[Address(2)]));
        Assert.Equal(Keys(views[Address(1)]), Keys(views[Address(3)]));
        Assert.Equal(views[Address(1)].Routes[Route(0, 3)], views[Address(3)].Routes[Route(0, 3)]);
        Assert.Equal(1, views[Address(3)].EndOfRibs);
    }

    /// <summary>A joiner that does not take while the others walk leaves the shared walk once the walk is more than
    /// the backlog ahead of it, so the walk holds no more for it; it then walks on its own and ends with the table.</summary>
    [Fact]
    public void A_joiner_that_does_not_take_leaves_the_shared_walk_and_still_gets_the_table()
    {
        var rib = Reflector(clients: 1, backlog: 64);
        rib.Receive(Address(0), Enumerable.Range(0, 400).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
        rib.Process();
        var views = new Dictionary<PeerAddress, PeerView>();
        Deliver(rib.TakeOutbound(), views);
        for (var i = 1; i <= 4; i++)
        {
            rib.PeerUp(Client(i));
        }
        var slow = Address(4);
        Deliver(rib.TakeOutbound(maxRoutesPerPeer: 16), views);
        while (rib.HasOutboundWork(a => a != slow))
        {
            Deliver(rib.TakeOutbound(maxRoutesPerPeer: 16, canTake: a => a != slow), views);
        }
        Assert.Equal(1, Assert.Single(rib.UpdateGroups).Splits);

        while (rib.HasOutboundWork())
        {
            Deliver(rib.TakeOutbound(maxRoutesPerPeer: 16), views);
        }

        Assert.All(Enumerable.Range(1, 4), i => Assert.Equal(400, views[Address(i)].Routes.Count));
        Assert.Equal(1, views[slow].EndOfRibs);
    }

    /// <summary>A slice larger than the backlog (a take without a limit) does not split the walker that cut it from its
    /// own walk: every joiner still gets the table once.</summary>
    [Fact]
    public void Joiners_taking_the_whole_table_at_once_past_the_backlog_each_get_it_once()
    {
        var rib = Reflector(clients: 1, backlog: 64);
        rib.Receive(Address(0), Enumerable.Range(0, 400).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
        rib.Process();
        var views = new Dictionary<PeerAddress, PeerView>();
        for (var i = 1; i <= 3; i++)
        {
            rib.PeerUp(Client(i));
        }

        while (rib.HasOutboundWork())
        {
            Deliver(rib.TakeOutbound(), views);
        }

        Assert.All(Enumerable.Range(1, 3), i => Assert.Equal((400, 400, 1), (views[Address(i)].Routes.Count, views[Address(i)].Announcements, views[Address(i)].EndOfRibs)));
    }

    /// <summary>A group whose only member sent every route holds none of them; a member joining it is sent them all,
    /// and the first member none back.</summary>
    [Fact]
    public void The_member_joining_a_group_of_one_gets_the_routes_the_first_member_sent()
    {
        var rib = Reflector(clients: 1);
        rib.Receive(Address(0), Enumerable.Range(0, 50).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
        rib.Process();
        Assert.Empty(rib.TakeOutbound());
        Assert.Equal(0, Assert.Single(rib.UpdateGroups).Routes);
        var views = new Dictionary<PeerAddress, PeerView>();

        rib.PeerUp(Client(1));
        while (rib.HasOutboundWork())
        {
            Deliver(rib.TakeOutbound(maxRoutesPerPeer: 16), views);
        }

        Assert.Equal(50, views[Address(1)].Routes.Count);
        Assert.Equal(1, views[Address(1)].EndOfRibs);
        Assert.False(views.ContainsKey(Address(0)));
    }

    [Fact]
    public void A_member_joining_mid_stream_gets_the_full_table_exactly_once_then_follows_the_stream()
    {
        var rib = Reflector(clients: 2);
        var views = new Dictionary<PeerAddress, PeerView>();
        rib.Receive(Address(0), Enumerable.Range(0, 30).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
        rib.Process();
        Deliver(rib.TakeOutbound(maxRoutesPerPeer: 8), views);

        rib.PeerUp(Client(2));
        while (rib.HasOutboundWork())
        {
            Deliver(rib.TakeOutbound(maxRoutesPerPeer: 8), views);
        }
        var joined = views[Address(2)];
        Assert.Equal(30, joined.Routes.Count);
        Assert.Equal(30, joined.Announcements);
        Assert.Equal(1, joined.EndOfRibs);

        rib.Receive(Address(0), [Route(0, 99)], Attrs(), Address(0));
        rib.Withdraw(Address(0), [Route(0, 0)]);
        rib.Process();
        var next = rib.TakeOutbound();
        Deliver(next, views);

        Assert.Equal(2, next.Count);
        Assert.Same(next[0].Segments[0], next[1].Segments[0]);
        Assert.Equal(Keys(views[Address(1)]), Keys(joined));
    }

    /// <summary>Changes while a new member walks the table: a route changed behind its walk is met again, one withdrawn
    /// after it was walked is withdrawn, and it ends with the group's view.</summary>
    [Fact]
    public void A_member_joining_while_the_table_changes_ends_with_the_groups_view()
    {
        var (rib, views) = JoinedMidWalk();

        rib.Receive(Address(0), [Route(0, 1)], Attrs(sequence: 5), Address(0));
        rib.Withdraw(Address(0), [Route(0, 2)]);
        rib.Receive(Address(0), [Route(0, 50)], Attrs(), Address(0));
        rib.Process();
        while (rib.HasOutboundWork())
        {
            Deliver(rib.TakeOutbound(maxRoutesPerPeer: 8), views);
        }

        var joined = views[Address(2)].Routes;
        Assert.Equal(Keys(views[Address(1)]), Keys(views[Address(2)]));
        Assert.Equal(5u, joined[Route(0, 1)].MacMobility!.Value.MacMobilitySequence);
        Assert.DoesNotContain(Route(0, 2), joined.Keys);
    }

    [Fact]
    public void Peers_with_different_roles_or_encodings_are_in_different_groups()
    {
        var rib = new Rib(new RibOptions(LocalAs, Self, IsRouteReflector: true));
        rib.PeerUp(Client(0));
        rib.PeerUp(Client(1));
        rib.PeerUp(Client(2) with { IsRouteReflectorClient = false });
        rib.PeerUp(Client(3) with { SendContext = DecodeContext.FourOctetAs with { ExtendedMessage = true } });
        rib.PeerUp(new PeerSession(Address(4), 65010, Address(4), false, [AfiSafi.L2vpnEvpn], SendContext: DecodeContext.FourOctetAs));

        Assert.Equal([2, 1, 1, 1], rib.UpdateGroups.Select(g => g.Members));
        Assert.Equal(rib.FindPeer(Address(0))!.UpdateGroupId, rib.FindPeer(Address(1))!.UpdateGroupId);
        Assert.Equal(4, rib.Peers.Select(p => p.UpdateGroupId).Distinct().Count());
    }

    /// <summary>A member that leaves frees what the stream kept for it; the last one drops the group and every
    /// attribute reference it held.</summary>
    [Fact]
    public void Members_leaving_free_the_stream_and_the_last_one_drops_the_group()
    {
        var rib = Reflector(clients: 3);
        var slow = Address(2);
        rib.Receive(Address(0), Enumerable.Range(0, 20).Select(n => (Nlri)Route(0, n)).ToList(), Attrs(), Address(0));
        rib.Process();
        rib.TakeOutbound(maxRoutesPerPeer: 5, canTake: a => a != slow);
        rib.TakeOutbound(maxRoutesPerPeer: 5, canTake: a => a != slow);
        Assert.True(Assert.Single(rib.UpdateGroups).Batches >= 2);

        rib.PeerDown(slow, retainStale: false);
        Assert.Equal(0, Assert.Single(rib.UpdateGroups).Batches);
        Assert.Equal(2, Assert.Single(rib.UpdateGroups).Members);

        rib.PeerDown(Address(1), retainStale: false);
        rib.PeerDown(Address(0), retainStale: false);
        rib.Process();

        Assert.Empty(rib.UpdateGroups);
        Assert.Equal(0, rib.Interner.Count);
    }
}
