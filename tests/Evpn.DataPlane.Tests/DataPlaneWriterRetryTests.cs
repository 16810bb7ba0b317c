using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tests;

/// <summary>The writer's retries against a table that fails chosen intents once: a retry carries out the entry's
/// latest intent, whatever the table was left holding by the failures before it.</summary>
public sealed class DataPlaneWriterRetryTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly IpAddr Host = IpAddr.Parse("192.168.0.1");

    private static DataPlaneIntent AddFdb(string vtep) => new DataPlaneIntent.AddFdb(new FdbEntry(100, Mac, IpAddr.Parse(vtep)));
    private static DataPlaneIntent RemoveFdb(string vtep) => new DataPlaneIntent.RemoveFdb(new FdbEntry(100, Mac, IpAddr.Parse(vtep)));
    private static DataPlaneIntent AddNeighbor(ulong mac) => new DataPlaneIntent.AddNeighbor(new NeighborEntry(100, Host, new MacAddress(mac)));
    private static DataPlaneIntent RemoveNeighbor(ulong mac) => new DataPlaneIntent.RemoveNeighbor(new NeighborEntry(100, Host, new MacAddress(mac)));

    /// <summary>Found by the data-plane writer property (seed f9GsXGKh2kF1): the withdrawal's retry found B installed,
    /// took itself for the withdrawal of a location the MAC had moved away from, and left B in the table.</summary>
    [Fact]
    public async Task A_withdrawal_retried_after_its_location_failed_to_install_removes_the_location_installed_before()
    {
        await using var run = new Run();
        await run.ApplyAsync([AddFdb("10.0.0.2")]);

        await run.ApplyAsync([AddFdb("10.0.0.3"), AddFdb("10.0.0.4"), RemoveFdb("10.0.0.4")], fail: [AddFdb("10.0.0.4"), RemoveFdb("10.0.0.4")]);
        Assert.Empty((await run.IntendedAsync()).Fdb);
        Assert.Equal([new FdbEntry(100, Mac, IpAddr.Parse("10.0.0.3"))], run.Table.Fdb.Values);

        await run.RetryAllAsync();
        Assert.Empty(run.Table.Fdb);
        Assert.Empty((await run.OwnedAsync()).Fdb);
    }

    [Fact]
    public async Task A_neighbor_withdrawal_retried_after_its_mac_failed_to_install_removes_the_binding_installed_before()
    {
        await using var run = new Run();
        await run.ApplyAsync([AddNeighbor(1)]);

        await run.ApplyAsync([AddNeighbor(2), RemoveNeighbor(2)], fail: [AddNeighbor(2), RemoveNeighbor(2)]);
        Assert.Equal([new NeighborEntry(100, Host, new MacAddress(1))], run.Table.Neighbors.Values);

        await run.RetryAllAsync();
        Assert.Empty(run.Table.Neighbors);
        Assert.Empty((await run.OwnedAsync()).Neighbors);
    }

    [Fact]
    public async Task A_withdrawal_retried_while_its_location_is_installed_removes_that_location()
    {
        await using var run = new Run();
        await run.ApplyAsync([AddFdb("10.0.0.2")]);

        await run.ApplyAsync([RemoveFdb("10.0.0.2")], fail: [RemoveFdb("10.0.0.2")]);
        Assert.Single(run.Table.Fdb);

        await run.RetryAllAsync();
        Assert.Empty(run.Table.Fdb);
    }

    /// <summary>A writer over <see cref="Table"/>, with a fake clock to make retries due.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly FakeTimeProvider _time = new();
        private readonly DataPlaneWriter _writer;

        public Run() => _writer = new DataPlaneWriter(Table, new OwnedEntries(), new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 10),
            _time, new DataPlaneMetrics(), _ => { });

        public FailingOnceTable Table { get; } = new();

        public Task ApplyAsync(IReadOnlyList<DataPlaneIntent> batch, IEnumerable<DataPlaneIntent>? fail = null)
        {
            Table.FailOnce = [.. fail ?? []];
            return _writer.ApplyAsync(batch, CancellationToken.None);
        }

        public Task<DataPlaneState> IntendedAsync() => _writer.ReadIntendedAsync(CancellationToken.None);

        public Task<DataPlaneState> OwnedAsync() => _writer.WithOwnedAsync(owned => owned.Intended([]), CancellationToken.None);

        public async Task RetryAllAsync()
        {
            Table.FailOnce = [];
            for (var round = 0; _writer.PendingRetries > 0; round++)
            {
                Assert.True(round < 5, "retries never settle");
                _time.Advance(TimeSpan.FromSeconds(2));
                await _writer.RetryDueAsync(CancellationToken.None);
            }
        }

        public ValueTask DisposeAsync() => _writer.DisposeAsync();
    }

    /// <summary>FDB and neighbor entries keyed as the kernel keys them; each intent in <see cref="FailOnce"/> fails
    /// with ENOSPC the first time it is sent.</summary>
    private sealed class FailingOnceTable : IIntentExecutor
    {
        public Dictionary<(uint, MacAddress), FdbEntry> Fdb { get; } = [];
        public Dictionary<(uint, IpAddr), NeighborEntry> Neighbors { get; } = [];
        public HashSet<DataPlaneIntent> FailOnce { get; set; } = [];

        public ValueTask ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, Memory<IntentOutcome> outcomes, CancellationToken cancellationToken)
        {
            for (var i = 0; i < intents.Count; i++)
            {
                if (FailOnce.Remove(intents[i]))
                {
                    outcomes.Span[i] = new IntentOutcome(Errno.ENOSPC, "injected");
                    continue;
                }
                switch (intents[i])
                {
                    case DataPlaneIntent.AddFdb a: Fdb[(a.Entry.Vni, a.Entry.Mac)] = a.Entry; break;
                    // A removal naming its VTEP, as the kernel takes one without nexthop groups: another location stays.
                    case DataPlaneIntent.RemoveFdb r when Fdb.TryGetValue((r.Entry.Vni, r.Entry.Mac), out var held) && held.Vtep == r.Entry.Vtep:
                        Fdb.Remove((r.Entry.Vni, r.Entry.Mac));
                        break;
                    case DataPlaneIntent.AddNeighbor a: Neighbors[(a.Entry.Vni, a.Entry.Ip)] = a.Entry; break;
                    case DataPlaneIntent.RemoveNeighbor r: Neighbors.Remove((r.Entry.Vni, r.Entry.Ip)); break;
                }
            }
            return ValueTask.CompletedTask;
        }
    }
}
