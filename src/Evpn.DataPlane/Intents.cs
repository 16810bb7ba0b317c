using System.Runtime.InteropServices;
using Evpn.Wire.Model;

namespace Evpn.DataPlane;

// The entries are value types: an intent is one object holding its entry, and tables hold entries inline (or
// packed, Tables/) rather than one heap object per installed MAC or neighbor entry. `default` is
// not a meaningful entry (VNI 0, zero MAC, 0.0.0.0): say "none" with a bool, not null.

/// <summary>A remote MAC: frames for <see cref="Mac"/> in <see cref="Vni"/> go over VXLAN to <see cref="Vtep"/>,
/// carrying <see cref="RemoteVni"/>. In the kernel: an extern_learn FDB entry on the VNI's VXLAN device (and its
/// bridge entry).</summary>
/// <remarks>
///   The remote VNI is the route's label VNI (RFC 8365 section 5.1.3). It differs from <see cref="Vni"/> only
///   when the remote VTEP assigned its own (downstream-assigned, imported by a route target unique to this VNI);
///   it is stored as 0 when it does not, so an entry equals the one read back from a kernel that leaves NDA_VNI
///   out for the device's own VNI.
///   Auto layout: 40 octets (the VTEP's 24, the MAC's 8, the VNI and the remote VNI with the sticky flag in its
///   top bit in 8) where separate fields would pad to 48.
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct FdbEntry
{
    private const uint StickyBit = 1u << 31;
    private const uint VniMask = 0xFF_FFFF;

    /// <summary>The remote VNI when it differs from <see cref="Vni"/> (else 0), and the sticky flag.</summary>
    private readonly uint _remote;

    public FdbEntry(uint vni, MacAddress mac, IpAddr vtep, bool sticky = false, uint remoteVni = 0)
    {
        Vni = vni;
        Mac = mac;
        Vtep = vtep;
        _remote = (remoteVni == vni ? 0 : remoteVni & VniMask) | (sticky ? StickyBit : 0);
    }

    private FdbEntry(uint vni, MacAddress mac, IpAddr vtep, uint packed)
    {
        Vni = vni;
        Mac = mac;
        Vtep = vtep;
        _remote = packed;
    }

    public uint Vni { get; init; }
    public MacAddress Mac { get; init; }
    public IpAddr Vtep { get; init; }
    public bool Sticky => (_remote & StickyBit) != 0;

    /// <summary>The VNI frames toward <see cref="Vtep"/> carry.</summary>
    public uint RemoteVni => HasRemoteVni ? _remote & VniMask : Vni;

    /// <summary>Whether <see cref="RemoteVni"/> differs from <see cref="Vni"/> (the kernel entry names it: NDA_VNI).</summary>
    public bool HasRemoteVni => (_remote & VniMask) != 0;

    /// <summary>The remote VNI and sticky flag in one word, for tables that store entries packed.</summary>
    internal uint Packed => _remote;

    internal static FdbEntry FromPacked(uint vni, MacAddress mac, IpAddr vtep, uint packed) => new(vni, mac, vtep, packed);
}

/// <summary>One remote VTEP in a VNI's flood list (ingress replication, from a type-3 route).
/// In the kernel: the all-zero MAC entry toward <see cref="Vtep"/>, appended, carrying <see cref="RemoteVni"/>.</summary>
/// <remarks>The remote VNI is the PMSI tunnel label's VNI (RFC 8365 section 5.1.3), stored as 0 when it is
/// <see cref="Vni"/>, as for <see cref="FdbEntry"/>. 32 octets: the VTEP's 24 and the two VNIs in 8.</remarks>
public readonly record struct FloodEntry
{
    private readonly uint _remoteVni;

    public FloodEntry(uint vni, IpAddr vtep, uint remoteVni = 0)
    {
        Vni = vni;
        Vtep = vtep;
        _remoteVni = remoteVni == vni ? 0 : remoteVni & 0xFF_FFFF;
    }

    public uint Vni { get; init; }
    public IpAddr Vtep { get; init; }

    /// <summary>The VNI flooded frames toward <see cref="Vtep"/> carry.</summary>
    public uint RemoteVni => HasRemoteVni ? _remoteVni : Vni;

    public bool HasRemoteVni => _remoteVni != 0;
}

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
