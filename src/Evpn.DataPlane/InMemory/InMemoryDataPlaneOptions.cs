namespace Evpn.DataPlane.InMemory;

/// <summary>Options of the in-memory data plane (`dataplane: memory`).</summary>
/// <param name="Capacity">Entries the table holds before adds fail with ENOSPC, like a full kernel table.</param>
/// <param name="ConfiguredVnis">VNIs the configuration names; null means every VNI present (advertise-all-vni).</param>
/// <param name="Preinstalled">Entries a previous run left behind; <see cref="IDataPlane.StartAsync"/> adopts them as stale.</param>
public sealed record InMemoryDataPlaneOptions(
    int Capacity = int.MaxValue,
    RetryPolicy? Retry = null,
    IReadOnlySet<uint>? ConfiguredVnis = null,
    DataPlaneState? Preinstalled = null,
    int EventQueueCapacity = 65536);
