using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>Reads the remote entries evpnd owns back from the kernel: extern_learn FDB entries on VXLAN devices
/// with a destination or a nexthop group that leads to one VTEP (the all-zero MAC ones are the flood list)
/// and extern_learn NOARP neighbor entries on the SVIs.</summary>
internal static class InstalledEntries
{
    /// <param name="vtepsByGroup">The VTEP of each single-VTEP FDB nexthop group (<see cref="NexthopRecord.VtepsByGroup"/>).</param>
    /// <param name="viaNexthop">When given, receives the keys of the FDB entries that point to a group.</param>
    public static DataPlaneState Read(NetlinkSocket socket, ref uint sequence, VniTopology topology,
        IReadOnlyDictionary<uint, IpAddr> vtepsByGroup, ISet<(uint, MacAddress)>? viaNexthop)
    {
        var fdb = new Dictionary<(uint, MacAddress), FdbEntry>();
        var flood = new HashSet<FloodEntry>();
        var neighbors = new Dictionary<(uint, IpAddr), NeighborEntry>();
        NetlinkDump.Neighbors(socket, ref sequence, Rtnl.AF_BRIDGE, (in NetlinkMessage m) =>
        {
            if (m.Type == Rtnl.RTM_NEWNEIGH && NeighborRecord.TryParse(m, out var r) && TryClassifyFdb(r, topology, vtepsByGroup, out var f))
            {
                if (r.NexthopId is not null)
                {
                    viaNexthop?.Add((f.Vni, f.Mac));
                }
                if (f.Mac.IsZero)
                {
                    flood.Add(new FloodEntry(f.Vni, f.Vtep, f.RemoteVni));
                }
                else
                {
                    fdb[(f.Vni, f.Mac)] = f;
                }
            }
        });
        foreach (var family in new[] { Rtnl.AF_INET, Rtnl.AF_INET6 })
        {
            NetlinkDump.Neighbors(socket, ref sequence, family, (in NetlinkMessage m) =>
            {
                if (m.Type == Rtnl.RTM_NEWNEIGH && NeighborRecord.TryParse(m, out var r) && TryClassifyNeighbor(r, topology, out var n))
                {
                    neighbors[(n.Vni, n.Ip)] = n;
                }
            });
        }
        return new DataPlaneState(fdb.Values.ToList(), flood.ToList(), neighbors.Values.ToList());
    }

    /// <summary>An FDB entry of ours: on a VXLAN device itself (NTF_SELF), extern_learn, with a remote VTEP as its
    /// destination or behind its nexthop group, and the remote VNI it names (NDA_VNI, which the kernel gives only
    /// when it is not the device's). One with the all-zero MAC is a flood-list entry, as in the kernel.</summary>
    private static bool TryClassifyFdb(in NeighborRecord r, VniTopology topology, IReadOnlyDictionary<uint, IpAddr> vtepsByGroup, out FdbEntry fdb)
    {
        fdb = default;
        IpAddr? remote = r.NexthopId is { } group ? (vtepsByGroup.TryGetValue(group, out var behind) ? behind : null) : r.Destination;
        if (r.Family != Rtnl.AF_BRIDGE || !r.IsSelf || !r.IsExternLearned || remote is not { } vtep || r.Mac is not { } mac
            || !topology.ByVxlanIndex.TryGetValue(r.IfIndex, out var device))
        {
            return false;
        }
        fdb = new FdbEntry(device.Info.Vni, mac, vtep, remoteVni: r.Vni ?? 0);
        return true;
    }

    /// <summary>A neighbor entry of ours: on a VNI's SVI, extern_learn, static.</summary>
    private static bool TryClassifyNeighbor(in NeighborRecord r, VniTopology topology, out NeighborEntry neighbor)
    {
        neighbor = default;
        if (!r.IsExternLearned || r.Destination is not { } ip || r.Mac is not { } mac
            || (r.State & Rtnl.NUD_NOARP) == 0
            || !topology.ByBridgeIndex.TryGetValue(r.IfIndex, out var device))
        {
            return false;
        }
        neighbor = new NeighborEntry(device.Info.Vni, ip, mac);
        return true;
    }
}
