using Evpn.DataPlane;
using Evpn.KernelLimit;

namespace Evpn.LoadGen.Tests;

/// <summary>The kernel limit programs exactly the entries the load stands for: what evpnd must end with after each
/// phase, so the two are timed for the same work.</summary>
public class LimitPhasesTests
{
    private static readonly LoadOptions Options = new() { Routes = 2_000, Vnis = 10, Vteps = 3, Seed = 5 };

    [Fact]
    public void The_announce_holds_a_flood_entry_per_vni_and_vtep_an_fdb_entry_per_host_and_a_neighbor_per_mac_ip_host()
    {
        var plan = LoadPlan.Build(Options);
        var intents = new LimitPhases(plan).Announce();

        var floods = intents.OfType<DataPlaneIntent.AddFlood>().Select(i => i.Entry).ToList();
        Assert.Equal(Options.Vnis * Options.Vteps, floods.Distinct().Count());
        Assert.Equal(floods.Count, intents.TakeWhile(i => i is DataPlaneIntent.AddFlood).Count());
        var fdb = intents.OfType<DataPlaneIntent.AddFdb>().Select(i => i.Entry).ToList();
        Assert.Equal(plan.Initial.Select(h => (h.Vni, h.Mac, Options.Vtep(h.VtepIndex))), fdb.Select(e => (e.Vni, e.Mac, e.Vtep)));
        var neighbors = intents.OfType<DataPlaneIntent.AddNeighbor>().Select(i => i.Entry).ToList();
        Assert.Equal(plan.Initial.Where(h => h.Ip is not null).Select(h => (h.Vni, h.Ip!.Value, h.Mac)), neighbors.Select(n => (n.Vni, n.Ip, n.Mac)));
        Assert.Equal(floods.Count + fdb.Count + neighbors.Count, intents.Count);
    }

    [Fact]
    public void The_move_points_only_the_moved_macs_at_the_move_vtep()
    {
        var plan = LoadPlan.Build(Options);
        var intents = new LimitPhases(plan).Move();

        Assert.Equal(Options.MovedCount, intents.Count);
        var moved = intents.Cast<DataPlaneIntent.AddFdb>().Select(i => i.Entry).ToList();
        Assert.All(moved, e => Assert.Equal(Options.MoveVtep, e.Vtep));
        Assert.Equal(plan.MovedIndexes.Select(i => plan.Initial[i].Mac), moved.Select(e => e.Mac));
    }

    [Fact]
    public void The_withdraw_all_removes_everything_the_table_holds_after_the_move()
    {
        var plan = LoadPlan.Build(Options);
        var phases = new LimitPhases(plan);
        var installed = phases.Announce().Select(Key).ToHashSet();
        foreach (var move in phases.Move())
        {
            var entry = ((DataPlaneIntent.AddFdb)move).Entry;
            installed.RemoveWhere(k => k.Kind == "fdb" && k.Vni == entry.Vni && k.Id == entry.Mac.ToString());
            installed.Add(Key(move));
        }

        var removed = phases.WithdrawAll();

        Assert.All(removed, i => Assert.True(i.IsRemoval()));
        Assert.Equal(installed, removed.Select(Key).ToHashSet());
        Assert.Equal(installed.Count, removed.Count);
    }

    [Fact]
    public void The_warm_up_touches_no_host_of_the_plan_and_leaves_nothing_behind()
    {
        var plan = LoadPlan.Build(Options);
        var warmUp = new LimitPhases(plan).WarmUp();

        var keys = warmUp.Select(Key).ToList();
        Assert.Equal(keys.Where((_, i) => !warmUp[i].IsRemoval()).ToHashSet(), keys.Where((_, i) => warmUp[i].IsRemoval()).ToHashSet());
        Assert.DoesNotContain(warmUp.OfType<DataPlaneIntent.AddFdb>().Single().Entry.Mac, plan.Initial.Select(h => h.Mac));
    }

    private static (string Kind, uint Vni, string Id, string Target) Key(DataPlaneIntent intent) => intent switch
    {
        DataPlaneIntent.AddFdb a => ("fdb", a.Entry.Vni, a.Entry.Mac.ToString(), a.Entry.Vtep.ToString()),
        DataPlaneIntent.RemoveFdb r => ("fdb", r.Entry.Vni, r.Entry.Mac.ToString(), r.Entry.Vtep.ToString()),
        DataPlaneIntent.AddFlood a => ("flood", a.Entry.Vni, a.Entry.Vtep.ToString(), ""),
        DataPlaneIntent.RemoveFlood r => ("flood", r.Entry.Vni, r.Entry.Vtep.ToString(), ""),
        DataPlaneIntent.AddNeighbor a => ("neighbor", a.Entry.Vni, a.Entry.Ip.ToString(), a.Entry.Mac.ToString()),
        DataPlaneIntent.RemoveNeighbor r => ("neighbor", r.Entry.Vni, r.Entry.Ip.ToString(), r.Entry.Mac.ToString()),
        _ => throw new ArgumentOutOfRangeException(nameof(intent)),
    };
}
