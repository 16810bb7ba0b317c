using Evpn.Daemon.Speaker;

namespace Evpn.Daemon.Tests.Speaker;

/// <summary>A full collection when the table has lost an eighth of its high-water mark, counted again from
/// there; never for a small table.</summary>
public sealed class TableShrinkCollectorTests
{
    [Fact]
    public void A_growing_table_and_a_small_shrink_collect_nothing()
    {
        var collections = 0;
        var collector = new TableShrinkCollector(() => collections++);
        for (var size = 0; size <= 100_000; size += 1_000)
        {
            Assert.Null(collector.Observe(size));
        }
        Assert.Null(collector.Observe(90_000));
        Assert.Null(collector.Observe(87_501));
        Assert.Equal(0, collections);
    }

    [Fact]
    public void Each_lost_eighth_of_the_last_mark_collects_once()
    {
        var collections = 0;
        var collector = new TableShrinkCollector(() => collections++);
        collector.Observe(100_000);

        Assert.NotNull(collector.Observe(87_500));
        Assert.Null(collector.Observe(80_000));
        Assert.NotNull(collector.Observe(76_000));
        Assert.Equal(2, collections);

        // A withdraw-all in one step is one collection.
        collector.Observe(100_000);
        Assert.NotNull(collector.Observe(0));
        Assert.Equal(3, collections);
    }

    [Fact]
    public void A_table_that_never_reached_the_minimum_never_collects()
    {
        var collections = 0;
        var collector = new TableShrinkCollector(() => collections++);
        collector.Observe(TableShrinkCollector.MinimumTable - 1);
        Assert.Null(collector.Observe(0));
        Assert.Equal(0, collections);
    }
}
