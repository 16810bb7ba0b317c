using System.Threading.Channels;
using Evpn.DataPlane.InMemory;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evpn.DataPlane.Tests;

/// <summary>The bound between the speaker and the data plane: past <see cref="IntentWriter.QueueBound"/>
/// queued intents the speaker is told to hold messages until the writer task takes its next batch, and never
/// longer than <see cref="IntentWriter.MaxHold"/>. Every wait is on the data plane reporting a batch taken or
/// applied; the hold limit runs on a clock the test moves.</summary>
public sealed class IntentWriterTests : IAsyncDisposable
{
    /// <summary>How long a test waits for the writer task before it fails: a bound, not an expected time.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly GatedDataPlane _dataPlane = new();
    private readonly IntentWriter _writer;

    public IntentWriterTests() => _writer = new IntentWriter(_dataPlane, NullLogger.Instance, _time);

    public async ValueTask DisposeAsync()
    {
        _dataPlane.Release(int.MaxValue / 2);
        await _writer.DisposeAsync();
        await _dataPlane.DisposeAsync();
    }

    private static DataPlaneIntent[] Installs(int count, int first = 0) =>
        Enumerable.Range(first, count)
            .Select(i => (DataPlaneIntent)new DataPlaneIntent.AddFdb(new FdbEntry(100, new MacAddress(0x020000000000UL + (ulong)i), IpAddr.Parse("192.0.2.1"))))
            .ToArray();

    /// <summary>Posts one intent and waits until the writer task has taken it: it is then blocked at the gate
    /// applying it, and takes nothing more until the test releases a batch.</summary>
    private async Task OccupyWriterAsync()
    {
        _writer.Post(Installs(1, first: 1_000_000));
        Assert.Equal(1, await _dataPlane.NextBatchTakenAsync());
        Assert.Equal(0, _writer.Queued);
    }

    /// <summary>With the writer task blocked on a batch, posts one intent more than the bound: the hold.</summary>
    private async Task<Task> HoldPastTheBoundAsync()
    {
        await OccupyWriterAsync();
        _writer.Post(Installs(IntentWriter.QueueBound + 1));
        var hold = _writer.Backpressure();
        Assert.NotNull(hold);
        // Only a take or the hold limit ends it; the writer is at the gate and the clock has not moved.
        Assert.False(hold.IsCompleted);
        return hold;
    }

    [Fact]
    public async Task Within_the_bound_nothing_is_held()
    {
        await OccupyWriterAsync();
        _writer.Post(Installs(IntentWriter.QueueBound));
        Assert.Equal(IntentWriter.QueueBound, _writer.Queued);
        Assert.Null(_writer.Backpressure());
    }

    [Fact]
    public async Task Past_the_bound_the_hold_ends_when_the_writer_takes_its_next_batch()
    {
        var hold = await HoldPastTheBoundAsync();

        _dataPlane.Release(1);
        Assert.Equal(IntentWriter.QueueBound + 1, await _dataPlane.NextBatchTakenAsync());
        await hold.WaitAsync(Bound);
        Assert.Equal(0, _writer.Queued);
        _dataPlane.Release(1);
        await _dataPlane.AppliedAsync(IntentWriter.QueueBound + 2);
        Assert.Equal(IntentWriter.QueueBound + 2, (await _dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.Count);
    }

    [Fact]
    public async Task The_writer_takes_at_most_a_batch_and_leaves_the_rest_queued()
    {
        await OccupyWriterAsync();
        var post = IntentWriter.MaxBatch / 2;
        for (var i = 0; i < 4; i++)
        {
            _writer.Post(Installs(post, first: i * post));
        }
        Assert.Equal(4 * post, _writer.Queued);

        _dataPlane.Release(1);
        Assert.Equal(IntentWriter.MaxBatch, await _dataPlane.NextBatchTakenAsync());
        Assert.Equal(2 * post, _writer.Queued);
        _dataPlane.Release(1);
        Assert.Equal(IntentWriter.MaxBatch, await _dataPlane.NextBatchTakenAsync());
        _dataPlane.Release(1);
        await _dataPlane.AppliedAsync(4 * post + 1);
        Assert.Equal(0, _writer.Queued);
        Assert.Equal(4 * post + 1, (await _dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.Count);
    }

    [Fact]
    public async Task A_writer_that_takes_nothing_ends_the_hold_after_the_limit_and_is_not_waited_for_again_until_it_moves()
    {
        var hold = await HoldPastTheBoundAsync();
        // The manual clock fires due timers inside Advance: short of the limit, nothing is due.
        _time.Advance(IntentWriter.MaxHold - TimeSpan.FromMilliseconds(1));
        Assert.False(hold.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await hold.WaitAsync(Bound);

        _writer.Post(Installs(10, first: IntentWriter.QueueBound + 1));
        Assert.Null(_writer.Backpressure());

        // The writer moves on (takes the big post as its batch, then blocks on it): past the bound, holds again.
        _dataPlane.Release(1);
        Assert.Equal(IntentWriter.QueueBound + 1, await _dataPlane.NextBatchTakenAsync());
        Assert.Equal(10, _writer.Queued);
        _writer.Post(Installs(IntentWriter.QueueBound + 1, first: 2 * IntentWriter.QueueBound));
        Assert.NotNull(_writer.Backpressure());
    }

    /// <summary>The in-memory data plane behind a gate: each batch waits for the test to let it through, as
    /// batches wait for a kernel that is slower than the RIB. It reports each batch as the writer hands it
    /// over (the writer has taken it off its queue by then) and the intents applied so far.</summary>
    private sealed class GatedDataPlane : IDataPlane
    {
        private readonly InMemoryDataPlane _inner = new();
        private readonly SemaphoreSlim _gate = new(0);
        private readonly Channel<int> _taken = Channel.CreateUnbounded<int>();
        private readonly Channel<int> _applied = Channel.CreateUnbounded<int>();
        private int _appliedSoFar;

        public GatedDataPlane() => _inner.AddVni(new VniInfo(100, "vx100", "br100", IpAddr.Parse("192.0.2.2"), 4789, false, null));

        public void Release(int batches) => _gate.Release(batches);

        /// <summary>The size of the next batch the writer hands over; fails after <see cref="Bound"/>.</summary>
        public async Task<int> NextBatchTakenAsync() => await _taken.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        /// <summary>Waits until <paramref name="count"/> intents in all have been applied; fails after <see cref="Bound"/>.</summary>
        public async Task AppliedAsync(int count)
        {
            using var timeout = new CancellationTokenSource(Bound);
            while (Volatile.Read(ref _appliedSoFar) < count)
            {
                await _applied.Reader.ReadAsync(timeout.Token);
            }
        }

        public ChannelReader<DataPlaneEvent> Events => _inner.Events;

        public Task StartAsync(CancellationToken cancellationToken) => _inner.StartAsync(cancellationToken);

        public async Task<ApplyResult> ApplyAsync(IReadOnlyList<DataPlaneIntent> batch, CancellationToken cancellationToken)
        {
            _taken.Writer.TryWrite(batch.Count);
            await _gate.WaitAsync(cancellationToken);
            var result = await _inner.ApplyAsync(batch, cancellationToken);
            _applied.Writer.TryWrite(Interlocked.Add(ref _appliedSoFar, batch.Count));
            return result;
        }

        public Task<int> SweepStaleAsync(CancellationToken cancellationToken) => _inner.SweepStaleAsync(cancellationToken);

        public Task<DataPlaneState> ReadInstalledAsync(CancellationToken cancellationToken) => _inner.ReadInstalledAsync(cancellationToken);

        public Task<DataPlaneState> ReadIntendedAsync(CancellationToken cancellationToken) => _inner.ReadIntendedAsync(cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
