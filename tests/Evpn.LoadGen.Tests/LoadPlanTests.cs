namespace Evpn.LoadGen.Tests;

public class LoadPlanTests
{
    private static readonly LoadOptions Options = new() { Routes = 10_000, Vnis = 100, Vteps = 4, Seed = 3 };

    [Fact]
    public void Same_options_give_the_same_routes_and_another_seed_other_ones()
    {
        var a = LoadPlan.Build(Options);
        var b = LoadPlan.Build(Options);
        var c = LoadPlan.Build(Options with { Seed = 4 });

        Assert.Equal(a.Initial, b.Initial);
        Assert.Equal(a.AfterMove, b.AfterMove);
        Assert.Equal(a.MovedIndexes, b.MovedIndexes);
        Assert.NotEqual(a.Initial.Select(r => r.VtepIndex), c.Initial.Select(r => r.VtepIndex));
        Assert.Empty(a.Initial.Select(r => r.Mac).Intersect(c.Initial.Select(r => r.Mac)));
    }

    [Fact]
    public void Spreads_unique_macs_evenly_over_the_vnis_and_over_every_vtep()
    {
        var plan = LoadPlan.Build(Options);

        Assert.Equal(10_000, plan.Initial.Select(r => r.Mac).Distinct().Count());
        Assert.All(plan.Initial.GroupBy(r => r.Vni), g => Assert.Equal(100, g.Count()));
        Assert.Equal(Enumerable.Range(1000, 100).Select(v => (uint)v), plan.Initial.Select(r => r.Vni).Distinct().Order());
        Assert.Equal([0, 1, 2, 3], plan.Initial.Select(r => r.VtepIndex).Distinct().Order());
        Assert.All(plan.Initial, r => Assert.Equal(0u, r.Sequence));
        Assert.All(plan.Initial, r => Assert.False(r.Mac.IsMulticast));
        var withIp = plan.Initial.Count(r => r.Ip is not null);
        Assert.InRange(withIp, 4_500, 5_500);
        Assert.Equal(withIp, plan.Initial.Where(r => r.Ip is not null).Select(r => r.Ip).Distinct().Count());
    }

    [Fact]
    public void Moves_the_asked_share_of_macs_to_the_move_vtep_with_a_higher_sequence()
    {
        var plan = LoadPlan.Build(Options);

        Assert.Equal(1_000, plan.MovedIndexes.Count);
        Assert.Equal(plan.MovedIndexes.Order(), plan.MovedIndexes);
        var moved = plan.MovedIndexes.ToHashSet();
        for (var i = 0; i < plan.Initial.Count; i++)
        {
            var before = plan.Initial[i];
            var after = plan.AfterMove[i];
            Assert.Equal(before.Mac, after.Mac);
            Assert.Equal(before.Vni, after.Vni);
            Assert.Equal(before.Ip, after.Ip);
            if (moved.Contains(i))
            {
                Assert.Equal(Options.Vteps, after.VtepIndex);
                Assert.Equal(before.Sequence + 1, after.Sequence);
            }
            else
            {
                Assert.Equal(before, after);
            }
        }
    }

    [Fact]
    public void Mac_only_and_no_moves_are_possible()
    {
        var plan = LoadPlan.Build(Options with { MacIpFraction = 0, MoveFraction = 0 });

        Assert.All(plan.Initial, r => Assert.Null(r.Ip));
        Assert.Empty(plan.MovedIndexes);
        Assert.Equal(plan.Initial, plan.AfterMove);
    }
}
