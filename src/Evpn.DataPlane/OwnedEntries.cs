using Evpn.DataPlane.Tables;
using Evpn.Wire.Model;

namespace Evpn.DataPlane;

/// <summary>The remote entries evpnd owns in the data plane, each marked stale or fresh.</summary>
/// <remarks>
///   Restart without traffic loss: entries found at start (extern_learn, left by the previous run) are
///   adopted as stale; an intent that re-installs the same key makes it fresh; the sweep removes the
///   rest. Owned by the data-plane writer (one caller at a time); not thread-safe by itself.
///   Fresh and stale entries live in separate tables, a key in at most one: the fresh ones are the whole
///   table in steady state and are packed (<see cref="FdbTable"/>, <see cref="NeighborEntryTable"/>); the stale
///   ones exist only between a restart and its sweep. Stale FDB entries are packed too, for the VTEPs
///   they count (<see cref="UsesVtep"/>); the other stale ones are kept whole.
/// </remarks>
public sealed class OwnedEntries
{
    private readonly FdbTable _fdb = new();
    private readonly HashSet<FloodEntry> _flood = [];
    private readonly NeighborEntryTable _neighbors = new();

    private readonly FdbTable _staleFdb = new();
    private readonly HashSet<FloodEntry> _staleFlood = [];
    private readonly Dictionary<(uint Vni, IpAddr Ip), NeighborEntry> _staleNeighbors = [];

    public int Count => _fdb.Count + _flood.Count + _neighbors.Count + _staleFdb.Count + _staleFlood.Count + _staleNeighbors.Count;

    public void Adopt(FdbEntry entry)
    {
        _fdb.Remove(entry.Vni, entry.Mac);
        _staleFdb.Set(entry);
    }

    public void Adopt(FloodEntry entry)
    {
        _flood.Remove(entry);
        _staleFlood.Add(entry);
    }

    public void Adopt(NeighborEntry entry)
    {
        _neighbors.Remove(entry.Vni, entry.Ip);
        _staleNeighbors[(entry.Vni, entry.Ip)] = entry;
    }

    public void Set(FdbEntry entry)
    {
        RemoveStaleFdb(entry.Vni, entry.Mac);
        _fdb.Set(entry);
    }

    public void Set(FloodEntry entry)
    {
        RemoveStale(_staleFlood, entry);
        _flood.Add(entry);
    }

    public void Set(NeighborEntry entry)
    {
        RemoveStale(_staleNeighbors, (entry.Vni, entry.Ip));
        _neighbors.Set(entry);
    }

    public bool TryGetFdb(uint vni, MacAddress mac, out FdbEntry entry) =>
        _fdb.TryGet(vni, mac, out entry) || _staleFdb.TryGet(vni, mac, out entry);

    public bool TryGetNeighbor(uint vni, IpAddr ip, out NeighborEntry entry) =>
        _neighbors.TryGet(vni, ip, out entry) || _staleNeighbors.TryGetValue((vni, ip), out entry);

    public void Remove(FdbEntry entry)
    {
        _fdb.Remove(entry.Vni, entry.Mac);
        RemoveStaleFdb(entry.Vni, entry.Mac);
    }

    public void Remove(FloodEntry entry)
    {
        _flood.Remove(entry);
        RemoveStale(_staleFlood, entry);
    }

    public void Remove(NeighborEntry entry)
    {
        _neighbors.Remove(entry.Vni, entry.Ip);
        RemoveStale(_staleNeighbors, (entry.Vni, entry.Ip));
    }

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
        var removals = new List<DataPlaneIntent>(_staleFdb.Count + _staleFlood.Count + _staleNeighbors.Count);
        removals.AddRange(_staleFdb.Entries.Select(e => new DataPlaneIntent.RemoveFdb(e)));
        removals.AddRange(_staleFlood.Select(e => new DataPlaneIntent.RemoveFlood(e)));
        removals.AddRange(_staleNeighbors.Values.Select(e => new DataPlaneIntent.RemoveNeighbor(e)));
        return removals;
    }

    /// <summary>What evpnd asked the data plane for: the entries applied since start (not the stale ones),
    /// overlaid with <paramref name="unapplied"/>, the intents that failed (waiting for a retry or given
    /// up; at most one per entry, the newest).</summary>
    public DataPlaneState Intended(IEnumerable<DataPlaneIntent> unapplied)
    {
        var fdb = _fdb.Entries.ToDictionary(e => (e.Vni, e.Mac));
        var flood = _flood.ToHashSet();
        var neighbors = _neighbors.Entries.ToDictionary(e => (e.Vni, e.Ip));
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

    /// <summary>Whether an FDB entry, fresh or stale, points to <paramref name="vtep"/>.</summary>
    public bool UsesVtep(IpAddr vtep) => _fdb.UsesVtep(vtep) || _staleFdb.UsesVtep(vtep);

    /// <summary>As <see cref="RemoveStale{TKey,TValue}"/>, for the stale FDB entries.</summary>
    private void RemoveStaleFdb(uint vni, MacAddress mac)
    {
        if (_staleFdb.Remove(vni, mac) && _staleFdb.Count == 0)
        {
            _staleFdb.TrimExcess();
        }
    }

    /// <summary>Removes a key from a stale table, releasing the table's storage once the last stale entry is
    /// gone: after a restart it was sized for the whole previous table, and it stays empty until the next.</summary>
    private static void RemoveStale<TKey, TValue>(Dictionary<TKey, TValue> stale, TKey key) where TKey : notnull
    {
        if (stale.Remove(key) && stale.Count == 0)
        {
            stale.TrimExcess();
        }
    }

    private static void RemoveStale(HashSet<FloodEntry> stale, FloodEntry entry)
    {
        if (stale.Remove(entry) && stale.Count == 0)
        {
            stale.TrimExcess();
        }
    }
}
