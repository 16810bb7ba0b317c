using Evpn.Wire.Model;

namespace Evpn.FdbWatch;

/// <summary>The remote MACs in a namespace's FDB: unicast entries of a VXLAN device (AF_BRIDGE) with a VTEP (a
/// `dst`, or the VTEP of the nexthop group the entry points to) keyed by device and MAC. The all-zero flood
/// entries are not MACs and are left out; the bridge's own copies have no VTEP.</summary>
/// <remarks>Counts per VTEP are kept as entries come and go, so a count costs nothing at 1M entries.</remarks>
internal sealed class RemoteFdbTable
{
    private readonly Dictionary<(int IfIndex, MacAddress Mac), IpAddr> _entries = [];
    private readonly Dictionary<IpAddr, int> _perVtep = [];

    public int Count => _entries.Count;

    public int CountToward(IpAddr vtep) => _perVtep.GetValueOrDefault(vtep);

    /// <summary>Applies one RTM_NEWNEIGH (<paramref name="present"/>) or RTM_DELNEIGH; a removal needs no
    /// <paramref name="vtep"/>. Entries seen twice (a dump racing a notification) are taken in stride: the
    /// last word on an entry wins.</summary>
    public void Apply(bool present, byte family, int ifIndex, MacAddress? mac, IpAddr? vtep)
    {
        if (family != FdbFamily || mac is not { IsZero: false } m || (present && vtep is null))
        {
            return;
        }
        var key = (ifIndex, m);
        if (_entries.Remove(key, out var previous))
        {
            Adjust(previous, -1);
        }
        if (present)
        {
            _entries[key] = vtep!.Value;
            Adjust(vtep.Value, +1);
        }
    }

    public void Clear()
    {
        _entries.Clear();
        _perVtep.Clear();
    }

    private void Adjust(IpAddr vtep, int delta)
    {
        var n = _perVtep.GetValueOrDefault(vtep) + delta;
        if (n == 0)
        {
            _perVtep.Remove(vtep);
        }
        else
        {
            _perVtep[vtep] = n;
        }
    }

    private const byte FdbFamily = 7; // AF_BRIDGE
}
