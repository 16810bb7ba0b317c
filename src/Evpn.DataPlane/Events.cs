using Evpn.Wire.Model;

namespace Evpn.DataPlane;

/// <summary>A VXLAN segment present in the data plane: its device, bridge and local VTEP address.</summary>
public sealed record VniInfo(
    uint Vni,
    string VxlanDevice,
    string? Bridge,
    IpAddr? LocalVtep,
    ushort DestinationPort,
    bool Learning,
    string? Svi)
{
    /// <summary>The SVI's addresses (IPv6 link-local ones left out), in order: the gateway addresses of the
    /// segment, for the default-gateway extended community and for ARP/ND suppression of the SVI itself.</summary>
    public EquatableArray<IpAddr> SviAddresses { get; init; } = EquatableArray<IpAddr>.Empty;
}

/// <summary>What the data plane tells the EVPN core: VNIs appearing and going, and MACs and
/// MAC+IP bindings learned locally (never the ones evpnd installed itself).</summary>
public abstract record DataPlaneEvent
{
    private DataPlaneEvent() { }

    public sealed record VniUp(VniInfo Info) : DataPlaneEvent;
    public sealed record VniDown(uint Vni) : DataPlaneEvent;

    /// <summary>A VNI the configuration names has no VXLAN device (or the device is down): reported so
    /// that a typo or a missing device is visible instead of silently ignored.</summary>
    public sealed record ConfiguredVniMissing(uint Vni, string Reason) : DataPlaneEvent;

    /// <summary>A MAC learned by the bridge on a local (non-VXLAN) port; static entries are sticky.</summary>
    public sealed record LocalMacLearned(uint Vni, MacAddress Mac, bool Sticky, string Port) : DataPlaneEvent;
    public sealed record LocalMacRemoved(uint Vni, MacAddress Mac) : DataPlaneEvent;

    /// <summary>An ARP/ND entry on the VNI's SVI: a local MAC+IP binding.</summary>
    public sealed record LocalNeighborLearned(uint Vni, IpAddr Ip, MacAddress Mac) : DataPlaneEvent;
    public sealed record LocalNeighborRemoved(uint Vni, IpAddr Ip) : DataPlaneEvent;
}
