namespace Evpn.Config.Options;

/// <summary>The `evpn` section.</summary>
/// <param name="AdvertiseAllVni">Advertise every VNI found in the kernel, not only the ones listed in <paramref name="Vnis"/>.</param>
/// <param name="Vnis">Explicit VNIs: overrides of RD/RT and per-VNI switches, in file order.</param>
/// <param name="ArpNdSuppression">Default for VNIs: install remote MAC+IP as neighbor entries so the bridge answers ARP/ND locally (RFC 7432 section 10).</param>
/// <param name="AdvertiseDefaultGw">Default for VNIs: advertise local gateway MAC+IP with the Default Gateway community (RFC 7432 section 10.1).</param>
/// <param name="RtDerivation">How import/export route targets are derived for a VNI that does not list its own.</param>
/// <param name="WildcardImport">Also import routes whose RT is `*:VNI` (any AS in the global administrator), for eBGP fabrics where each leaf has its own AS.</param>
public sealed record EvpnOptions(
    bool AdvertiseAllVni,
    EquatableArray<VniOptions> Vnis,
    bool ArpNdSuppression,
    bool AdvertiseDefaultGw,
    DuplicateDetectionSettings DuplicateDetection,
    DerivationMode RtDerivation,
    bool WildcardImport)
{
    public static readonly EvpnOptions Default = new(
        true, EquatableArray<VniOptions>.Empty, true, false, DuplicateDetectionSettings.Default, DerivationMode.Frr, false);

    /// <summary>The options for <paramref name="vni"/>: its explicit entry, or the section defaults when it is not listed.</summary>
    public VniOptions For(uint vni)
    {
        foreach (var v in Vnis)
        {
            if (v.Vni == vni)
            {
                return v;
            }
        }
        return VniOptions.Defaults(vni);
    }
}

/// <summary>One explicit VNI.</summary>
/// <param name="Rd">Route distinguisher; null = auto (router-id:index, RFC 7432 section 7.9).</param>
/// <param name="ImportRts">Route targets to import; empty = derived per <see cref="EvpnOptions.RtDerivation"/>.</param>
/// <param name="ExportRts">Route targets attached to local routes; empty = derived.</param>
/// <param name="Bridge">Bridge device name, when the kernel mapping should be pinned rather than discovered.</param>
/// <param name="VxlanDevice">VXLAN device name, likewise.</param>
/// <param name="ArpNdSuppression">Per-VNI override of the section default; null = inherit.</param>
/// <param name="AdvertiseDefaultGw">Per-VNI override of the section default; null = inherit.</param>
/// <param name="EthernetTag">Ethernet Tag of local routes, resolved (`vni` is the VNI): 0 for VLAN-based service,
/// by default the VNI in a bundle (RFC 8365 section 5.1.3).</param>
/// <param name="Bundle">VLAN-aware bundle this VNI belongs to: its members share the RD and route targets.</param>
/// <param name="RtDerivation">Per-VNI override of <see cref="EvpnOptions.RtDerivation"/>; null = inherit.</param>
/// <param name="Evi">EVPN instance number the Nokia rule derives RD and RT from (the VLAN for the NX-OS RD); null = the VNI.</param>
public sealed record VniOptions(
    uint Vni,
    RouteDistinguisher? Rd,
    EquatableArray<ExtendedCommunity> ImportRts,
    EquatableArray<ExtendedCommunity> ExportRts,
    string? Bridge,
    string? VxlanDevice,
    bool? ArpNdSuppression,
    bool? AdvertiseDefaultGw,
    uint EthernetTag = 0,
    string? Bundle = null,
    DerivationMode? RtDerivation = null,
    uint? Evi = null)
{
    /// <summary>RFC 7348 section 5: the VNI is a 24-bit field.</summary>
    public const uint MaxVni = 0xFF_FFFF;

    public static VniOptions Defaults(uint vni) =>
        new(vni, null, EquatableArray<ExtendedCommunity>.Empty, EquatableArray<ExtendedCommunity>.Empty, null, null, null, null);
}

/// <summary>MAC mobility duplicate detection (RFC 7432 section 15.1): a MAC that moves <see cref="MaxMoves"/>
/// times within <see cref="Window"/> is a duplicate; it is reported and, per <see cref="Freeze"/>, frozen.</summary>
public sealed record DuplicateDetectionSettings(bool Enabled, int MaxMoves, TimeSpan Window, FreezePolicy Freeze)
{
    public static readonly DuplicateDetectionSettings Default = new(true, 5, TimeSpan.FromSeconds(180), FreezePolicy.None);
}

/// <summary>What happens to a MAC detected as duplicate: keep advertising (only alert), stop advertising
/// for a while, or stop until cleared by hand.</summary>
public readonly record struct FreezePolicy(FreezeMode Mode, TimeSpan Duration)
{
    public static readonly FreezePolicy None = new(FreezeMode.None, TimeSpan.Zero);
    public static readonly FreezePolicy Permanent = new(FreezeMode.Permanent, TimeSpan.Zero);
    public static FreezePolicy For(TimeSpan duration) => new(FreezeMode.Timed, duration);

    public override string ToString() => Mode switch
    {
        FreezeMode.None => "none",
        FreezeMode.Permanent => "permanent",
        _ => $"{Duration.TotalSeconds}s",
    };
}

public enum FreezeMode
{
    None,
    Timed,
    Permanent,
}
