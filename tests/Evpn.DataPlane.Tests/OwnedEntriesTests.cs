using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tests;

public sealed class OwnedEntriesTests
{
    private static readonly IpAddr VtepV4 = IpAddr.Parse("10.0.0.2");
    private static readonly IpAddr VtepV6 = IpAddr.Parse("fd00::2:0:0:1");
    private static readonly MacAddress Mac1 = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress Mac2 = MacAddress.Parse("02:00:00:00:00:02");

    [Fact]
    public void Entries_read_back_as_set_with_either_address_family_and_the_sticky_flag()
    {
        var owned = new OwnedEntries();
        var v6Sticky = new FdbEntry(100, Mac1, VtepV6, sticky: true);
        var v4 = new FdbEntry(16_777_215, Mac2, VtepV4);
        var neighborV6 = new NeighborEntry(100, IpAddr.Parse("fd00:1::ffff:5"), Mac1);
        var neighborV4 = new NeighborEntry(100, IpAddr.Parse("10.1.0.5"), Mac2);
        owned.Set(v6Sticky);
        owned.Set(v4);
        owned.Set(neighborV6);
        owned.Set(neighborV4);

        Assert.True(owned.TryGetFdb(100, Mac1, out var readV6));
        Assert.Equal(v6Sticky, readV6);
        Assert.True(owned.TryGetFdb(16_777_215, Mac2, out var readV4));
        Assert.Equal(v4, readV4);
        Assert.True(owned.TryGetNeighbor(100, neighborV6.Ip, out var readNeighbor));
        Assert.Equal(neighborV6, readNeighbor);
        Assert.False(owned.TryGetFdb(100, Mac2, out _));
        Assert.False(owned.TryGetNeighbor(200, neighborV4.Ip, out _));
        var intended = owned.Intended([]);
        Assert.Equal(new HashSet<FdbEntry> { v6Sticky, v4 }, intended.Fdb.ToHashSet());
        Assert.Equal(new HashSet<NeighborEntry> { neighborV6, neighborV4 }, intended.Neighbors.ToHashSet());
    }

    [Fact]
    public void Adopted_entries_are_stale_until_set_again_and_only_the_stale_ones_are_swept()
    {
        var owned = new OwnedEntries();
        var kept = new FdbEntry(100, Mac1, VtepV4);
        var gone = new FdbEntry(100, Mac2, VtepV4);
        var keptFlood = new FloodEntry(100, VtepV4);
        var goneFlood = new FloodEntry(100, VtepV6);
        var keptNeighbor = new NeighborEntry(100, IpAddr.Parse("10.1.0.5"), Mac1);
        var goneNeighbor = new NeighborEntry(100, IpAddr.Parse("10.1.0.6"), Mac2);
        foreach (var e in new[] { kept, gone })
        {
            owned.Adopt(e);
        }
        owned.Adopt(keptFlood);
        owned.Adopt(goneFlood);
        owned.Adopt(keptNeighbor);
        owned.Adopt(goneNeighbor);

        var moved = kept with { Vtep = VtepV6 };
        owned.Set(moved);
        owned.Set(keptFlood);
        owned.Set(keptNeighbor);

        Assert.Equal(6, owned.Count);
        Assert.True(owned.TryGetFdb(100, Mac2, out var stale));
        Assert.Equal(gone, stale);
        Assert.Equal(
            new HashSet<DataPlaneIntent>
            {
                new DataPlaneIntent.RemoveFdb(gone), new DataPlaneIntent.RemoveFlood(goneFlood), new DataPlaneIntent.RemoveNeighbor(goneNeighbor),
            },
            owned.StaleRemovals().ToHashSet());
        // Intended: what was set since start; the stale entries are owned but not asked for.
        var intended = owned.Intended([]);
        Assert.Equal(new HashSet<FdbEntry> { moved }, intended.Fdb.ToHashSet());
        Assert.Equal(new HashSet<FloodEntry> { keptFlood }, intended.Flood.ToHashSet());
        Assert.Equal(new HashSet<NeighborEntry> { keptNeighbor }, intended.Neighbors.ToHashSet());

        foreach (var removal in owned.StaleRemovals())
        {
            owned.Record(removal);
        }
        Assert.Equal(3, owned.Count);
        Assert.Empty(owned.StaleRemovals());
        Assert.False(owned.TryGetFdb(100, Mac2, out _));
    }

    [Fact]
    public void Intended_is_the_fresh_entries_overlaid_with_the_unapplied_intents()
    {
        var owned = new OwnedEntries();
        var stale = new FdbEntry(100, Mac2, VtepV4);
        var applied = new FdbEntry(100, Mac1, VtepV4);
        var neighbor = new NeighborEntry(100, IpAddr.Parse("fd00:1::5"), Mac1);
        var flood = new FloodEntry(100, VtepV4);
        owned.Adopt(stale);
        owned.Set(applied);
        owned.Set(neighbor);
        owned.Set(flood);
        var waiting = new NeighborEntry(200, IpAddr.Parse("10.1.0.9"), Mac2);

        var intended = owned.Intended(
        [
            new DataPlaneIntent.AddFdb(applied with { Vtep = VtepV6 }),
            new DataPlaneIntent.RemoveNeighbor(neighbor),
            new DataPlaneIntent.AddNeighbor(waiting),
            new DataPlaneIntent.RemoveFlood(flood),
        ]);

        Assert.Equal([applied with { Vtep = VtepV6 }], intended.Fdb);
        Assert.Equal([waiting], intended.Neighbors);
        Assert.Empty(intended.Flood);
    }
}
