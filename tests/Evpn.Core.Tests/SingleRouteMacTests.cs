using Evpn.DataPlane;
using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>A MAC known from one remote route is kept without a MAC entry and imported by a shorter path
/// (see MacTable). These cases cross between that form and the general one; each must give the
/// intents and views the general reconciliation gives.</summary>
public class SingleRouteMacTests
{
    private const string M = "52:54:00:bb:00:01";

    [Fact]
    public void The_same_route_again_with_other_attributes_changes_only_what_changed()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20");
        lab.Intents();
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20", sequence: 1);
        Assert.Empty(lab.Intents());
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20", sequence: 1, sticky: true);
        Assert.Equal([AddFdb(100, M, "10.0.0.2", sticky: true)], lab.Intents());
        lab.Withdraw("10.0.0.2", 100, M, "192.0.2.20");
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2", sticky: true), RemoveNeighbor(100, "192.0.2.20", M)], lab.Intents());
        Assert.Empty(lab.Core.Queries.Macs(100));
    }

    [Fact]
    public void A_move_to_another_vtep_and_back_to_one_route_keeps_following_the_winner()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20");
        lab.Intents();
        lab.Advertise("10.0.0.3", 100, M, "192.0.2.20", sequence: 1);
        Assert.Equal([AddFdb(100, M, "10.0.0.3")], lab.Intents());
        Assert.Equal(1, lab.Core.Queries.FindMac(100, Mac(M))!.Moves);
        lab.Withdraw("10.0.0.2", 100, M, "192.0.2.20");
        Assert.Empty(lab.Intents());
        lab.Withdraw("10.0.0.3", 100, M, "192.0.2.20");
        Assert.Equal([RemoveFdb(100, M, "10.0.0.3"), RemoveNeighbor(100, "192.0.2.20", M)], lab.Intents());
        Assert.Null(lab.Core.Queries.FindMac(100, Mac(M)));
    }

    [Fact]
    public void Without_a_move_history_the_remaining_route_is_withdrawn_as_a_single_route()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, M);
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20");
        lab.Intents();
        lab.Withdraw("10.0.0.2", 100, M);
        Assert.Empty(lab.Intents());
        lab.Withdraw("10.0.0.2", 100, M, "192.0.2.20");
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2"), RemoveNeighbor(100, "192.0.2.20", M)], lab.Intents());
    }

    [Fact]
    public void A_vni_going_down_and_up_removes_and_reinstalls_single_route_macs()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20");
        lab.Intents();
        lab.Core.Apply(new DataPlaneEvent.VniDown(100));
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2"), RemoveNeighbor(100, "192.0.2.20", M)], lab.Intents());
        lab.VniUp(100);
        Assert.Equal([AddFdb(100, M, "10.0.0.2"), AddNeighbor(100, "192.0.2.20", M)], lab.Intents());
        lab.Withdraw("10.0.0.2", 100, M, "192.0.2.20");
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2"), RemoveNeighbor(100, "192.0.2.20", M)], lab.Intents());
    }

    [Fact]
    public void An_ip_claimed_by_two_macs_is_removed_only_by_the_mac_it_is_installed_for()
    {
        var lab = WithVniAndTwoVteps();
        const string other = "52:54:00:bb:00:02";
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20");
        lab.Advertise("10.0.0.3", 100, other, "192.0.2.20");
        Assert.Equal([AddFdb(100, M, "10.0.0.2"), AddNeighbor(100, "192.0.2.20", M), AddFdb(100, other, "10.0.0.3"), AddNeighbor(100, "192.0.2.20", other)],
            lab.Intents());
        lab.Withdraw("10.0.0.2", 100, M, "192.0.2.20");
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2")], lab.Intents());
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20", sequence: 2);
        Assert.Equal([AddFdb(100, M, "10.0.0.2"), AddNeighbor(100, "192.0.2.20", M)], lab.Intents());
        lab.Advertise("10.0.0.3", 100, other, "192.0.2.20", sequence: 1);
        Assert.Equal([AddNeighbor(100, "192.0.2.20", other)], lab.Intents());
    }

    [Fact]
    public void A_local_learn_of_a_single_route_mac_moves_it_here_and_its_removal_moves_it_back()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20", sequence: 3);
        lab.Intents();
        lab.LearnLocal(100, M);
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2"), RemoveNeighbor(100, "192.0.2.20", M)], lab.Intents());
        Assert.Equal(4u, lab.Core.Queries.FindMac(100, Mac(M))!.Sequence);
        lab.RemoveLocal(100, M);
        Assert.Equal([AddFdb(100, M, "10.0.0.2"), AddNeighbor(100, "192.0.2.20", M)], lab.Intents());
        lab.Withdraw("10.0.0.2", 100, M, "192.0.2.20");
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2"), RemoveNeighbor(100, "192.0.2.20", M)], lab.Intents());
    }

    [Fact]
    public void Show_commands_see_single_route_macs()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.20", sequence: 2);
        var view = Assert.Single(lab.Core.Queries.Macs(100));
        Assert.Equal((MacLocation.Remote, Ip("10.0.0.2"), 2u), (view.Location, view.Vtep!.Value, view.Sequence));
        Assert.Equal([Ip("192.0.2.20")], view.Ips);
        Assert.Equal(view.Sequence, lab.Core.Queries.FindMac(100, Mac(M))!.Sequence);
        var vni = Assert.Single(lab.Core.Queries.Vnis());
        Assert.Equal((0, 1), (vni.LocalMacs, vni.RemoteMacs));
        var explanation = lab.Core.Queries.Explain(Mac(M), 100);
        Assert.Equal(Ip("10.0.0.2"), Assert.Single(explanation.Candidates).Vtep);
        Assert.True(explanation.Winner!.IsWinner);
    }
}
