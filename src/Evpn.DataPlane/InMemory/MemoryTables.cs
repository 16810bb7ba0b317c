using Evpn.DataPlane.Tables;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.InMemory;

/// <summary>The simulated kernel behind <see cref="InMemoryDataPlane"/>: VNI devices and the FDB, flood and
/// neighbor tables, failing the way the Linux data plane does (ENODEV for a missing device or SVI, ENOSPC
/// when full; removing an absent entry, or one whose device is gone, succeeds).</summary>
internal sealed class MemoryTables : IIntentExecutor
{
    private readonly object _sync = new();
    private readonly int _capacity;
    private readonly Dictionary<uint, VniInfo> _vnis = [];
    private readonly FdbTable _fdb = new();
    private readonly HashSet<FloodEntry> _flood = [];
    private readonly NeighborEntryTable _neighbors = new();

    public MemoryTables(int capacity, DataPlaneState? preinstalled)
    {
        _capacity = capacity;
        if (preinstalled is not null)
        {
            foreach (var e in preinstalled.Fdb)
            {
                _fdb.Set(e);
            }
            _flood.UnionWith(preinstalled.Flood);
            foreach (var e in preinstalled.Neighbors)
            {
                _neighbors.Set(e);
            }
        }
    }

    private int Count => _fdb.Count + _flood.Count + _neighbors.Count;

    public bool SetVni(VniInfo info)
    {
        lock (_sync)
        {
            var changed = !_vnis.TryGetValue(info.Vni, out var old) || old != info;
            _vnis[info.Vni] = info;
            return changed;
        }
    }

    /// <summary>The device goes, and its entries with it (as the kernel flushes a deleted device's FDB).</summary>
    public bool RemoveVni(uint vni)
    {
        lock (_sync)
        {
            foreach (var e in _fdb.Entries.Where(e => e.Vni == vni).ToList())
            {
                _fdb.Remove(e.Vni, e.Mac);
            }
            _flood.RemoveWhere(f => f.Vni == vni);
            foreach (var e in _neighbors.Entries.Where(e => e.Vni == vni).ToList())
            {
                _neighbors.Remove(e.Vni, e.Ip);
            }
            return _vnis.Remove(vni);
        }
    }

    public bool TryGetVni(uint vni, out VniInfo info)
    {
        lock (_sync)
        {
            return _vnis.TryGetValue(vni, out info!);
        }
    }

    public IReadOnlyList<VniInfo> Vnis()
    {
        lock (_sync)
        {
            return _vnis.Values.ToList();
        }
    }

    public bool HasRemoteFdb(uint vni, MacAddress mac)
    {
        lock (_sync)
        {
            return _fdb.ContainsKey(vni, mac);
        }
    }

    public DataPlaneState Snapshot()
    {
        lock (_sync)
        {
            return new DataPlaneState(_fdb.Entries.ToList(), _flood.ToList(), _neighbors.Entries.ToList());
        }
    }

    public ValueTask ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, Memory<IntentOutcome> outcomes, CancellationToken cancellationToken)
    {
        var slots = outcomes.Span;
        lock (_sync)
        {
            for (var i = 0; i < intents.Count; i++)
            {
                slots[i] = Execute(intents[i]);
            }
        }
        return ValueTask.CompletedTask;
    }

    private IntentOutcome Execute(DataPlaneIntent intent)
    {
        if (!_vnis.TryGetValue(intent.Vni(), out var vni))
        {
            // An entry cannot outlive its device: removing one whose device is gone has nothing to do.
            return intent.IsRemoval() ? IntentOutcome.Ok : new IntentOutcome(Errno.ENODEV, $"no VXLAN device for VNI {intent.Vni()}");
        }
        switch (intent)
        {
            case DataPlaneIntent.AddFdb a:
                if (!_fdb.ContainsKey(a.Entry.Vni, a.Entry.Mac) && Count >= _capacity)
                {
                    return new IntentOutcome(Errno.ENOSPC);
                }
                _fdb.Set(a.Entry);
                return IntentOutcome.Ok;
            case DataPlaneIntent.RemoveFdb r:
                _fdb.Remove(r.Entry.Vni, r.Entry.Mac);
                return IntentOutcome.Ok;
            case DataPlaneIntent.AddFlood a:
                if (!_flood.Contains(a.Entry) && Count >= _capacity)
                {
                    return new IntentOutcome(Errno.ENOSPC);
                }
                _flood.Add(a.Entry);
                return IntentOutcome.Ok;
            case DataPlaneIntent.RemoveFlood r:
                _flood.Remove(r.Entry);
                return IntentOutcome.Ok;
            case DataPlaneIntent.AddNeighbor a:
                if (vni.Svi is null)
                {
                    return new IntentOutcome(Errno.ENODEV, $"VNI {vni.Vni} has no SVI for neighbor entries");
                }
                if (!_neighbors.ContainsKey(a.Entry.Vni, a.Entry.Ip) && Count >= _capacity)
                {
                    return new IntentOutcome(Errno.ENOSPC);
                }
                _neighbors.Set(a.Entry);
                return IntentOutcome.Ok;
            case DataPlaneIntent.RemoveNeighbor r:
                _neighbors.Remove(r.Entry.Vni, r.Entry.Ip);
                return IntentOutcome.Ok;
            default:
                return new IntentOutcome(Errno.EINVAL, "unknown intent");
        }
    }
}
