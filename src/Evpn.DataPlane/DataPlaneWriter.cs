using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Evpn.DataPlane;

/// <summary>The part of the data plane both implementations share: applying batches through an
/// <see cref="IIntentExecutor"/>, per-entry failures with retry and backoff, the owned-entry table with
/// its stale marks, and the sweep. One batch at a time (a retry tick and an apply never interleave).</summary>
public sealed class DataPlaneWriter : IAsyncDisposable
{
    /// <summary>Entries the per-batch record keeps room for between batches.</summary>
    private const int SentInBatchCapacityKept = 1024;

    private readonly IIntentExecutor _executor;
    private readonly OwnedEntries _owned;
    private readonly RetryQueue _retries;
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly DataPlaneMetrics _metrics;
    private readonly Action<IReadOnlyList<IntentFailure>> _reportFailures;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The executor's outcome slots, reused from batch to batch (only one runs at a time).</summary>
    private IntentOutcome[] _outcomes = [];

    /// <summary>In a batch that both installs and removes: the last intent the batch has sent so far for each
    /// FDB or neighbor entry it installed. The owned-entry table records a batch only after it ran, so a
    /// removal is judged against this first. Cleared after each batch.</summary>
    private readonly Dictionary<IntentKey, DataPlaneIntent> _sentInBatch = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _retryLoop;

    /// <param name="reportFailures">Called once per batch that had failures, with all of them (the Linux data
    /// plane logs a summary): a table filling up fails thousands of entries at once.</param>
    public DataPlaneWriter(
        IIntentExecutor executor,
        OwnedEntries owned,
        RetryPolicy policy,
        TimeProvider time,
        DataPlaneMetrics metrics,
        Action<IReadOnlyList<IntentFailure>> reportFailures)
    {
        _executor = executor;
        _owned = owned;
        _policy = policy;
        _time = time;
        _metrics = metrics;
        _reportFailures = reportFailures;
        _retries = new RetryQueue(policy, time);
        metrics.Observe("evpn.dataplane.retries.pending", "{entry}", "Failed entries waiting for their next attempt", () => _retries.Count);
        metrics.Observe("evpn.dataplane.entries.owned", "{entry}", "Remote entries evpnd holds in the data plane", () => _owned.Count);
    }

    public int PendingRetries => _retries.Count;

    /// <summary>Starts retrying failed entries in the background, checking every half initial delay.</summary>
    public void StartRetryLoop() => _retryLoop ??= Task.Run(() => RetryLoopAsync(_stop.Token));

    /// <summary>Runs <paramref name="action"/> on the owned-entry table while no batch is in flight.</summary>
    public async Task<T> WithOwnedAsync<T>(Func<OwnedEntries, T> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return action(_owned);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ApplyResult> ApplyAsync(IReadOnlyList<DataPlaneIntent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return ApplyResult.Empty;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<DataPlaneIntent>? effective = null;
            // Only held failures are superseded or replaced here: without any, a table load or a withdraw-all
            // goes to the executor without a pass of its own.
            for (var i = 0; !_retries.IsEmpty && i < batch.Count; i++)
            {
                // A withdrawal of a location the entry has left (its newer install failed and waits for a retry)
                // must not cancel that retry.
                if (IsObsoleteRemoval(batch[i]))
                {
                    continue;
                }
                if (WithdrawnInstead(batch[i]) is { } installed)
                {
                    effective ??= [.. batch];
                    effective[i] = installed;
                }
                _retries.Supersede(batch[i]);
            }
            return await ApplyLockedAsync(effective ?? batch, attempts: null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Makes the next attempt for every failed entry whose backoff has elapsed.</summary>
    public async Task<ApplyResult> RetryDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var due = _retries.TakeDue();
            if (due.Count == 0)
            {
                return ApplyResult.Empty;
            }
            _metrics.Retried.Add(due.Count);
            // A removal still held for a retry is the entry's latest intent (a newer one would have superseded it):
            // the entry is to be gone, wherever the table holds it now.
            return await ApplyLockedAsync(due.Select(d => RemovalOfHeld(d.Intent) ?? d.Intent).ToList(), due.Select(d => d.Attempts).ToList(), cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What evpnd asked for, applied or not (the reference of an audit): the owned entries that are
    /// not stale, with the failed intents (waiting for a retry or given up) laid over them.</summary>
    public async Task<DataPlaneState> ReadIntendedAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _owned.Intended(_retries.Unapplied);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes every entry still stale (adopted at start and not re-installed since).</summary>
    public async Task<int> SweepStaleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var removals = _owned.StaleRemovals();
            var result = await ApplyLockedAsync(removals, attempts: null, cancellationToken).ConfigureAwait(false);
            _metrics.Swept.Add(result.Applied);
            return result.Applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <param name="attempts">Attempts already made per intent (retries); null for a first attempt of all.</param>
    /// <remarks>A batch goes to the executor as it came, without copies: a table load makes batches of tens of
    /// thousands of intents, and every copy of one is a large-object-heap array, which brings full collections.</remarks>
    private async Task<ApplyResult> ApplyLockedAsync(IReadOnlyList<DataPlaneIntent> intents, IReadOnlyList<int>? attempts, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var applied = 0;
        // Indices of the intents that go to the executor, made only once one is left out.
        List<int>? kept = null;
        // A table load only installs and a withdrawal only removes: only a batch that does both (a move and a
        // withdraw queued together while the writer was busy) can remove what it installed itself.
        var mixed = InstallsAndRemoves(intents);
        for (var i = 0; i < intents.Count; i++)
        {
            if (IsObsoleteRemoval(intents[i]))
            {
                // The entry now points elsewhere (a MAC move applied before this withdraw): nothing to do.
                kept ??= Enumerable.Range(0, i).ToList();
                applied++;
                continue;
            }
            if (mixed)
            {
                NoteSent(intents[i]);
            }
            kept?.Add(i);
        }
        _sentInBatch.Clear();
        // A large mixed batch (a move during a table load) must not keep its table's size for good.
        _sentInBatch.TrimExcess(SentInBatchCapacityKept);
        IReadOnlyList<DataPlaneIntent> toExecute = kept is null ? intents : kept.Select(i => intents[i]).ToList();
        var outcomes = await ExecuteAsync(toExecute, cancellationToken).ConfigureAwait(false);
        var failures = new List<IntentFailure>();
        // Counted per kind and added once per batch: a measurement per entry cost more than the entry.
        var appliedByKind = new long[IntentKinds.Count];
        for (var i = 0; i < toExecute.Count; i++)
        {
            var intent = toExecute[i];
            var outcome = outcomes[i];
            if (outcome.Succeeded)
            {
                // An earlier intent of this batch for the same entry may have failed: this one is newer.
                _retries.Supersede(intent);
                _owned.Record(intent);
                applied++;
                appliedByKind[(int)intent.KindOf()]++;
                continue;
            }
            var willRetry = _retries.OnFailure(intent, outcome.ErrorCode, attempts?[kept?[i] ?? i] ?? 0);
            var failure = new IntentFailure(intent, outcome.ErrorCode, Message(outcome), willRetry);
            failures.Add(failure);
            _metrics.Failed.Add(1, new KeyValuePair<string, object?>("kind", intent.Kind()), new KeyValuePair<string, object?>("errno", outcome.ErrorCode));
            if (!willRetry)
            {
                _metrics.Abandoned.Add(1, new KeyValuePair<string, object?>("kind", intent.Kind()));
            }
        }
        _executor.Settle(_owned);
        for (var kind = 0; kind < appliedByKind.Length; kind++)
        {
            if (appliedByKind[kind] != 0)
            {
                _metrics.Applied.Add(appliedByKind[kind], new KeyValuePair<string, object?>("kind", ((IntentKind)kind).Name()));
            }
        }
        if (failures.Count > 0)
        {
            _reportFailures(failures);
        }
        _metrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new ApplyResult(applied, failures);
    }

    /// <returns>The outcome slots of <paramref name="intents"/>, valid until the next batch.</returns>
    private async Task<IntentOutcome[]> ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, CancellationToken cancellationToken)
    {
        if (_outcomes.Length < intents.Count)
        {
            _outcomes = new IntentOutcome[intents.Count];
        }
        var outcomes = _outcomes.AsMemory(0, intents.Count);
        outcomes.Span.Fill(IntentOutcome.Ok);
        try
        {
            await _executor.ExecuteAsync(intents, outcomes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The table itself was unreachable: every entry failed the same way and is retried as such.
            outcomes.Span.Fill(new IntentOutcome(Errno.EIO, e.Message));
        }
        return _outcomes;
    }

    /// <summary>A removal of an entry that points elsewhere by now: after what this batch sent before it when
    /// it sent anything for the entry (a removal sent before: harmless to repeat), else after a failed install
    /// of it still held for a retry, else in the owned table.</summary>
    private bool IsObsoleteRemoval(DataPlaneIntent intent)
    {
        if (_sentInBatch.Count > 0 && intent.IsRemoval() && _sentInBatch.TryGetValue(IntentKey.Of(intent), out var earlier))
        {
            return PointsElsewhere(intent, earlier);
        }
        if (intent.IsRemoval() && _retries.UnappliedFor(intent) is { } unapplied && !unapplied.IsRemoval())
        {
            return PointsElsewhere(intent, unapplied);
        }
        return intent switch
        {
            DataPlaneIntent.RemoveFdb r => _owned.TryGetFdb(r.Entry.Vni, r.Entry.Mac, out var installed) && installed.Vtep != r.Entry.Vtep,
            DataPlaneIntent.RemoveNeighbor r => _owned.TryGetNeighbor(r.Entry.Vni, r.Entry.Ip, out var installed) && installed.Mac != r.Entry.Mac,
            _ => false,
        };
    }

    /// <summary>For the withdrawal of a location whose install failed and waits for a retry: the removal of what
    /// the table still holds for the entry (the location before), since the entry is to be gone.</summary>
    private DataPlaneIntent? WithdrawnInstead(DataPlaneIntent intent) =>
        intent.IsRemoval() && _retries.UnappliedFor(intent) is DataPlaneIntent.AddFdb or DataPlaneIntent.AddNeighbor ? RemovalOfHeld(intent) : null;

    /// <summary>The removal of what the owned table holds for the entry <paramref name="removal"/> is about, when
    /// that lies elsewhere than the location it names (one whose install failed); null otherwise.</summary>
    private DataPlaneIntent? RemovalOfHeld(DataPlaneIntent removal) => removal switch
    {
        DataPlaneIntent.RemoveFdb r when _owned.TryGetFdb(r.Entry.Vni, r.Entry.Mac, out var installed) && installed.Vtep != r.Entry.Vtep =>
            new DataPlaneIntent.RemoveFdb(installed),
        DataPlaneIntent.RemoveNeighbor r when _owned.TryGetNeighbor(r.Entry.Vni, r.Entry.Ip, out var installed) && installed.Mac != r.Entry.Mac =>
            new DataPlaneIntent.RemoveNeighbor(installed),
        _ => null,
    };

    /// <summary>Whether <paramref name="latest"/>, the newer intent for the entry, installs it elsewhere than <paramref name="removal"/> removes.</summary>
    private static bool PointsElsewhere(DataPlaneIntent removal, DataPlaneIntent latest) => (removal, latest) switch
    {
        (DataPlaneIntent.RemoveFdb r, DataPlaneIntent.AddFdb a) => a.Entry.Vtep != r.Entry.Vtep,
        (DataPlaneIntent.RemoveNeighbor r, DataPlaneIntent.AddNeighbor a) => a.Entry.Mac != r.Entry.Mac,
        _ => false,
    };

    /// <summary>Records an FDB or neighbor intent about to be sent: every install, and a removal of an entry the
    /// batch installed (the other removals need no record: the owned table answers for them).</summary>
    private void NoteSent(DataPlaneIntent intent)
    {
        switch (intent)
        {
            case DataPlaneIntent.AddFdb or DataPlaneIntent.AddNeighbor:
                _sentInBatch[IntentKey.Of(intent)] = intent;
                break;
            case DataPlaneIntent.RemoveFdb or DataPlaneIntent.RemoveNeighbor:
                ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_sentInBatch, IntentKey.Of(intent));
                if (!Unsafe.IsNullRef(ref slot))
                {
                    slot = intent;
                }
                break;
        }
    }

    private static bool InstallsAndRemoves(IReadOnlyList<DataPlaneIntent> intents)
    {
        bool installs = false, removes = false;
        foreach (var intent in intents)
        {
            if (intent.IsRemoval())
            {
                removes = true;
            }
            else
            {
                installs = true;
            }
            if (installs && removes)
            {
                return true;
            }
        }
        return false;
    }

    private static string Message(IntentOutcome outcome) =>
        outcome.Detail is { Length: > 0 } detail ? $"{Errno.Describe(outcome.ErrorCode)}: {detail}" : Errno.Describe(outcome.ErrorCode);

    private async Task RetryLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_policy.InitialDelay / 2, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RetryDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the loop ends.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_retryLoop is not null)
        {
            await _retryLoop.ConfigureAwait(false);
        }
        _stop.Dispose();
        _gate.Dispose();
    }
}
