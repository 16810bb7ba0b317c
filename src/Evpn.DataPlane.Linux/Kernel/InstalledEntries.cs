using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>Reads the remote entries evpnd owns back from the kernel: extern_learn FDB entries with a
/// destination on VXLAN devices (the all-zero MAC ones are the flood list) and extern_learn NOARP neighbor
/// entries on the SVIs.</summary>
internal static class InstalledEntries
{
    public static DataPlaneState Read(NetlinkSocket socket, ref uint sequence, VniTopology topology)
    {
        var fdb = new Dictionary<(uint, Wire.Model.MacAddress), FdbEntry>();
        var flood = new HashSet<FloodEntry>();
        var neighbors = new Dictionary<(uint, Wire.Model.IpAddr), NeighborEntry>();
        NetlinkDump.Neighbors(socket, ref sequence, Rtnl.AF_BRIDGE, (in NetlinkMessage m) =>
        {
            if (m.Type == Rtnl.RTM_NEWNEIGH && NeighborRecord.TryParse(m, out var r) && TryClassifyFdb(r, topology, out var f))
            {
                if (f.Mac.IsZero)
                {
                    flood.Add(new FloodEntry(f.Vni, f.Vtep));
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

    /// <summary>An FDB entry of ours: on a VXLAN device itself (NTF_SELF), extern_learn, with a remote VTEP. One
    /// with the all-zero MAC is a flood-list entry, as in the kernel.</summary>
    public static bool TryClassifyFdb(in NeighborRecord r, VniTopology topology, out FdbEntry fdb)
    {
        fdb = default;
        if (r.Family != Rtnl.AF_BRIDGE || !r.IsSelf || !r.IsExternLearned || r.Destination is not { } vtep || r.Mac is not { } mac
            || !topology.ByVxlanIndex.TryGetValue(r.IfIndex, out var device)
            || (r.Vni is { } vni && vni != device.Info.Vni))
        {
            return false;
        }
        fdb = new FdbEntry(device.Info.Vni, mac, vtep);
        return true;
    }

    /// <summary>A neighbor entry of ours: on a VNI's SVI, extern_learn, static.</summary>
    public static bool TryClassifyNeighbor(in NeighborRecord r, VniTopology topology, out NeighborEntry neighbor)
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
