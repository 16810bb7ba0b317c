using Evpn.DataPlane.InMemory;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tests;

public sealed class InMemoryDataPlaneTests
{
    private static readonly VniInfo Vni100 = new(100, "vx100", "br100", IpAddr.Parse("10.0.0.1"), 4789, false, "br100");
    private static readonly IpAddr VtepA = IpAddr.Parse("10.0.0.2");
    private static readonly IpAddr VtepB = IpAddr.Parse("10.0.0.3");
    private static readonly MacAddress Mac1 = MacAddress.Parse("02:00:00:00:00:01");

    private static async Task<InMemoryDataPlane> StartedAsync(InMemoryDataPlaneOptions? options = null, TimeProvider? time = null)
    {
        var dataPlane = new InMemoryDataPlane(options, time);
        dataPlane.AddVni(Vni100);
        await dataPlane.StartAsync(CancellationToken.None);
        return dataPlane;
    }

    /// <summary>Moves the fake clock on in half-second steps, which fire the data plane's retry timer, until its retry
    /// loop has no entry left to retry. (The loop starts its timer on a thread of its own, maybe after a first step.)</summary>
    private static Task RetriesSettledAsync(InMemoryDataPlane dataPlane, FakeTimeProvider time, string what) =>
        Eventually.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            return dataPlane.PendingRetries == 0;
        }, what, () => $"{dataPlane.PendingRetries} entries waiting");

    private static List<DataPlaneEvent> Drain(IDataPlane dataPlane)
    {
        var events = new List<DataPlaneEvent>();
        while (dataPlane.Events.TryRead(out var e))
        {
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public async Task Start_reports_present_vnis_and_missing_configured_ones()
    {
        await using var dataPlane = await StartedAsync(new InMemoryDataPlaneOptions(ConfiguredVnis: new HashSet<uint> { 100, 200 }));
        Assert.Equal(
            [new DataPlaneEvent.VniUp(Vni100), new DataPlaneEvent.ConfiguredVniMissing(200, "no VXLAN device with this VNI")],
            Drain(dataPlane));
    }

    [Fact]
    public async Task A_mac_move_replaces_the_entry_and_a_late_withdraw_of_the_old_vtep_is_ignored()
    {
        await using var dataPlane = await StartedAsync();
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(new FdbEntry(100, Mac1, VtepA))], CancellationToken.None);
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(new FdbEntry(100, Mac1, VtepB))], CancellationToken.None);
        var result = await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFdb(new FdbEntry(100, Mac1, VtepA))], CancellationToken.None);

        Assert.Equal(1, result.Applied);
        Assert.Empty(result.Failures);
        Assert.Equal([new FdbEntry(100, Mac1, VtepB)], (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);
    }

    [Fact]
    public async Task A_move_and_the_withdraw_of_the_new_vtep_in_one_batch_leave_nothing()
    {
        // The writer lags behind under load and takes everything queued as one batch: the MAC moved to B and
        // was then withdrawn at B. The removal is judged against what the batch did before it, not against
        // the table as the batch found it (where the entry still pointed at A).
        await using var dataPlane = await StartedAsync();
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(new FdbEntry(100, Mac1, VtepA))], CancellationToken.None);
        var neighbor = new NeighborEntry(100, IpAddr.Parse("192.0.2.7"), Mac1);
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddNeighbor(neighbor)], CancellationToken.None);

        var moved = MacAddress.Parse("02:00:00:00:00:02");
        var result = await dataPlane.ApplyAsync(
        [
            new DataPlaneIntent.AddFdb(new FdbEntry(100, Mac1, VtepB)),
            new DataPlaneIntent.AddNeighbor(neighbor with { Mac = moved }),
            new DataPlaneIntent.RemoveFdb(new FdbEntry(100, Mac1, VtepB)),
            new DataPlaneIntent.RemoveNeighbor(neighbor with { Mac = moved }),
            // A late withdraw of the old binding after both: nothing left to remove.
            new DataPlaneIntent.RemoveFdb(new FdbEntry(100, Mac1, VtepA)),
        ], CancellationToken.None);

        Assert.Empty(result.Failures);
        var installed = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Empty(installed.Fdb);
        Assert.Empty(installed.Neighbors);
        var intended = await dataPlane.ReadIntendedAsync(CancellationToken.None);
        Assert.Empty(intended.Fdb);
        Assert.Empty(intended.Neighbors);
    }

    [Fact]
    public async Task Entries_toward_a_missing_vni_fail_one_by_one_while_the_rest_apply_and_are_retried_with_backoff()
    {
        var time = new FakeTimeProvider();
        var policy = new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 5);
        await using var dataPlane = await StartedAsync(new InMemoryDataPlaneOptions(Retry: policy), time);
        var toMissing = new DataPlaneIntent.AddFdb(new FdbEntry(200, Mac1, VtepA));
        var good = new DataPlaneIntent.AddFlood(new FloodEntry(100, VtepA));

        var result = await dataPlane.ApplyAsync([toMissing, good], CancellationToken.None);

        Assert.Equal(1, result.Applied);
        var failure = Assert.Single(result.Failures);
        Assert.Equal((toMissing, Errno.ENODEV, true), (failure.Intent, failure.ErrorCode, failure.WillRetry));
        Assert.Equal(1, dataPlane.PendingRetries);

        // Not due before the backoff has elapsed.
        Assert.Equal(ApplyResult.Empty, await dataPlane.RetryDueAsync(CancellationToken.None));
        dataPlane.AddVni(Vni100 with { Vni = 200, VxlanDevice = "vx200" });
        await RetriesSettledAsync(dataPlane, time, "the retry loop to apply the entry once its backoff elapsed");
        Assert.Contains(new FdbEntry(200, Mac1, VtepA), (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);
    }

    [Fact]
    public async Task A_full_table_reports_enospc_and_gives_up_after_the_last_attempt()
    {
        var time = new FakeTimeProvider();
        var policy = new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 2);
        await using var dataPlane = await StartedAsync(new InMemoryDataPlaneOptions(Capacity: 1, Retry: policy), time);
        var second = new DataPlaneIntent.AddFlood(new FloodEntry(100, VtepB));
        var result = await dataPlane.ApplyAsync([new DataPlaneIntent.AddFlood(new FloodEntry(100, VtepA)), second], CancellationToken.None);
        var failure = Assert.Single(result.Failures);
        Assert.Equal((Errno.ENOSPC, true), (failure.ErrorCode, failure.WillRetry));
        Assert.Equal(1, dataPlane.PendingRetries);

        await RetriesSettledAsync(dataPlane, time, "the retry loop to give the entry up after its last attempt, which fails again");
        Assert.DoesNotContain(new FloodEntry(100, VtepB), (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Flood);
    }

    [Fact]
    public async Task A_newer_intent_cancels_the_pending_retry_of_an_older_one()
    {
        var time = new FakeTimeProvider();
        await using var dataPlane = await StartedAsync(new InMemoryDataPlaneOptions(Retry: RetryPolicy.Default), time);
        var entry = new FdbEntry(200, Mac1, VtepA);
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(entry)], CancellationToken.None);
        Assert.Equal(1, dataPlane.PendingRetries);
        var removal = await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFdb(entry)], CancellationToken.None);
        // Nothing can be left toward a device that does not exist: the removal succeeds, the add is forgotten.
        Assert.Equal(1, removal.Applied);
        Assert.Equal(0, dataPlane.PendingRetries);
        dataPlane.AddVni(Vni100 with { Vni = 200, VxlanDevice = "vx200" });
        time.Advance(TimeSpan.FromMinutes(1));
        await dataPlane.RetryDueAsync(CancellationToken.None);
        Assert.Empty((await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb);
    }

    [Fact]
    public async Task A_vni_going_away_takes_its_entries_along_and_is_reported()
    {
        await using var dataPlane = await StartedAsync();
        Drain(dataPlane);
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(new FdbEntry(100, Mac1, VtepA)), new DataPlaneIntent.AddFlood(new FloodEntry(100, VtepA))], CancellationToken.None);

        dataPlane.RemoveVni(100);

        Assert.Equal([new DataPlaneEvent.VniDown(100)], Drain(dataPlane));
        var installed = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Empty(installed.Fdb);
        Assert.Empty(installed.Flood);
    }

    [Fact]
    public async Task Vnis_outside_the_configured_set_are_not_reported()
    {
        await using var dataPlane = await StartedAsync(new InMemoryDataPlaneOptions(ConfiguredVnis: new HashSet<uint> { 100 }));
        Drain(dataPlane);
        dataPlane.AddVni(Vni100 with { Vni = 101, VxlanDevice = "vx101" });
        dataPlane.RemoveVni(101);
        Assert.Empty(Drain(dataPlane));
    }

    [Fact]
    public async Task A_restart_adopts_leftover_entries_as_stale_and_sweeps_only_those_not_reinstalled()
    {
        var kept = new FdbEntry(100, Mac1, VtepA);
        var gone = new FdbEntry(100, MacAddress.Parse("02:00:00:00:00:02"), VtepA);
        var leftover = new DataPlaneState([kept, gone], [new FloodEntry(100, VtepA)], [new NeighborEntry(100, IpAddr.Parse("10.1.0.5"), Mac1)]);
        await using var dataPlane = await StartedAsync(new InMemoryDataPlaneOptions(Preinstalled: leftover));

        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(kept), new DataPlaneIntent.AddFlood(new FloodEntry(100, VtepA))], CancellationToken.None);
        Assert.Equal(2, await dataPlane.SweepStaleAsync(CancellationToken.None));

        var installed = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal([kept], installed.Fdb);
        Assert.Equal([new FloodEntry(100, VtepA)], installed.Flood);
        Assert.Empty(installed.Neighbors);
    }

    [Fact]
    public async Task The_intended_state_holds_applied_waiting_and_given_up_entries_but_not_stale_leftovers()
    {
        var time = new FakeTimeProvider();
        var policy = new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 2);
        var leftover = new FdbEntry(100, MacAddress.Parse("02:00:00:00:00:09"), VtepA);
        await using var dataPlane = await StartedAsync(
            new InMemoryDataPlaneOptions(Capacity: 3, Retry: policy, Preinstalled: new DataPlaneState([leftover], [], [])), time);
        var applied = new FdbEntry(100, Mac1, VtepA);
        var moved = applied with { Vtep = VtepB };
        var waiting = new FdbEntry(200, MacAddress.Parse("02:00:00:00:00:02"), VtepA);
        var full = new FloodEntry(100, VtepB);
        var neighbor = new NeighborEntry(100, IpAddr.Parse("10.1.0.5"), Mac1);

        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(applied), new DataPlaneIntent.AddNeighbor(neighbor)], CancellationToken.None);
        await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(moved), new DataPlaneIntent.AddFdb(waiting), new DataPlaneIntent.AddFlood(full)],
            CancellationToken.None);
        Assert.Equal(2, dataPlane.PendingRetries);
        // The table (capacity 3: the leftover, two entries) stays full: the flood entry is given up, VNI 200 still has no device.
        await RetriesSettledAsync(dataPlane, time, "the retry loop to give both entries up after their last attempt");

        var intended = await dataPlane.ReadIntendedAsync(CancellationToken.None);
        Assert.Equal(new HashSet<FdbEntry> { moved, waiting }, intended.Fdb.ToHashSet());
        Assert.Equal([full], intended.Flood);
        Assert.Equal([neighbor], intended.Neighbors);
        var audit = await dataPlane.AuditAsync(intended, CancellationToken.None);
        Assert.Equal(new HashSet<FdbEntry> { waiting }, audit.MissingFdb.ToHashSet());
        Assert.Equal([full], audit.MissingFlood);
        Assert.Equal([leftover], audit.ExtraFdb);

        // A newer intent for a given-up entry replaces it in the intended state.
        await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFlood(full), new DataPlaneIntent.RemoveFdb(waiting)], CancellationToken.None);
        intended = await dataPlane.ReadIntendedAsync(CancellationToken.None);
        Assert.Equal([moved], intended.Fdb);
        Assert.Empty(intended.Flood);
    }

    [Fact]
    public async Task Local_learning_is_reported_once_and_withdrawn()
    {
        await using var dataPlane = await StartedAsync();
        Drain(dataPlane);
        dataPlane.LearnLocalMac(100, Mac1, "veth0");
        dataPlane.LearnLocalMac(100, Mac1, "veth0");
        dataPlane.LearnLocalNeighbor(100, IpAddr.Parse("10.1.0.9"), Mac1);
        dataPlane.ForgetLocalMac(100, Mac1);
        dataPlane.ForgetLocalNeighbor(100, IpAddr.Parse("10.1.0.9"));
        Assert.Equal(
            [
                new DataPlaneEvent.LocalMacLearned(100, Mac1, false, "veth0"),
                new DataPlaneEvent.LocalNeighborLearned(100, IpAddr.Parse("10.1.0.9"), Mac1),
                new DataPlaneEvent.LocalMacRemoved(100, Mac1),
                new DataPlaneEvent.LocalNeighborRemoved(100, IpAddr.Parse("10.1.0.9")),
            ],
            Drain(dataPlane));
    }
}
