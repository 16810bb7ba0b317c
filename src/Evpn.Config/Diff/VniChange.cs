using Evpn.Config.Options;

namespace Evpn.Config.Diff;

public enum VniChangeKind
{
    /// <summary>Newly listed under evpn.vnis.</summary>
    Added,

    /// <summary>No longer listed. With advertise-all-vni a VNI still in the kernel stays, with default options.</summary>
    Removed,

    /// <summary>Listed in both, with different options.</summary>
    Changed,
}

/// <summary>One VNI whose effective options differ. <see cref="Old"/> and <see cref="New"/> are the effective
/// options (a VNI not listed has the section defaults), and the RT flags compare the route targets in effect,
/// derived ones included, so a change of rt-derivation shows on every VNI that relies on it.</summary>
/// <param name="RdChanged">Local routes must be withdrawn under the old RD and re-advertised under the new one.</param>
/// <param name="ImportRtsChanged">Imports must be re-evaluated: routes now matching are imported, routes no longer matching removed.</param>
/// <param name="ExportRtsChanged">Local routes must be re-advertised with the new route targets.</param>
/// <param name="SettingsChanged">Other keys that differ (bridge, vxlan-device, arp-nd-suppression, advertise-default-gw).</param>
public sealed record VniChange(
    uint Vni,
    VniChangeKind Kind,
    VniOptions Old,
    VniOptions New,
    bool RdChanged,
    bool ImportRtsChanged,
    bool ExportRtsChanged,
    EquatableArray<string> SettingsChanged);
