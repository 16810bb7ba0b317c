using CsCheck;
using Evpn.DataPlane;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Tests;

/// <summary>The data-plane writer against a reference model of what the intents mean: after any sequence of
/// batches, with any entries failing transiently on the way, what the writer says is intended is what the
/// intents alone say; once the retries have run, the table holds exactly that and so does the owned-entry table.</summary>
public class DataPlaneWriterProperties
{
    private static readonly IpAddr[] Vteps = [IpAddr.Parse("10.0.0.2"), IpAddr.Parse("10.0.0.3"), IpAddr.Parse("10.0.0.4")];
    private static readonly MacAddress[] Macs = [new(0x0200_0000_0001), new(0x0200_0000_0002)];
    private static readonly IpAddr[] Hosts = [IpAddr.Parse("192.168.0.1"), IpAddr.Parse("192.168.0.2")];

    /// <summary>Intents over a small space of keys, so that moves, withdrawals of old locations and re-adds collide.</summary>
    private static readonly Gen<DataPlaneIntent> Intent = Gen.Select(Gen.Int[0, 5], Gen.UInt[100, 101], Gen.Int[0, 2], Gen.Int[0, 1], Gen.Bool,
        (kind, vni, v, m, sticky) => kind switch
        {
            0 => (DataPlaneIntent)new DataPlaneIntent.AddFdb(new FdbEntry(vni, Macs[m], Vteps[v], sticky)),
            1 => new DataPlaneIntent.RemoveFdb(new FdbEntry(vni, Macs[m], Vteps[v], sticky)),
            2 => new DataPlaneIntent.AddFlood(new FloodEntry(vni, Vteps[v])),
            3 => new DataPlaneIntent.RemoveFlood(new FloodEntry(vni, Vteps[v])),
            4 => new DataPlaneIntent.AddNeighbor(new NeighborEntry(vni, Hosts[m], Macs[v % Macs.Length])),
            _ => new DataPlaneIntent.RemoveNeighbor(new NeighborEntry(vni, Hosts[m], Macs[v % Macs.Length])),
        });

    /// <summary>A batch: its intents, each with whether the table fails it (transiently) on its first attempt.</summary>
    private static readonly Gen<(DataPlaneIntent Intent, bool Fails)[]> Batch = Gen.Select(Intent, Gen.Int[0, 3].Select(n => n == 0)).Array[1, 6];

    [Fact]
    public void Intended_and_owned_state_follow_the_intents_whatever_fails() =>
        Batch.Array[1, 12].Sample(batches => Check(batches).GetAwaiter().GetResult(), iter: 500);

    private static DataPlaneIntent Add(string vtep) => new DataPlaneIntent.AddFdb(new FdbEntry(100, Macs[0], IpAddr.Parse(vtep)));
    private static DataPlaneIntent Remove(string vtep) => new DataPlaneIntent.RemoveFdb(new FdbEntry(100, Macs[0], IpAddr.Parse(vtep)));

    [Fact]
    public Task A_failed_install_followed_in_its_batch_by_a_newer_one_is_not_retried_over_it() =>
        Check([[(Add("10.0.0.3"), true), (Add("10.0.0.4"), false)]]);

    [Fact]
    public Task A_withdrawal_of_the_old_location_does_not_cancel_the_retry_of_the_new_one() =>
        Check([[(Add("10.0.0.2"), false)], [(Add("10.0.0.4"), true)], [(Remove("10.0.0.2"), false)]]);

    [Fact]
    public Task Withdrawing_a_location_whose_install_failed_removes_the_location_installed_before() =>
        Check([[(Add("10.0.0.2"), false)], [(Add("10.0.0.4"), true)], [(Remove("10.0.0.4"), false)]]);

    [Fact]
    public Task A_batch_that_moves_an_entry_and_withdraws_the_new_location_leaves_it_withdrawn() =>
        Check([[(Add("10.0.0.2"), false)], [(Add("10.0.0.3"), false), (Remove("10.0.0.3"), false)]]);

    /// <summary>The reduced case of seed f9GsXGKh2kF1.</summary>
    [Fact]
    public Task A_withdrawal_failed_with_the_install_it_withdraws_leaves_the_entry_withdrawn_once_retried() =>
        Check([[(Add("10.0.0.2"), false)], [(Add("10.0.0.3"), false), (Add("10.0.0.4"), true), (Remove("10.0.0.4"), true)]]);

    private static async Task Check((DataPlaneIntent Intent, bool Fails)[][] batches)
    {
        var table = new FailingTable();
        var time = new FakeTimeProvider();
        await using var writer = new DataPlaneWriter(table, new OwnedEntries(), new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), 1000),
            time, new DataPlaneMetrics(), _ => { });
        var model = new IntentModel();
        foreach (var batch in batches)
        {
            table.FailFirstAttempt = batch.Where(b => b.Fails).Select(b => b.Intent).ToHashSet();
            await writer.ApplyAsync(batch.Select(b => b.Intent).ToList(), CancellationToken.None);
            foreach (var (intent, _) in batch)
            {
                model.Apply(intent);
            }
            AssertSame(model.State, await writer.ReadIntendedAsync(CancellationToken.None), "intended after a batch");
        }
        table.FailFirstAttempt = [];
        for (var round = 0; writer.PendingRetries > 0; round++)
        {
            Assert.True(round < 10, "retries never settle");
            time.Advance(TimeSpan.FromSeconds(5));
            await writer.RetryDueAsync(CancellationToken.None);
        }
        AssertSame(model.State, table.State, "installed after the retries");
        AssertSame(model.State, await writer.WithOwnedAsync(o => o.Intended([]), CancellationToken.None), "owned after the retries");
    }

    private static void AssertSame(DataPlaneState expected, DataPlaneState actual, string what)
    {
        Assert.True(expected.Fdb.ToHashSet().SetEquals(actual.Fdb), $"{what}: FDB [{string.Join(", ", actual.Fdb)}], expected [{string.Join(", ", expected.Fdb)}]");
        Assert.True(expected.Flood.ToHashSet().SetEquals(actual.Flood), $"{what}: flood [{string.Join(", ", actual.Flood)}], expected [{string.Join(", ", expected.Flood)}]");
        Assert.True(expected.Neighbors.ToHashSet().SetEquals(actual.Neighbors),
            $"{what}: neighbors [{string.Join(", ", actual.Neighbors)}], expected [{string.Join(", ", expected.Neighbors)}]");
    }

    /// <summary>What the intents mean, one entry per key: the latest install, and a removal of the location the
    /// entry has (a withdrawal of a location the MAC or IP has moved away from changes nothing).</summary>
    private sealed class IntentModel
    {
        private readonly Dictionary<(uint, MacAddress), FdbEntry> _fdb = [];
        private readonly HashSet<FloodEntry> _flood = [];
        private readonly Dictionary<(uint, IpAddr), NeighborEntry> _neighbors = [];

        public DataPlaneState State => new(_fdb.Values.ToList(), _flood.ToList(), _neighbors.Values.ToList());

        public void Apply(DataPlaneIntent intent)
        {
            switch (intent)
            {
                case DataPlaneIntent.AddFdb a: _fdb[(a.Entry.Vni, a.Entry.Mac)] = a.Entry; break;
                case DataPlaneIntent.RemoveFdb r when _fdb.TryGetValue((r.Entry.Vni, r.Entry.Mac), out var e) && e.Vtep == r.Entry.Vtep:
                    _fdb.Remove((r.Entry.Vni, r.Entry.Mac));
                    break;
                case DataPlaneIntent.AddFlood a: _flood.Add(a.Entry); break;
                case DataPlaneIntent.RemoveFlood r: _flood.Remove(r.Entry); break;
                case DataPlaneIntent.AddNeighbor a: _neighbors[(a.Entry.Vni, a.Entry.Ip)] = a.Entry; break;
                case DataPlaneIntent.RemoveNeighbor r when _neighbors.TryGetValue((r.Entry.Vni, r.Entry.Ip), out var e) && e.Mac == r.Entry.Mac:
                    _neighbors.Remove((r.Entry.Vni, r.Entry.Ip));
                    break;
            }
        }
    }

    /// <summary>The table the writer drives, keyed as the kernel keys it, failing chosen intents once with ENOSPC.</summary>
    private sealed class FailingTable : IIntentExecutor
    {
        private readonly Dictionary<(uint, MacAddress), FdbEntry> _fdb = [];
        private readonly HashSet<FloodEntry> _flood = [];
        private readonly Dictionary<(uint, IpAddr), NeighborEntry> _neighbors = [];

        public HashSet<DataPlaneIntent> FailFirstAttempt { get; set; } = [];

        public DataPlaneState State => new(_fdb.Values.ToList(), _flood.ToList(), _neighbors.Values.ToList());

        public ValueTask ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, Memory<IntentOutcome> outcomes, CancellationToken cancellationToken)
        {
            for (var i = 0; i < intents.Count; i++)
            {
                if (FailFirstAttempt.Remove(intents[i]))
                {
                    outcomes.Span[i] = new IntentOutcome(Errno.ENOSPC, "injected");
                    continue;
                }
                switch (intents[i])
                {
                    case DataPlaneIntent.AddFdb a: _fdb[(a.Entry.Vni, a.Entry.Mac)] = a.Entry; break;
                    case DataPlaneIntent.RemoveFdb r: _fdb.Remove((r.Entry.Vni, r.Entry.Mac)); break;
                    case DataPlaneIntent.AddFlood a: _flood.Add(a.Entry); break;
                    case DataPlaneIntent.RemoveFlood r: _flood.Remove(r.Entry); break;
                    case DataPlaneIntent.AddNeighbor a: _neighbors[(a.Entry.Vni, a.Entry.Ip)] = a.Entry; break;
                    case DataPlaneIntent.RemoveNeighbor r: _neighbors.Remove((r.Entry.Vni, r.Entry.Ip)); break;
                }
            }
            return ValueTask.CompletedTask;
        }
    }
}
