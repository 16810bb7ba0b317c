namespace Evpn.DataPlane;

/// <summary>An entry present on both sides with a different value (an FDB entry toward another VTEP or with
/// another remote VNI, a neighbor with another MAC).</summary>
public sealed record Mismatch<T>(T Intended, T Installed);

/// <summary>The differences between what evpnd intends and what the data plane holds (`evpnctl audit`).</summary>
public sealed record AuditReport(
    IReadOnlyList<FdbEntry> MissingFdb,
    IReadOnlyList<FdbEntry> ExtraFdb,
    IReadOnlyList<Mismatch<FdbEntry>> WrongVtep,
    IReadOnlyList<FloodEntry> MissingFlood,
    IReadOnlyList<FloodEntry> ExtraFlood,
    IReadOnlyList<NeighborEntry> MissingNeighbors,
    IReadOnlyList<NeighborEntry> ExtraNeighbors,
    IReadOnlyList<Mismatch<NeighborEntry>> WrongMac)
{
    public bool IsClean =>
        MissingFdb.Count + ExtraFdb.Count + WrongVtep.Count + MissingFlood.Count + ExtraFlood.Count
        + MissingNeighbors.Count + ExtraNeighbors.Count + WrongMac.Count == 0;
}

public static class DataPlaneAudit
{
    /// <summary>Compares the intended state with a fresh read of the data plane.</summary>
    public static AuditReport Compare(DataPlaneState intended, DataPlaneState installed)
    {
        var intendedFdb = intended.Fdb.ToDictionary(e => (e.Vni, e.Mac));
        var installedFdb = installed.Fdb.ToDictionary(e => (e.Vni, e.Mac));
        var intendedNeighbors = intended.Neighbors.ToDictionary(e => (e.Vni, e.Ip));
        var installedNeighbors = installed.Neighbors.ToDictionary(e => (e.Vni, e.Ip));
        var installedFlood = installed.Flood.ToHashSet();
        var intendedFlood = intended.Flood.ToHashSet();

        return new AuditReport(
            MissingFdb: intendedFdb.Where(kv => !installedFdb.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList(),
            ExtraFdb: installedFdb.Where(kv => !intendedFdb.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList(),
            // Sticky is evpnd's bookkeeping; the kernel entry is judged by where it sends frames, and with what VNI.
            WrongVtep: intendedFdb
                .Where(kv => installedFdb.TryGetValue(kv.Key, out var i) && (i.Vtep != kv.Value.Vtep || i.RemoteVni != kv.Value.RemoteVni))
                .Select(kv => new Mismatch<FdbEntry>(kv.Value, installedFdb[kv.Key])).ToList(),
            MissingFlood: intendedFlood.Where(e => !installedFlood.Contains(e)).ToList(),
            ExtraFlood: installedFlood.Where(e => !intendedFlood.Contains(e)).ToList(),
            MissingNeighbors: intendedNeighbors.Where(kv => !installedNeighbors.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList(),
            ExtraNeighbors: installedNeighbors.Where(kv => !intendedNeighbors.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList(),
            WrongMac: intendedNeighbors
                .Where(kv => installedNeighbors.TryGetValue(kv.Key, out var i) && i.Mac != kv.Value.Mac)
                .Select(kv => new Mismatch<NeighborEntry>(kv.Value, installedNeighbors[kv.Key])).ToList());
    }

    /// <summary>Reads the data plane afresh and compares it with <paramref name="intended"/>.</summary>
    public static async Task<AuditReport> AuditAsync(this IDataPlane dataPlane, DataPlaneState intended, CancellationToken cancellationToken) =>
        Compare(intended, await dataPlane.ReadInstalledAsync(cancellationToken).ConfigureAwait(false));
}
