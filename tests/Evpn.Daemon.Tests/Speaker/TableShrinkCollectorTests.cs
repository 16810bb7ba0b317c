using Evpn.Daemon.Speaker;

namespace Evpn.Daemon.Tests.Speaker;

/// <summary>One full collection after the table has lost an eighth of its high-water mark, once it has stopped
/// changing between two ticks and the data plane is idle; never for a small table.</summary>
public sealed class TableShrinkCollectorTests
{
    [Fact]
    public void A_growing_table_and_a_small_shrink_collect_nothing()
    {
        var collections = 0;
        var collector = new TableShrinkCollector(() => collections++);
        for (var size = 0; size <= 100_000; size += 1_000)
        {
            collector.Observe(size);
        }
        collector.Observe(90_000);
        collector.Observe(87_501);
        Assert.Null(collector.CollectIfSettled(87_501, writerIdle: true));
        Assert.Null(collector.CollectIfSettled(87_501, writerIdle: true));
        Assert.Equal(0, collections);
    }

    [Fact]
    public void A_withdrawal_collects_once_after_it_ends_not_while_the_table_shrinks()
    {
        var collections = 0;
        var collector = new TableShrinkCollector(() => collections++);
        collector.Observe(100_000);

        // Every tick during the withdrawal sees a smaller table than the tick before.
        for (var size = 90_000; size >= 0; size -= 10_000)
        {
            collector.Observe(size);
            Assert.Null(collector.CollectIfSettled(size, writerIdle: true));
        }
        Assert.NotNull(collector.CollectIfSettled(0, writerIdle: true));
        Assert.Null(collector.CollectIfSettled(0, writerIdle: true));
        Assert.Equal(1, collections);
    }

    [Fact]
    public void A_settled_table_waits_for_the_data_plane_to_take_its_intents()
    {
        var collections = 0;
        var collector = new TableShrinkCollector(() => collections++);
        collector.Observe(100_000);
        collector.Observe(50_000);
        collector.CollectIfSettled(50_000, writerIdle: false);

        Assert.Null(collector.CollectIfSettled(50_000, writerIdle: false));
        Assert.NotNull(collector.CollectIfSettled(50_000, writerIdle: true));
        Assert.Equal(1, collections);

        // Counted again from the table it collected at.
        collector.Observe(43_000);
        Assert.Null(collector.CollectIfSettled(43_000, writerIdle: true));
        Assert.NotNull(collector.CollectIfSettled(43_000, writerIdle: true));
        Assert.Equal(2, collections);
    }

    [Fact]
    public void A_table_that_never_reached_the_minimum_never_collects()
    {
        var collections = 0;
        var collector = new TableShrinkCollector(() => collections++);
        collector.Observe(TableShrinkCollector.MinimumTable - 1);
        collector.Observe(0);
        collector.CollectIfSettled(0, writerIdle: true);
        Assert.Null(collector.CollectIfSettled(0, writerIdle: true));
        Assert.Equal(0, collections);
    }
}
