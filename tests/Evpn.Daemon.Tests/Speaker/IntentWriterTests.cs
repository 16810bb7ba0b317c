using Evpn.Daemon.Speaker;
using Evpn.DataPlane;
using Evpn.DataPlane.InMemory;
using Evpn.Session.Tests;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evpn.Daemon.Tests.Speaker;

/// <summary>The bound between the speaker and the data plane: past <see cref="IntentWriter.QueueBound"/>
/// queued intents the speaker is told to hold messages until the writer task takes its next batch, and never
/// longer than <see cref="IntentWriter.MaxHold"/>.</summary>
public sealed class IntentWriterTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly SlowDataPlane _dataPlane = new();
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

    /// <summary>Posts one intent and waits (bounded) until the writer task has taken it: it is then blocked
    /// applying it.</summary>
    private async Task OccupyWriterAsync()
    {
        _writer.Post(Installs(1, first: 1_000_000));
        await WaitForQueuedAsync(0);
    }

    /// <summary>With the writer task blocked on a batch, posts one intent more than the bound: the hold.</summary>
    private async Task<Task> HoldPastTheBoundAsync()
    {
        await OccupyWriterAsync();
        _writer.Post(Installs(IntentWriter.QueueBound + 1));
        var hold = _writer.Backpressure();
        Assert.NotNull(hold);
        return hold;
    }

    /// <summary>Waits (bounded) until the writer task has taken all but <paramref name="left"/> queued intents.</summary>
    private async Task WaitForQueuedAsync(int left)
    {
        for (var i = 0; i < 200 && _writer.Queued > left; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(left, _writer.Queued);
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
        await Task.Delay(100);
        Assert.False(hold.IsCompleted);

        _dataPlane.Release(1);
        await hold.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _writer.Queued);
        _dataPlane.Release(1);
        await WaitForInstalledAsync(IntentWriter.QueueBound + 2);
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
        await WaitForQueuedAsync(2 * post);
        _dataPlane.Release(2);
        await WaitForInstalledAsync(4 * post + 1);
        Assert.Equal(0, _writer.Queued);
    }

    [Fact]
    public async Task A_writer_that_takes_nothing_ends_the_hold_after_the_limit_and_is_not_waited_for_again_until_it_moves()
    {
        var hold = await HoldPastTheBoundAsync();
        _time.Advance(IntentWriter.MaxHold - TimeSpan.FromMilliseconds(1));
        await Task.Delay(100);
        Assert.False(hold.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await hold.WaitAsync(TimeSpan.FromSeconds(10));

        _writer.Post(Installs(10, first: IntentWriter.QueueBound + 1));
        Assert.Null(_writer.Backpressure());

        // The writer moves on (takes the big post as its batch, then blocks on it): past the bound, holds again.
        _dataPlane.Release(1);
        await WaitForQueuedAsync(10);
        _writer.Post(Installs(IntentWriter.QueueBound + 1, first: 2 * IntentWriter.QueueBound));
        Assert.NotNull(_writer.Backpressure());
    }

    private async Task WaitForInstalledAsync(int count)
    {
        var installed = 0;
        for (var i = 0; i < 500 && (installed = (await _dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.Count) < count; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(count, installed);
    }

    /// <summary>The in-memory data plane behind a gate: each batch waits for the test to let it through, as
    /// batches wait for a kernel that is slower than the RIB.</summary>
    private sealed class SlowDataPlane : IDataPlane
    {
        private readonly InMemoryDataPlane _inner = new();
        private readonly SemaphoreSlim _gate = new(0);

        public SlowDataPlane() => _inner.AddVni(new VniInfo(100, "vx100", "br100", IpAddr.Parse("192.0.2.2"), 4789, false, null));

        public void Release(int batches) => _gate.Release(batches);

        public System.Threading.Channels.ChannelReader<DataPlaneEvent> Events => _inner.Events;

        public Task StartAsync(CancellationToken cancellationToken) => _inner.StartAsync(cancellationToken);

        public async Task<ApplyResult> ApplyAsync(IReadOnlyList<DataPlaneIntent> batch, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            return await _inner.ApplyAsync(batch, cancellationToken);
        }

        public Task<int> SweepStaleAsync(CancellationToken cancellationToken) => _inner.SweepStaleAsync(cancellationToken);

        public Task<DataPlaneState> ReadInstalledAsync(CancellationToken cancellationToken) => _inner.ReadInstalledAsync(cancellationToken);

        public Task<DataPlaneState> ReadIntendedAsync(CancellationToken cancellationToken) => _inner.ReadIntendedAsync(cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
