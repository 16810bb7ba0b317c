using Evpn.Wire.Model;

namespace Evpn.DataPlane;

/// <summary>The remote entries evpnd owns in the data plane, each marked stale or fresh.</summary>
/// <remarks>
///   Restart without traffic loss: entries found at start (extern_learn, left by the previous run) are
///   adopted as stale; an intent that re-installs the same key makes it fresh; the sweep removes the
///   rest. Owned by the data-plane writer (one caller at a time); not thread-safe by itself.
/// </remarks>
public sealed class OwnedEntries
{
    private readonly Dictionary<(uint Vni, MacAddress Mac), (FdbEntry Entry, bool Stale)> _fdb = [];
    private readonly Dictionary<FloodEntry, bool> _flood = [];
    private readonly Dictionary<(uint Vni, IpAddr Ip), (NeighborEntry Entry, bool Stale)> _neighbors = [];

    public int Count => _fdb.Count + _flood.Count + _neighbors.Count;

    public void Adopt(FdbEntry entry) => _fdb[(entry.Vni, entry.Mac)] = (entry, true);
    public void Adopt(FloodEntry entry) => _flood[entry] = true;
    public void Adopt(NeighborEntry entry) => _neighbors[(entry.Vni, entry.Ip)] = (entry, true);

    public void Set(FdbEntry entry) => _fdb[(entry.Vni, entry.Mac)] = (entry, false);
    public void Set(FloodEntry entry) => _flood[entry] = false;
    public void Set(NeighborEntry entry) => _neighbors[(entry.Vni, entry.Ip)] = (entry, false);

    public bool TryGetFdb(uint vni, MacAddress mac, out FdbEntry entry)
    {
        var found = _fdb.TryGetValue((vni, mac), out var value);
        entry = value.Entry;
        return found;
    }

    public bool TryGetNeighbor(uint vni, IpAddr ip, out NeighborEntry entry)
    {
        var found = _neighbors.TryGetValue((vni, ip), out var value);
        entry = value.Entry;
        return found;
    }

    public void Remove(FdbEntry entry) => _fdb.Remove((entry.Vni, entry.Mac));
    public void Remove(FloodEntry entry) => _flood.Remove(entry);
    public void Remove(NeighborEntry entry) => _neighbors.Remove((entry.Vni, entry.Ip));

    /// <summary>Records the effect of an intent that the data plane applied.</summary>
    public void Record(DataPlaneIntent applied)
    {
        switch (applied)
        {
            case DataPlaneIntent.AddFdb a: Set(a.Entry); break;
            case DataPlaneIntent.RemoveFdb r: Remove(r.Entry); break;
            case DataPlaneIntent.AddFlood a: Set(a.Entry); break;
            case DataPlaneIntent.RemoveFlood r: Remove(r.Entry); break;
            case DataPlaneIntent.AddNeighbor a: Set(a.Entry); break;
            case DataPlaneIntent.RemoveNeighbor r: Remove(r.Entry); break;
        }
    }

    /// <summary>The removals that would delete every entry still stale.</summary>
    public IReadOnlyList<DataPlaneIntent> StaleRemovals()
    {
        var removals = new List<DataPlaneIntent>();
        removals.AddRange(_fdb.Values.Where(v => v.Stale).Select(v => new DataPlaneIntent.RemoveFdb(v.Entry)));
        removals.AddRange(_flood.Where(kv => kv.Value).Select(kv => new DataPlaneIntent.RemoveFlood(kv.Key)));
        removals.AddRange(_neighbors.Values.Where(v => v.Stale).Select(v => new DataPlaneIntent.RemoveNeighbor(v.Entry)));
        return removals;
    }

    /// <summary>What evpnd asked the data plane for: the entries applied since start (not the stale ones),
    /// overlaid with <paramref name="unapplied"/>, the intents that failed (waiting for a retry or given
    /// up; at most one per entry, the newest).</summary>
    public DataPlaneState Intended(IEnumerable<DataPlaneIntent> unapplied)
    {
        var fdb = _fdb.Where(kv => !kv.Value.Stale).ToDictionary(kv => kv.Key, kv => kv.Value.Entry);
        var flood = _flood.Where(kv => !kv.Value).Select(kv => kv.Key).ToHashSet();
        var neighbors = _neighbors.Where(kv => !kv.Value.Stale).ToDictionary(kv => kv.Key, kv => kv.Value.Entry);
        foreach (var intent in unapplied)
        {
            switch (intent)
            {
                case DataPlaneIntent.AddFdb a: fdb[(a.Entry.Vni, a.Entry.Mac)] = a.Entry; break;
                case DataPlaneIntent.RemoveFdb r: fdb.Remove((r.Entry.Vni, r.Entry.Mac)); break;
                case DataPlaneIntent.AddFlood a: flood.Add(a.Entry); break;
                case DataPlaneIntent.RemoveFlood r: flood.Remove(r.Entry); break;
                case DataPlaneIntent.AddNeighbor a: neighbors[(a.Entry.Vni, a.Entry.Ip)] = a.Entry; break;
                case DataPlaneIntent.RemoveNeighbor r: neighbors.Remove((r.Entry.Vni, r.Entry.Ip)); break;
            }
        }
        return new DataPlaneState(fdb.Values.ToList(), flood.ToList(), neighbors.Values.ToList());
    }

    public DataPlaneState Snapshot() => new(
        _fdb.Values.Select(v => v.Entry).ToList(),
        _flood.Keys.ToList(),
        _neighbors.Values.Select(v => v.Entry).ToList());
}
