using System.Runtime.CompilerServices;

namespace Evpn.DataPlane.Tests;

/// <summary>The entries are held inline by the millions (intents, owned entries, read-backs): a field added or
/// reordered that grows one by 8 octets shows here rather than in a benchmark's bytes per route.</summary>
public sealed class EntryLayoutTests
{
    [Fact]
    public void Entries_pack_into_their_address_and_mac_words()
    {
        Assert.Equal(40, Unsafe.SizeOf<FdbEntry>());
        Assert.Equal(32, Unsafe.SizeOf<FloodEntry>());
        Assert.Equal(40, Unsafe.SizeOf<NeighborEntry>());
    }
}
