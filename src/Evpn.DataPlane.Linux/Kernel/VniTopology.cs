using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>A VNI's devices: its VXLAN device and the bridge it is enslaved to (the bridge doubles as the
/// VNI's SVI, the device that holds the ARP/ND entries).</summary>
internal sealed record VniDevice(VniInfo Info, int VxlanIndex, int BridgeIndex, bool Up, bool NeighSuppress);

/// <summary>An immutable view of the links that matter to EVPN, rebuilt on every link change and
/// published to the writer as a whole (one reference swap, no lock).</summary>
internal sealed class VniTopology
{
    public static readonly VniTopology Empty = Build([], new Dictionary<int, SortedSet<IpAddr>>());

    private VniTopology(
        Dictionary<uint, VniDevice> byVni,
        Dictionary<int, VniDevice> byVxlanIndex,
        Dictionary<int, VniDevice> byBridgeIndex,
        Dictionary<int, LinkRecord> links,
        IReadOnlyList<LinkRecord> unsupported)
    {
        ByVni = byVni;
        ByVxlanIndex = byVxlanIndex;
        ByBridgeIndex = byBridgeIndex;
        Links = links;
        Unsupported = unsupported;
    }

    public IReadOnlyDictionary<uint, VniDevice> ByVni { get; }
    public IReadOnlyDictionary<int, VniDevice> ByVxlanIndex { get; }
    public IReadOnlyDictionary<int, VniDevice> ByBridgeIndex { get; }
    public IReadOnlyDictionary<int, LinkRecord> Links { get; }

    /// <summary>VXLAN devices in external (collect_metadata / vnifilter) mode, which this data plane does
    /// not program: they are reported instead of silently ignored.</summary>
    public IReadOnlyList<LinkRecord> Unsupported { get; }

    /// <summary>The VNIs the EVPN core sees: VXLAN device present and administratively up.</summary>
    public IEnumerable<VniDevice> UpVnis => ByVni.Values.Where(d => d.Up);

    /// <param name="addresses">Interface addresses by interface index (the SVIs' ones end up in <see cref="VniInfo.SviAddresses"/>).</param>
    public static VniTopology Build(IEnumerable<LinkRecord> links, IReadOnlyDictionary<int, SortedSet<IpAddr>> addresses)
    {
        var all = links.ToDictionary(l => l.Index);
        var byVni = new Dictionary<uint, VniDevice>();
        var unsupported = new List<LinkRecord>();
        foreach (var link in all.Values.Where(l => l.IsVxlan && l.Vxlan is not null).OrderBy(l => l.Index))
        {
            var vxlan = link.Vxlan!;
            if (vxlan.External)
            {
                unsupported.Add(link);
                continue;
            }
            var bridge = all.TryGetValue(link.Master, out var m) && m.IsBridge ? m : null;
            var info = new VniInfo(vxlan.Vni, link.Name, bridge?.Name, vxlan.Local, vxlan.Port, vxlan.Learning, bridge?.Name)
            {
                SviAddresses = bridge is not null && addresses.TryGetValue(bridge.Index, out var svi) ? svi.ToArray() : EquatableArray<IpAddr>.Empty,
            };
            // Two devices with one VNI: the older (lower index) one is used, as a reload keeps it stable.
            byVni.TryAdd(vxlan.Vni, new VniDevice(info, link.Index, bridge?.Index ?? 0, link.AdminUp, link.NeighSuppress));
        }
        return new VniTopology(
            byVni,
            byVni.Values.ToDictionary(d => d.VxlanIndex),
            byVni.Values.Where(d => d.BridgeIndex != 0).GroupBy(d => d.BridgeIndex).ToDictionary(g => g.Key, g => g.First()),
            all,
            unsupported);
    }
}
