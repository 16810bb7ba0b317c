using Evpn.DataPlane.Tables;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tests;

public sealed class PackedTablesTests
{
    private static readonly IpAddr VtepA = IpAddr.Parse("10.0.0.2");
    private static readonly IpAddr VtepB = IpAddr.Parse("fd00::2:0:0:1");
    private static readonly IpAddr VtepC = IpAddr.Parse("10.0.0.4");

    [Fact]
    public void A_vtep_no_entry_uses_is_dropped_and_its_index_reused()
    {
        var vteps = new VtepTable();
        var a = vteps.Acquire(VtepA);
        Assert.Equal(a, vteps.Acquire(VtepA));
        var b = vteps.Acquire(VtepB);

        vteps.Release(a);
        Assert.Equal(VtepA, vteps[a]);
        vteps.Release(a);
        var c = vteps.Acquire(VtepC);

        Assert.Equal(a, c);
        Assert.Equal(VtepC, vteps[c]);
        Assert.Equal(VtepB, vteps[b]);
        Assert.NotEqual(a, vteps.Acquire(VtepA));
    }

    [Fact]
    public void Fdb_entries_read_back_as_set_through_moves_and_removals()
    {
        var fdb = new FdbTable();
        var moving = new FdbEntry(100, new MacAddress(1), VtepA);
        var staying = new FdbEntry(16_777_215, new MacAddress(0xFFFF_FFFF_FFFF), VtepB, sticky: true);
        fdb.Set(moving);
        fdb.Set(staying);
        // The only entry toward VtepA re-set toward it: the address must survive its own replacement.
        fdb.Set(moving);
        Assert.True(fdb.TryGet(100, moving.Mac, out var same));
        Assert.Equal(moving, same);

        var moved = moving with { Vtep = VtepC };
        fdb.Set(moved);

        Assert.Equal(2, fdb.Count);
        Assert.True(fdb.TryGet(100, moving.Mac, out var read));
        Assert.Equal(moved, read);
        Assert.Equal(new HashSet<FdbEntry> { moved, staying }, fdb.Entries.ToHashSet());
        Assert.True(fdb.Remove(100, moving.Mac));
        Assert.False(fdb.Remove(100, moving.Mac));
        Assert.False(fdb.ContainsKey(100, moving.Mac));
        Assert.False(fdb.TryGet(100, moving.Mac, out _));
        Assert.Equal([staying], fdb.Entries);
    }

    [Fact]
    public void A_remote_vni_reads_back_beside_the_sticky_flag_and_one_equal_to_the_vni_is_none()
    {
        var fdb = new FdbTable();
        var downstream = new FdbEntry(100, new MacAddress(1), VtepA, sticky: true, remoteVni: 16_777_215);
        var same = new FdbEntry(200, new MacAddress(2), VtepA, remoteVni: 200);
        fdb.Set(downstream);
        fdb.Set(same);

        Assert.True(fdb.TryGet(100, downstream.Mac, out var read));
        Assert.Equal(downstream, read);
        Assert.True(read.Sticky);
        Assert.True(read.HasRemoteVni);
        Assert.Equal(16_777_215u, read.RemoteVni);
        Assert.True(fdb.TryGet(200, same.Mac, out var plain));
        Assert.Equal(new FdbEntry(200, same.Mac, VtepA), plain);
        Assert.False(plain.HasRemoteVni);
        Assert.Equal(200u, plain.RemoteVni);
        Assert.NotEqual(new FdbEntry(100, downstream.Mac, VtepA, sticky: true), downstream);
        Assert.Equal(new FloodEntry(300, VtepA, 300), new FloodEntry(300, VtepA));
        Assert.Equal(301u, new FloodEntry(300, VtepA, 301).RemoteVni);
    }

    [Fact]
    public void Neighbor_entries_of_either_family_read_back_as_set()
    {
        var neighbors = new NeighborEntryTable();
        var v4 = new NeighborEntry(100, IpAddr.Parse("10.1.0.5"), new MacAddress(5));
        var v6 = new NeighborEntry(100, IpAddr.Parse("::a01:5"), new MacAddress(6));
        neighbors.Set(v4);
        neighbors.Set(v6);
        neighbors.Set(v4 with { Mac = new MacAddress(7) });

        // ::a01:5 and 10.1.0.5 share their low word: the family tells them apart.
        Assert.Equal(2, neighbors.Count);
        Assert.True(neighbors.TryGet(100, v4.Ip, out var readV4));
        Assert.Equal(v4 with { Mac = new MacAddress(7) }, readV4);
        Assert.True(neighbors.TryGet(100, v6.Ip, out var readV6));
        Assert.Equal(v6, readV6);
        Assert.False(neighbors.ContainsKey(200, v4.Ip));
        Assert.True(neighbors.Remove(100, v6.Ip));
        Assert.Equal([v4 with { Mac = new MacAddress(7) }], neighbors.Entries);
    }
}
