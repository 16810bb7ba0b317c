using Evpn.Wire.Model;

namespace Evpn.DataPlane;

/// <summary>A remote MAC: frames for <see cref="Mac"/> in <see cref="Vni"/> go over VXLAN to <see cref="Vtep"/>.
/// In the kernel: an extern_learn FDB entry on the VNI's VXLAN device (and its bridge entry).</summary>
public sealed record FdbEntry(uint Vni, MacAddress Mac, IpAddr Vtep, bool Sticky = false);

/// <summary>One remote VTEP in a VNI's flood list (ingress replication, from a type-3 route).
/// In the kernel: the all-zero MAC entry toward <see cref="Vtep"/>, appended.</summary>
public sealed record FloodEntry(uint Vni, IpAddr Vtep);

/// <summary>A remote MAC+IP binding for ARP/ND suppression: the kernel answers ARP/ND for
/// <see cref="Ip"/> with <see cref="Mac"/> on the VNI's bridge instead of flooding.</summary>
public sealed record NeighborEntry(uint Vni, IpAddr Ip, MacAddress Mac);

/// <summary>What the EVPN core asks of the data plane: install (or replace) or remove one entry.</summary>
public abstract record DataPlaneIntent
{
    private DataPlaneIntent() { }

    public sealed record AddFdb(FdbEntry Entry) : DataPlaneIntent;
    public sealed record RemoveFdb(FdbEntry Entry) : DataPlaneIntent;
    public sealed record AddFlood(FloodEntry Entry) : DataPlaneIntent;
    public sealed record RemoveFlood(FloodEntry Entry) : DataPlaneIntent;
    public sealed record AddNeighbor(NeighborEntry Entry) : DataPlaneIntent;
    public sealed record RemoveNeighbor(NeighborEntry Entry) : DataPlaneIntent;
}
