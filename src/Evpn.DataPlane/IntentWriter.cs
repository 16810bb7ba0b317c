using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Evpn.DataPlane;

/// <summary>Hands the EVPN core's data-plane intents to the data plane on a task of its own, so that the
/// speaker loop never waits for the kernel. Batches posted while a previous one was being applied are
/// applied together, up to <see cref="MaxBatch"/> intents per netlink batch. Audits run on the same task,
/// after the batches posted before them.</summary>
/// <remarks>The queue is bounded from the speaker's side (<see cref="Backpressure"/>): a table load or a
/// withdraw-all reaches the RIB faster than the kernel takes it, and every intent waiting in between is memory:
/// the bound lets the peer wait in TCP instead.</remarks>
public sealed class IntentWriter : IAsyncDisposable
{
    /// <summary>Intents that may wait for the writer task before the speaker stops taking messages.</summary>
    public const int QueueBound = 16384;

    /// <summary>The most intents the writer task takes for one batch (whole posts; the last may go past it):
    /// half the bound, so that a take leaves the speaker room to go on while the kernel works on the batch
    /// instead of waiting, after each take of everything queued, for that whole batch to be applied.</summary>
    public const int MaxBatch = QueueBound / 2;

    /// <summary>The longest the speaker holds messages for the writer task to take a batch. A writer that
    /// takes nothing for this long is stuck (the kernel does not answer): the queue then grows as it would
    /// without a bound rather than letting the peers' hold timers run out behind unread KEEPALIVEs.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(1);

    private static readonly Meter Meter = new("Evpn.Daemon.DataPlane");
    private static readonly Histogram<double> HandoffToKernel = Meter.CreateHistogram<double>(
        "evpn.update.to.kernel", unit: "s",
        description: "From the speaker loop handing intents over (right after processing the UPDATE or local event) to the data plane acknowledging them");
    // Entries applied and refused are counted by the data plane itself (evpn.dataplane.intents.*), per kind.
    private static readonly Counter<long> BatchesFailed = Meter.CreateCounter<long>("evpn.dataplane.batches.failed", "{batch}",
        "Data-plane batches that failed as a whole: the data plane threw instead of reporting per entry (the log says why)");
    private static readonly Counter<long> Holds = Meter.CreateCounter<long>("evpn.intents.holds",
        description: "Times the speaker stopped taking messages until the data plane caught up, by how the hold ended (taken, timed-out)");

    private readonly IDataPlane _dataPlane;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _running;

    /// <summary>Intents posted and not yet taken by the writer task.</summary>
    private int _queued;

    /// <summary>How many batches the writer task has taken; the holds' clock.</summary>
    private long _takes;

    /// <summary>Completed by the writer task the next time it takes a batch; set by a hold.</summary>
    private TaskCompletionSource? _nextTake;

    /// <summary>The <see cref="_takes"/> at which a hold ran out; no more holds until the writer moves on.</summary>
    private long _stuckAt = -1;

    public IntentWriter(IDataPlane dataPlane, ILogger log, TimeProvider? time = null)
    {
        _dataPlane = dataPlane;
        _log = log;
        _time = time ?? TimeProvider.System;
        _running = Task.Run(RunAsync);
    }

    /// <summary>Intents posted and not yet taken by the writer task.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Queues a batch; never blocks the caller.</summary>
    public void Post(IReadOnlyList<DataPlaneIntent> batch)
    {
        Interlocked.Add(ref _queued, batch.Count);
        _work.Writer.TryWrite(new Apply(batch, Stopwatch.GetTimestamp()));
    }

    /// <summary>Null while the queue is within <see cref="QueueBound"/>; past it, a task that completes when
    /// the writer task next takes a batch from the queue, or after <see cref="MaxHold"/> if it does not. For
    /// one caller at a time (the speaker loop).</summary>
    public Task? Backpressure()
    {
        if (Volatile.Read(ref _queued) <= QueueBound)
        {
            return null;
        }
        var takes = Interlocked.Read(ref _takes);
        if (takes == Interlocked.Read(ref _stuckAt))
        {
            return null;
        }
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _nextTake, next);
        // The writer task may have taken a batch between the read of _takes and the exchange.
        if (Interlocked.Read(ref _takes) != takes)
        {
            next.TrySetResult();
        }
        return HoldAsync(next.Task, takes);
    }

    private async Task HoldAsync(Task taken, long takesBefore)
    {
        using var timeout = new CancellationTokenSource();
        var ended = await Task.WhenAny(taken, Task.Delay(MaxHold, _time, timeout.Token)).ConfigureAwait(false);
        if (ended == taken)
        {
            timeout.Cancel();
            Holds.Add(1, new KeyValuePair<string, object?>("end", "taken"));
            return;
        }
        Interlocked.Exchange(ref _stuckAt, takesBefore);
        Holds.Add(1, new KeyValuePair<string, object?>("end", "timed-out"));
        _log.LogWarning("the data plane took no intents for {Seconds:F0} s with {Queued} queued: messages are read on, the queue grows until it moves",
            MaxHold.TotalSeconds, Queued);
    }

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
            while (batch.Count < MaxBatch && reader.TryPeek(out var next) && next is Apply)
            {
                reader.TryRead(out _);
                var apply = (Apply)next;
                batch.AddRange(apply.Intents);
                postedAt.Add(apply.PostedAt);
            }
            if (batch.Count > 0)
            {
                Interlocked.Add(ref _queued, -batch.Count);
                Interlocked.Increment(ref _takes);
                Interlocked.Exchange(ref _nextTake, null)?.TrySetResult();
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
            foreach (var failure in result.Failures)
            {
                _log.LogWarning("data plane refused {Intent}: {Error} (errno {Errno}); {Retry}", failure.Intent, failure.Message,
                    failure.ErrorCode, failure.WillRetry ? "will retry" : "given up");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            BatchesFailed.Add(1);
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
