using System.Threading.Channels;

namespace Evpn.DataPlane;

/// <summary>The outcome of one entry of a batch that the data plane could not apply.</summary>
public sealed record IntentFailure(DataPlaneIntent Intent, int ErrorCode, string Message, bool WillRetry);

/// <summary>The result of applying a batch: every entry not listed in <see cref="Failures"/> was applied.</summary>
public sealed record ApplyResult(int Applied, IReadOnlyList<IntentFailure> Failures)
{
    public static readonly ApplyResult Empty = new(0, []);
}

/// <summary>What evpnd intends and what the data plane holds: the input of an audit.</summary>
public sealed record DataPlaneState(
    IReadOnlyCollection<FdbEntry> Fdb,
    IReadOnlyCollection<FloodEntry> Flood,
    IReadOnlyCollection<NeighborEntry> Neighbors);

/// <summary>The local VXLAN data plane: the Linux kernel over rtnetlink, or an in-memory table.</summary>
/// <remarks>
///   Restart without traffic loss: <see cref="StartAsync"/> adopts the entries a previous evpnd left
///   (extern_learn) as stale; intents re-applied afterwards refresh them; <see cref="SweepStaleAsync"/>,
///   called once the EVPN core has re-converged, removes only what is still stale.
/// </remarks>
public interface IDataPlane : IAsyncDisposable
{
    /// <summary>Local events (VNIs, learned MACs and neighbors). Single reader: the speaker loop.</summary>
    ChannelReader<DataPlaneEvent> Events { get; }

    /// <summary>Discovers VNIs, dumps local MACs and neighbors (emitted as events) and adopts
    /// entries left by a previous run as stale.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Applies a batch; failures are reported per entry and retried with backoff where that can help.</summary>
    Task<ApplyResult> ApplyAsync(IReadOnlyList<DataPlaneIntent> batch, CancellationToken cancellationToken);

    /// <summary>Removes adopted entries that no intent refreshed since <see cref="StartAsync"/>. Returns how many.</summary>
    Task<int> SweepStaleAsync(CancellationToken cancellationToken);

    /// <summary>Reads back the remote entries (the ones evpnd owns) as the data plane holds them now.</summary>
    Task<DataPlaneState> ReadInstalledAsync(CancellationToken cancellationToken);

    /// <summary>The remote entries evpnd asked for since start, whether the data plane took them or not.</summary>
    Task<DataPlaneState> ReadIntendedAsync(CancellationToken cancellationToken);
}
