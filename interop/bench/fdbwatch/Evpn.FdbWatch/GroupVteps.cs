using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.FdbWatch;

/// <summary>The VTEP behind each FDB nexthop group that VXLAN entries point to (`nhid G`, how evpnd installs
/// remote MACs: a group of one nexthop whose gateway is the VTEP), asked of the kernel the first time a group
/// is seen. The installer makes a group before the entries that use it, so the answer is there when the
/// first entry's notification is read.</summary>
internal sealed class GroupVteps(NetlinkSocket lookups) : IDisposable
{
    private readonly Dictionary<uint, IpAddr> _known = [];
    private uint _sequence;

    /// <summary>The group's VTEP, or null when the group is gone or is not a group of one FDB nexthop.</summary>
    public IpAddr? VtepOf(uint group)
    {
        if (_known.TryGetValue(group, out var known))
        {
            return known;
        }
        if (Get(group) is not { } record || NexthopRecord.VtepOf(record, Get) is not { } vtep)
        {
            return null;
        }
        _known[group] = vtep;
        return vtep;
    }

    private NexthopRecord? Get(uint id) => NexthopRecord.Get(lookups, ref _sequence, id, out _);

    public void Dispose() => lookups.Dispose();
}
