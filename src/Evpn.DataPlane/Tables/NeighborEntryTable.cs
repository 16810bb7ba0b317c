using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tables;

/// <summary>Neighbor entries by (VNI, IP), packed: a 40-octet dictionary slot (a 24-octet key, the MAC, the
/// slot's hash and chain) where <c>(uint, IpAddr)</c> to an entry takes 80 (the key padded to 32 and the entry
/// repeating it).</summary>
internal sealed class NeighborEntryTable
{
    private readonly Dictionary<Key, MacAddress> _entries = [];

    /// <summary>(VNI, IP) in 24 octets: the address's words, with its family flag beside the VNI.</summary>
    private readonly record struct Key(AddressWords Ip, uint Vni, bool IsV6)
    {
        public static Key Of(uint vni, IpAddr ip) => new(AddressWords.Of(ip), vni, ip.IsV6);

        public NeighborEntry ToEntry(MacAddress mac) => new(Vni, Ip.ToAddress(IsV6), mac);
    }

    public int Count => _entries.Count;

    /// <summary>Every entry, rebuilt from its slot.</summary>
    public IEnumerable<NeighborEntry> Entries => _entries.Select(kv => kv.Key.ToEntry(kv.Value));

    /// <summary>Installs <paramref name="entry"/>, replacing the one with its key.</summary>
    public void Set(NeighborEntry entry) => _entries[Key.Of(entry.Vni, entry.Ip)] = entry.Mac;

    public bool Remove(uint vni, IpAddr ip) => _entries.Remove(Key.Of(vni, ip));

    public bool ContainsKey(uint vni, IpAddr ip) => _entries.ContainsKey(Key.Of(vni, ip));

    public bool TryGet(uint vni, IpAddr ip, out NeighborEntry entry)
    {
        var found = _entries.TryGetValue(Key.Of(vni, ip), out var mac);
        entry = found ? new NeighborEntry(vni, ip, mac) : default;
        return found;
    }
}
