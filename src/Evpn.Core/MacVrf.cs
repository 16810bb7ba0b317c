using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>One MAC-VRF (one L2 VNI): identity (RD, route targets), local and remote MACs, the
/// remote neighbor bindings installed for ARP/ND suppression and the flood list.</summary>
internal sealed class MacVrf
{
    public MacVrf(uint vni) => Vni = vni;

    public uint Vni { get; }
    public VniConfig? Config;

    /// <summary>Present in the data plane (a VXLAN device exists): only then are intents emitted and
    /// local routes originated. Routes imported while absent are kept and installed when it appears.</summary>
    public VniInfo? Info;
    public bool IsPresent => Info is not null;

    public RouteDistinguisher Rd;
    public ushort RdIndex;
    public ExtendedCommunity[] ImportRouteTargets = [];
    public ExtendedCommunity[] ExportRouteTargets = [];

    /// <summary>The Ethernet Tag of local routes (0: VLAN-based service; in a VLAN-aware bundle the VNI).</summary>
    public uint EthernetTag;

    /// <summary>Local administrator value matched by <c>*:VNI</c> wildcard import.</summary>
    public uint WildcardLocalAdministrator;

    public readonly MacTable Macs = new();

    /// <summary>Installed neighbor entries: IP to the MAC it was installed for (an IP can move between MACs).</summary>
    public readonly NeighborTable Neighbors = new();

    /// <summary>Remote type-3 best paths imported, by route key, and the flood list they make.</summary>
    public readonly Dictionary<EvpnRoute, IpAddr> InclusiveMulticast = new(RouteKeyComparer.Instance);
    public readonly Dictionary<IpAddr, int> FloodVteps = new();

    /// <summary>The flood-list VTEPs whose type-3 label names a VNI other than this one (downstream-assigned),
    /// with that VNI: the one of the route that put the VTEP in the list. Null in the usual case, where none does.</summary>
    public Dictionary<IpAddr, uint>? FloodRemoteVnis;

    public InclusiveMulticastRoute? LocalInclusiveMulticast;
    public PathAttributes? LocalInclusiveMulticastAttributes;

    /// <summary>Local IPs (ARP/ND on the SVI) to the local MAC they belong to.</summary>
    public readonly Dictionary<IpAddr, MacAddress> LocalIps = new();

    public IpAddr LocalVtep(IpAddr fallback) => Info?.LocalVtep ?? fallback;

    /// <summary>The FDB entry toward the VTEP of <paramref name="path"/>, a remote type-2 path.</summary>
    public FdbEntry FdbEntryOf(MacAddress mac, RibPath path) => new(Vni, mac, path.NextHop, path.Attributes.IsSticky, RemoteVni(path));

    /// <summary>Whether two remote type-2 paths make the same FDB entry (the same VTEP, sticky flag and remote VNI).</summary>
    public static bool SameFdbEntry(RibPath a, RibPath b) =>
        a.NextHop == b.NextHop && a.Attributes.IsSticky == b.Attributes.IsSticky && RemoteVni(a) == RemoteVni(b);

    /// <summary>RFC 8365 section 5.1.3: the VNI a remote type-2 path's VTEP expects, its label. Routes are imported
    /// only with the VXLAN encapsulation (<see cref="InstallCheck"/>), so the label is a VNI.</summary>
    public static uint RemoteVni(RibPath path) => EvpnLabel.ToVni(((MacIpAdvertisementRoute)path.Route).Label1);

    /// <summary>The flood-list entry toward <paramref name="vtep"/>, with its remote VNI when it has one.</summary>
    public FloodEntry FloodEntryOf(IpAddr vtep) =>
        new(Vni, vtep, FloodRemoteVnis?.GetValueOrDefault(vtep) ?? 0);

    public MacEntry GetOrAdd(MacAddress mac) => Macs.GetOrAdd(mac);

    /// <summary>After a change to <paramref name="entry"/>: dropped when unused, stored compactly when it can be.</summary>
    public void Settle(MacEntry entry) => Macs.Settle(entry, IsPresent);
}
