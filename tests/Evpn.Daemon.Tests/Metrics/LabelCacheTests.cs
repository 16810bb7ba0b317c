using Evpn.Daemon.Metrics;

namespace Evpn.Daemon.Tests.Metrics;

public sealed class LabelCacheTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Tags_seen_before_give_the_same_labels_and_boxed_values_compare_by_value()
    {
        var cache = new LabelCache();
        var first = cache.Get([Tag("peer", "10.0.0.2"), Tag("code", 6)]);
        var again = cache.Get([Tag("peer", "10.0.0.2"), Tag("code", 6)]);
        Assert.Equal("code=\"6\",peer=\"10.0.0.2\"", first.Rendered);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Different_values_order_or_count_are_told_apart()
    {
        var cache = new LabelCache();
        Assert.Equal("code=\"7\",peer=\"10.0.0.2\"", cache.Get([Tag("peer", "10.0.0.2"), Tag("code", 7)]).Rendered);
        Assert.Equal("code=\"7\",peer=\"10.0.0.3\"", cache.Get([Tag("code", 7), Tag("peer", "10.0.0.3")]).Rendered);
        Assert.Equal("peer=\"10.0.0.2\"", cache.Get([Tag("peer", "10.0.0.2")]).Rendered);
        Assert.Equal("peer=\"\"", cache.Get([Tag("peer", null)]).Rendered);
        Assert.Equal(LabelSet.None, cache.Get([]));
    }

    [Fact]
    public void A_sweep_drops_the_label_sets_not_used_since_the_last_one()
    {
        var cache = new LabelCache();
        cache.Get([Tag("peer", "10.0.0.2")]);
        cache.Get([Tag("peer", "10.0.0.3")]);
        cache.Sweep();
        Assert.Equal(2, cache.Count);

        cache.Get([Tag("peer", "10.0.0.2")]);
        cache.Sweep();

        Assert.Equal(1, cache.Count);
        Assert.Equal("peer=\"10.0.0.3\"", cache.Get([Tag("peer", "10.0.0.3")]).Rendered);
        Assert.Equal(2, cache.Count);
    }
}
