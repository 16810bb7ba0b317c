using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>RFC 7432 section 15.1 duplicate MAC detection: <see cref="MaxMoves"/> moves within
/// <see cref="Window"/> mark a MAC duplicate. With <see cref="Freeze"/> it is also frozen (no longer advertised,
/// data plane kept), and with <see cref="FreezeTime"/> it recovers after that long; without <see cref="Freeze"/>
/// the mark and the alert are all (configuration `freeze: none`): the MAC keeps being followed where it goes.</summary>
public sealed record DuplicateDetectionOptions(
    bool Enabled = true,
    int MaxMoves = 5,
    TimeSpan? Window = null,
    TimeSpan? FreezeTime = null,
    bool Freeze = true)
{
    public static readonly DuplicateDetectionOptions Default = new();
    public TimeSpan EffectiveWindow => Window ?? TimeSpan.FromSeconds(180);
}

/// <summary>One L2 VNI as configured. Whatever is not set is derived: RD <c>router-id:index</c>
/// (RFC 7432 section 7.9), route targets per <see cref="CoreOptions.Derivation"/> or <paramref name="Derivation"/>
/// (<see cref="VniIdentity"/>); <paramref name="Evi"/> is the EVPN instance number the Nokia rule uses (the VLAN for NX-OS's RD).
/// <paramref name="EthernetTag"/> is carried by local type-2/type-3 routes: 0 for VLAN-based service, the
/// VNI (or what the peers use) for a VLAN-aware bundle of VNIs sharing an RD and route targets (RFC 8365 section 5.1.3).</summary>
public sealed record VniConfig(
    uint Vni,
    RouteDistinguisher? Rd = null,
    IReadOnlyList<ExtendedCommunity>? ImportRouteTargets = null,
    IReadOnlyList<ExtendedCommunity>? ExportRouteTargets = null,
    bool? AdvertiseDefaultGateway = null,
    uint EthernetTag = 0,
    DerivationMode? Derivation = null,
    uint? Evi = null);

/// <summary>The EVPN core's configuration. Immutable; <see cref="EvpnCore.Reconfigure"/> applies a new one.</summary>
public sealed record CoreOptions(uint LocalAsn, IpAddr RouterId, IpAddr LocalVtep)
{
    /// <summary>Act as an RFC 4456 route reflector for clients marked in <c>PeerSession</c>.</summary>
    public bool IsRouteReflector { get; init; }
    public IpAddr? ClusterId { get; init; }

    /// <summary>Keep received routes as received (Adj-RIB-In pre-policy) for show commands.</summary>
    public bool KeepPrePolicy { get; init; }

    /// <summary>See <see cref="Rib.RibOptions.UpdateGroupBacklog"/>.</summary>
    public int UpdateGroupBacklog { get; init; } = Rib.RibOptions.DefaultUpdateGroupBacklog;

    /// <summary>Whose rule derives the RD and route targets of a VNI that does not configure them.</summary>
    public DerivationMode Derivation { get; init; } = DerivationMode.Frr;

    /// <summary>Also import routes carrying any route target <c>*:VNI</c> (any global administrator).</summary>
    public bool WildcardImport { get; init; }

    /// <summary>Serve VNIs the data plane reports even without configuration (FRR's advertise-all-vni).</summary>
    public bool AdvertiseAllVnis { get; init; } = true;

    /// <summary>Tag MACs learned on a VNI's SVI with the Default Gateway community (RFC 7432 section 7.8).</summary>
    public bool AdvertiseDefaultGateway { get; init; }

    public DuplicateDetectionOptions DuplicateDetection { get; init; } = DuplicateDetectionOptions.Default;

    public IReadOnlyList<VniConfig> Vnis { get; init; } = [];
}
