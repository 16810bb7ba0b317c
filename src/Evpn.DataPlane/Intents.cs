using System.Runtime.InteropServices;
using Evpn.Wire.Model;

namespace Evpn.DataPlane;

// The entries are value types: an intent is one object holding its entry, and tables hold entries inline (or
// packed, Tables/) rather than one heap object per installed MAC or neighbor entry. `default` is
// not a meaningful entry (VNI 0, zero MAC, 0.0.0.0): say "none" with a bool, not null.

/// <summary>A remote MAC: frames for <see cref="Mac"/> in <see cref="Vni"/> go over VXLAN to <see cref="Vtep"/>.
/// In the kernel: an extern_learn FDB entry on the VNI's VXLAN device (and its bridge entry).</summary>
/// <remarks>Auto layout: 40 octets (the VTEP's 24, the MAC's 8, the VNI and the flag packed in 8) where the
/// declared order would pad the VNI and the flag to 8 octets each (48).</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct FdbEntry(uint Vni, MacAddress Mac, IpAddr Vtep, bool Sticky = false);

/// <summary>One remote VTEP in a VNI's flood list (ingress replication, from a type-3 route).
/// In the kernel: the all-zero MAC entry toward <see cref="Vtep"/>, appended.</summary>
/// <remarks>32 octets: the VTEP's 24 and the VNI padded to 8.</remarks>
public readonly record struct FloodEntry(uint Vni, IpAddr Vtep);

/// <summary>A remote MAC+IP binding for ARP/ND suppression: the kernel answers ARP/ND for
/// <see cref="Ip"/> with <see cref="Mac"/> on the VNI's bridge instead of flooding.</summary>
/// <remarks>40 octets: the address's 24, the MAC's 8, the VNI padded to 8.</remarks>
public readonly record struct NeighborEntry(uint Vni, IpAddr Ip, MacAddress Mac);

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
