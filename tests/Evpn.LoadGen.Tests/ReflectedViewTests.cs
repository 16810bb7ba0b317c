using System.Collections.Immutable;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen.Tests;

/// <summary>One reflector client's view of the plan: what counts as converged, and the faults it counts.</summary>
public class ReflectedViewTests
{
    private static readonly LoadOptions Options = new()
    {
        Sessions = 3, Originators = 2, Routes = 10, Vnis = 2, Vteps = 2, Type3 = false, FirstLocal = IpAddr.Parse("127.1.0.1"),
    };

    private static readonly ReflectorLayout Layout = new(Options);
    private static readonly LoadPlan Plan = LoadPlan.Build(Options);
    private static readonly RouteEncoding Encoding = new(Options, external: false);

    private static UpdateMessage Reflected(int index, IpAddr? originatorId, bool clusterList = true) =>
        Reflected(Plan.Initial[index], originatorId, clusterList);

    private static UpdateMessage Reflected(GeneratedRoute route, IpAddr? originatorId, bool clusterList = true) =>
        UpdateMessage.Announce(AfiSafi.L2vpnEvpn, Options.Vtep(route.VtepIndex),
            Encoding.Attributes(route.Vni, route.Sequence) with
            {
                OriginatorId = originatorId,
                ClusterList = clusterList ? new EquatableArray<IpAddr>(ImmutableArray.Create(IpAddr.Parse("10.99.0.1"))) : EquatableArray<IpAddr>.Empty,
            },
            new EquatableArray<Nlri>(ImmutableArray.Create(Encoding.Type2(route))));

    private static UpdateMessage Withdrawn(GeneratedRoute route) =>
        UpdateMessage.Withdraw(AfiSafi.L2vpnEvpn, new EquatableArray<Nlri>(ImmutableArray.Create(Encoding.Type2(route))));

    [Fact]
    public void Ranges_split_the_routes_and_each_originator_expects_all_but_its_own()
    {
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], Enumerable.Range(0, 10).Select(Layout.OwnerOfType2));
        Assert.Equal(5, Layout.ExpectedAt(0));
        Assert.Equal(5, Layout.ExpectedAt(1));
        Assert.Equal(10, Layout.ExpectedAt(2));
        Assert.Equal(IpAddr.Parse("127.1.0.3"), Layout.Address(2));
    }

    [Fact]
    public void A_client_converges_with_every_other_route_and_the_end_of_rib()
    {
        var view = new ReflectedView(Layout, 0);
        for (var i = 5; i < 10; i++)
        {
            view.Receive(Reflected(i, Layout.RouterId(1)));
        }
        Assert.Equal(5, view.Held);
        Assert.False(view.Converged.IsCompleted);

        view.Receive(EndOfRib.For(AfiSafi.L2vpnEvpn));

        Assert.True(view.Converged.IsCompletedSuccessfully);
        Assert.Equal(0, view.OwnRoutesBack + view.BadReflectionAttributes + view.ForeignRoutes);
    }

    [Fact]
    public void A_route_of_its_own_back_is_ignored_and_counted_and_wrong_reflection_attributes_are_faults()
    {
        var view = new ReflectedView(Layout, 0);

        view.Receive(Reflected(0, Layout.RouterId(0)));
        view.Receive(Reflected(1, Layout.RouterId(1)));
        view.Receive(Reflected(5, Layout.RouterId(2)));
        view.Receive(Reflected(6, Layout.RouterId(1), clusterList: false));

        Assert.Equal(1, view.OwnRoutesBack);
        Assert.Equal(3, view.BadReflectionAttributes);
        Assert.Equal(2, view.Held);
    }

    [Fact]
    public void After_a_move_a_client_converges_once_it_holds_the_new_routes_of_others_and_none_of_the_old()
    {
        var moving = Plan.MovedIndexes.Single();
        var (from, to) = (Layout.OwnerOfType2(moving), Layout.MoveOwnerOfType2(moving));
        Assert.Equal(1 - from, to);
        var others = new ReflectedView(Layout, 2);
        var oldOwner = new ReflectedView(Layout, from);
        var newOwner = new ReflectedView(Layout, to);
        foreach (var i in Enumerable.Range(0, 10))
        {
            var announced = Reflected(i, Layout.RouterId(Layout.OwnerOfType2(i)));
            others.Receive(announced);
            (Layout.OwnerOfType2(i) == from ? newOwner : oldOwner).Receive(announced);
        }
        foreach (var view in new[] { others, oldOwner, newOwner })
        {
            view.ExpectMove(Plan.MovedIndexes);
        }
        Assert.False(others.MoveConverged.IsCompleted);

        var moved = Reflected(Plan.AfterMove[moving], Layout.RouterId(to));
        foreach (var view in new[] { others, oldOwner, newOwner })
        {
            view.Receive(moved);
        }
        Assert.False(others.MoveConverged.IsCompleted);
        Assert.True(oldOwner.MoveConverged.IsCompletedSuccessfully);
        Assert.Equal(1, newOwner.OwnRoutesBack);

        others.Receive(Withdrawn(Plan.Initial[moving]));
        newOwner.Receive(Withdrawn(Plan.Initial[moving]));

        Assert.True(others.MoveConverged.IsCompletedSuccessfully);
        Assert.True(newOwner.MoveConverged.IsCompletedSuccessfully);
        Assert.Equal((9, 1), (others.Held, others.HeldMoved));
        Assert.Equal((4, 0), (newOwner.Held, newOwner.HeldMoved));
        Assert.Equal(0, others.BadReflectionAttributes + oldOwner.BadReflectionAttributes + newOwner.BadReflectionAttributes);
    }

    [Fact]
    public void Across_a_reflector_restart_routes_stay_as_stale_and_its_end_of_rib_removes_those_not_sent_again()
    {
        var view = new ReflectedView(Layout, 2);
        for (var i = 0; i < 10; i++)
        {
            view.Receive(Reflected(i, Layout.RouterId(Layout.OwnerOfType2(i))));
        }
        view.Receive(EndOfRib.For(AfiSafi.L2vpnEvpn));

        view.MarkStale();

        Assert.Equal(10, view.Held);
        Assert.False(view.HasEndOfRib);
        for (var i = 0; i < 8; i++)
        {
            view.Receive(Reflected(i, Layout.RouterId(Layout.OwnerOfType2(i))));
        }
        Assert.Equal(10, view.Held);
        Assert.False(view.Restarted.IsCompleted);

        view.Receive(EndOfRib.For(AfiSafi.L2vpnEvpn));

        Assert.Equal(8, view.Held);
        Assert.Equal(2, view.StalePurged);
        Assert.False(view.Restarted.IsCompleted);

        view.Receive(Reflected(8, Layout.RouterId(1)));
        view.Receive(Reflected(9, Layout.RouterId(1)));

        Assert.True(view.Restarted.IsCompletedSuccessfully);
        Assert.Equal(2, view.StalePurged);
    }

    [Fact]
    public void A_client_whose_every_route_came_again_before_the_end_of_rib_lost_none()
    {
        var view = new ReflectedView(Layout, 0);
        for (var i = 5; i < 10; i++)
        {
            view.Receive(Reflected(i, Layout.RouterId(1)));
        }
        view.MarkStale();
        for (var i = 5; i < 10; i++)
        {
            view.Receive(Reflected(i, Layout.RouterId(1)));
        }

        view.Receive(EndOfRib.For(AfiSafi.L2vpnEvpn));

        Assert.True(view.Restarted.IsCompletedSuccessfully);
        Assert.Equal((5, 0), (view.Held, view.StalePurged));
    }

    [Fact]
    public void A_withdrawal_takes_the_route_away_again()
    {
        var view = new ReflectedView(Layout, 2);
        view.Receive(Reflected(3, Layout.RouterId(0)));

        view.Receive(UpdateMessage.Withdraw(AfiSafi.L2vpnEvpn, new EquatableArray<Nlri>(ImmutableArray.Create(Encoding.Type2(Plan.Initial[3])))));

        Assert.Equal(0, view.Held);
    }
}
