namespace Evpn.Config.Options;

/// <summary>The whole evpnd configuration file after parsing and validation. Immutable: a reload builds a
/// new one and <see cref="Diff.ConfigDiff"/> says what changed.</summary>
public sealed record EvpnConfig(
    RouterOptions Router,
    EquatableArray<NeighborOptions> Neighbors,
    EvpnOptions Evpn,
    DataPlaneOptions DataPlane,
    ManagementOptions Management,
    MetricsOptions Metrics,
    LoggingOptions Logging,
    MrtDumpOptions? MrtDump);
