using System.Runtime.InteropServices;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tables;

/// <summary>FDB entries by (VNI, MAC), packed for tables that hold one per remote MAC of the network: a
/// 32-octet dictionary slot (the 16-octet key, the VTEP's index and the remote VNI with the sticky flag in 8, the slot's hash and
/// chain in 8) where an entry repeats the key and carries the whole address (40 octets, plus the key).</summary>
internal sealed class FdbTable
{
    private readonly Dictionary<(uint Vni, MacAddress Mac), Target> _entries = [];
    private readonly VtepTable _vteps = new();

    private readonly record struct Target(int Vtep, uint Remote);

    public int Count => _entries.Count;

    /// <summary>Every entry, rebuilt from its slot.</summary>
    public IEnumerable<FdbEntry> Entries => _entries.Select(kv => ToEntry(kv.Key, kv.Value));

    /// <summary>Installs <paramref name="entry"/>, replacing the one with its key.</summary>
    public void Set(FdbEntry entry)
    {
        // The new VTEP is counted before the old one is released: re-setting an entry toward the only user of
        // its VTEP must not drop the address in between.
        var vtep = _vteps.Acquire(entry.Vtep);
        ref var target = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, (entry.Vni, entry.Mac), out var existed);
        if (existed)
        {
            _vteps.Release(target.Vtep);
        }
        target = new Target(vtep, entry.Packed);
    }

    public bool Remove(uint vni, MacAddress mac)
    {
        if (!_entries.Remove((vni, mac), out var target))
        {
            return false;
        }
        _vteps.Release(target.Vtep);
        return true;
    }

    public bool ContainsKey(uint vni, MacAddress mac) => _entries.ContainsKey((vni, mac));

    /// <summary>Whether an entry points to <paramref name="vtep"/>.</summary>
    public bool UsesVtep(IpAddr vtep) => _vteps.Contains(vtep);

    /// <summary>Releases the storage an emptied table was sized for.</summary>
    public void TrimExcess() => _entries.TrimExcess();

    public bool TryGet(uint vni, MacAddress mac, out FdbEntry entry)
    {
        var found = _entries.TryGetValue((vni, mac), out var target);
        entry = found ? ToEntry((vni, mac), target) : default;
        return found;
    }

    private FdbEntry ToEntry((uint Vni, MacAddress Mac) key, Target target) => FdbEntry.FromPacked(key.Vni, key.Mac, _vteps[target.Vtep], target.Remote);
}
