using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>Failures are reported per entry and do not stop the rest of a batch.</summary>
public sealed class ErrorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static MacAddress MacOf(int i) => new(0x0200_0000_0000UL | (uint)i);

    /// <summary>FDB intents in VNI 100 toward one VTEP, entry i with a group MAC where <paramref name="group"/>
    /// says so, and those intents (the ones the kernel must refuse).</summary>
    private static (List<DataPlaneIntent> Batch, HashSet<DataPlaneIntent> GroupMacs) FdbBatchWithGroupMacs(int count, Func<int, bool> group)
    {
        var vtep = IpAddr.Parse("10.0.0.2");
        var batch = Enumerable.Range(0, count)
            .Select(i => (DataPlaneIntent)new DataPlaneIntent.AddFdb(new FdbEntry(100, group(i) ? new MacAddress(0x0100_5e00_0000UL | (uint)i) : MacOf(i), vtep)))
            .ToList();
        return (batch, batch.Where(b => ((DataPlaneIntent.AddFdb)b).Entry.Mac.IsMulticast).ToHashSet());
    }

    [RequiresFact(Requirement.Root)]
    public async Task Programming_toward_a_deleted_device_reports_those_entries_and_applies_the_rest()
    {
        using var ns = new VtepNamespace(100, 200);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { Retry = new RetryPolicy(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), 3) });
        await dataPlane.StartAsync(CancellationToken.None);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == 200, Wait);

        Shell.Ip(ns.Name, "link", "del", VtepNamespace.VxlanOf(200));
        var vtep = IpAddr.Parse("10.0.0.2");
        var batch = Enumerable.Range(0, 3000)
            .Select(i => (DataPlaneIntent)new DataPlaneIntent.AddFdb(new FdbEntry(i % 3 == 0 ? 200u : 100u, MacOf(i), vtep)))
            .ToList();

        var result = await dataPlane.ApplyAsync(batch, CancellationToken.None);

        Assert.Equal(2000, result.Applied);
        Assert.Equal(1000, result.Failures.Count);
        Assert.All(result.Failures, f =>
        {
            Assert.Equal(200u, f.Intent.Vni());
            Assert.Equal(Errno.ENODEV, f.ErrorCode);
            Assert.True(f.WillRetry);
        });
        Assert.Equal(1000, dataPlane.PendingRetries);
        Assert.Equal(2000, (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.Count);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniDown>(e => e.Vni == 200, Wait);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_full_table_fails_the_entries_that_do_not_fit_and_retries_them_later()
    {
        using var ns = new VtepNamespace();
        ns.AddVni(500, true, "maxaddress", "100");
        await using var dataPlane = new LinuxDataPlane(ns.Options with { Retry = new RetryPolicy(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), 3) });
        await dataPlane.StartAsync(CancellationToken.None);
        var batch = Enumerable.Range(0, 150)
            .Select(i => (DataPlaneIntent)new DataPlaneIntent.AddFdb(new FdbEntry(500, MacOf(i), IpAddr.Parse("10.0.0.2"))))
            .ToList();

        var result = await dataPlane.ApplyAsync(batch, CancellationToken.None);

        Assert.Equal(100, result.Applied);
        Assert.Equal(50, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.Equal((Errno.ENOSPC, true), (f.ErrorCode, f.WillRetry)));
        Assert.Equal(50, dataPlane.PendingRetries);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Removals_toward_a_deleted_device_succeed_since_nothing_is_left()
    {
        using var ns = new VtepNamespace(100);
        await using var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);
        var entry = new FdbEntry(100, MacOf(1), IpAddr.Parse("10.0.0.2"));
        Assert.Empty((await dataPlane.ApplyAsync([new DataPlaneIntent.AddFdb(entry)], CancellationToken.None)).Failures);
        Shell.Ip(ns.Name, "link", "del", VtepNamespace.VxlanOf(100));

        var result = await dataPlane.ApplyAsync([new DataPlaneIntent.RemoveFdb(entry), new DataPlaneIntent.RemoveFlood(new FloodEntry(100, entry.Vtep))], CancellationToken.None);

        Assert.Equal(2, result.Applied);
        Assert.Empty(result.Failures);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Entries_the_kernel_rejects_inside_a_large_batch_are_identified_one_by_one()
    {
        using var ns = new VtepNamespace(100);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { MaxMessagesPerSend = 256 });
        await dataPlane.StartAsync(CancellationToken.None);
        // Every 97th entry has a group MAC, which the kernel refuses as an FDB entry (EOPNOTSUPP on the kernel here).
        var (batch, rejected) = FdbBatchWithGroupMacs(2000, i => i % 97 == 5);

        var result = await dataPlane.ApplyAsync(batch, CancellationToken.None);

        Assert.Equal(rejected, result.Failures.Select(f => f.Intent).ToHashSet());
        Assert.All(result.Failures, f => Assert.False(f.WillRetry));
        Assert.Equal(batch.Count - rejected.Count, result.Applied);
        Assert.Equal(batch.Count - rejected.Count, (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.Count);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Errors_the_receive_buffer_cannot_hold_are_collected_again_with_an_acknowledgement_each()
    {
        using var ns = new VtepNamespace(100);
        // A receive buffer (doubled by the kernel) that holds the 128 acknowledgements of a re-sent slice but
        // not the error replies to half of a 1024-request send: the kernel drops replies, and which entries
        // failed is found out again from the same encoded requests.
        await using var dataPlane = new LinuxDataPlane(ns.Options with { SocketBufferBytes = 96 * 1024, MaxMessagesPerSend = 1024 });
        await dataPlane.StartAsync(CancellationToken.None);
        var (batch, rejected) = FdbBatchWithGroupMacs(2048, i => i % 2 == 1);

        var result = await dataPlane.ApplyAsync(batch, CancellationToken.None);

        Assert.Equal(rejected, result.Failures.Select(f => f.Intent).ToHashSet());
        // The kernel's own refusal (its errno varies by version), not "replies dropped twice" (ENOBUFS, retried).
        Assert.All(result.Failures, f => Assert.Equal((false, false), (f.ErrorCode == Errno.ENOBUFS, f.WillRetry)));
        Assert.Equal(1024, result.Applied);
        Assert.Equal(1024, (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.Count);
    }
}
