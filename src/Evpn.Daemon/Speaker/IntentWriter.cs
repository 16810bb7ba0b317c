using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Evpn.DataPlane;
using Microsoft.Extensions.Logging;

namespace Evpn.Daemon.Speaker;

/// <summary>Hands the EVPN core's data-plane intents to the data plane on a task of its own, so that the
/// speaker loop never waits for the kernel. Batches posted while a previous one was being applied are
/// applied together (one netlink batch). Audits run on the same task, after the batches posted before them.</summary>
public sealed class IntentWriter : IAsyncDisposable
{
    private static readonly Meter Meter = new("Evpn.Daemon.DataPlane");
    private static readonly Histogram<double> HandoffToKernel = Meter.CreateHistogram<double>(
        "evpn.update.to.kernel.seconds", unit: "s",
        description: "From the speaker loop handing intents over (right after processing the UPDATE or local event) to the data plane acknowledging them");
    private static readonly Counter<long> IntentsApplied = Meter.CreateCounter<long>("evpn.intents.applied", description: "Data-plane intents applied");
    private static readonly Counter<long> IntentsFailed = Meter.CreateCounter<long>("evpn.intents.failed", description: "Data-plane intents that failed, by kind");

    private readonly IDataPlane _dataPlane;
    private readonly ILogger _log;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _running;

    public IntentWriter(IDataPlane dataPlane, ILogger log)
    {
        _dataPlane = dataPlane;
        _log = log;
        _running = Task.Run(RunAsync);
    }

    /// <summary>Queues a batch; never blocks the caller.</summary>
    public void Post(IReadOnlyList<DataPlaneIntent> batch) => _work.Writer.TryWrite(new Apply(batch, Stopwatch.GetTimestamp()));

    /// <summary>After everything posted before it is applied, removes the adopted entries nothing refreshed
    /// (the end of a graceful restart, RFC 4724: peers re-sent their routes).</summary>
    public void PostSweep() => _work.Writer.TryWrite(new Sweep());

    /// <summary>Compares the intended state with a fresh read of the data plane, after pending batches.</summary>
    public Task<AuditReport> AuditAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<AuditReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        _work.Writer.TryWrite(new Audit(done));
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        await _running.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _work.Reader;
        var batch = new List<DataPlaneIntent>();
        var postedAt = new List<long>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryPeek(out var next) && next is Apply)
            {
                reader.TryRead(out _);
                var apply = (Apply)next;
                batch.AddRange(apply.Intents);
                postedAt.Add(apply.PostedAt);
            }
            if (batch.Count > 0)
            {
                await ApplyAsync(batch, postedAt).ConfigureAwait(false);
                batch.Clear();
                postedAt.Clear();
                continue;
            }
            if (reader.TryRead(out var control))
            {
                await HandleAsync(control).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyAsync(List<DataPlaneIntent> batch, List<long> postedAt)
    {
        try
        {
            var result = await _dataPlane.ApplyAsync(batch, CancellationToken.None).ConfigureAwait(false);
            IntentsApplied.Add(result.Applied);
            foreach (var failure in result.Failures)
            {
                IntentsFailed.Add(1, new KeyValuePair<string, object?>("kind", failure.Intent.Kind()));
                _log.LogWarning("data plane refused {Intent}: {Error} (errno {Errno}); {Retry}", failure.Intent, failure.Message,
                    failure.ErrorCode, failure.WillRetry ? "will retry" : "given up");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            IntentsFailed.Add(batch.Count, new KeyValuePair<string, object?>("kind", "batch"));
            _log.LogError(e, "data plane batch of {Count} intents failed", batch.Count);
        }
        var now = Stopwatch.GetTimestamp();
        foreach (var posted in postedAt)
        {
            HandoffToKernel.Record(Stopwatch.GetElapsedTime(posted, now).TotalSeconds);
        }
    }

    private async Task HandleAsync(Work work)
    {
        switch (work)
        {
            case Sweep:
                try
                {
                    var swept = await _dataPlane.SweepStaleAsync(CancellationToken.None).ConfigureAwait(false);
                    _log.LogInformation("graceful restart complete: swept {Count} stale data-plane entries", swept);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _log.LogError(e, "sweeping stale data-plane entries failed");
                }
                break;
            case Audit audit:
                try
                {
                    var intended = await _dataPlane.ReadIntendedAsync(CancellationToken.None).ConfigureAwait(false);
                    var installed = await _dataPlane.ReadInstalledAsync(CancellationToken.None).ConfigureAwait(false);
                    audit.Done.TrySetResult(DataPlaneAudit.Compare(intended, installed));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    audit.Done.TrySetException(e);
                }
                break;
        }
    }

    private abstract record Work;
    private sealed record Apply(IReadOnlyList<DataPlaneIntent> Intents, long PostedAt) : Work;
    private sealed record Sweep : Work;
    private sealed record Audit(TaskCompletionSource<AuditReport> Done) : Work;
}
