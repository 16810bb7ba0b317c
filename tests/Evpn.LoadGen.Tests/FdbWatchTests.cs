using System.Threading.Channels;
using Evpn.FdbWatch;
using Evpn.Wire.Model;

namespace Evpn.LoadGen.Tests;

/// <summary>evpn-fdbwatch, the benchmark's FDB counter: what it counts, its command protocol, and (needs root)
/// that it follows a real VXLAN device's FDB in a namespace of its own as entries are added, moved and deleted.</summary>
public class FdbWatchTests
{
    private static readonly IpAddr VtepA = IpAddr.Parse("10.9.0.2");
    private static readonly IpAddr VtepB = IpAddr.Parse("10.9.0.3");
    private static readonly MacAddress Mac = MacAddress.Parse("02:00:00:00:00:01");
    private const byte AfBridge = 7;
    private const byte AfInet = 2;

    [Fact]
    public void Counts_remote_macs_per_vtep_and_follows_a_move_and_a_delete()
    {
        var table = new RemoteFdbTable();
        table.Apply(true, AfBridge, 5, Mac, VtepA);
        table.Apply(true, AfBridge, 6, Mac, VtepA);
        Assert.Equal((2, 2, 0), (table.Count, table.CountToward(VtepA), table.CountToward(VtepB)));

        table.Apply(true, AfBridge, 5, Mac, VtepB);
        Assert.Equal((2, 1, 1), (table.Count, table.CountToward(VtepA), table.CountToward(VtepB)));

        table.Apply(false, AfBridge, 5, Mac, VtepB);
        table.Apply(false, AfBridge, 5, Mac, VtepB);
        Assert.Equal((1, 1, 0), (table.Count, table.CountToward(VtepA), table.CountToward(VtepB)));
    }

    [Fact]
    public void Flood_entries_bridge_copies_and_arp_entries_are_not_remote_macs()
    {
        var table = new RemoteFdbTable();
        table.Apply(true, AfBridge, 5, MacAddress.Zero, VtepA);
        table.Apply(true, AfBridge, 5, Mac, null);
        table.Apply(true, AfInet, 5, Mac, VtepA);
        Assert.Equal(0, table.Count);
    }

    [Theory]
    [InlineData("expect 100", 100, null)]
    [InlineData("expect 0 10.9.0.3", 0, "10.9.0.3")]
    [InlineData("count 10.9.0.2", 0, "10.9.0.2")]
    public void Parses_commands(string line, int count, string? vtep)
    {
        var target = WatchCommand.Parse(line) switch
        {
            WatchCommand.Expect e => e.Target,
            WatchCommand.Count c => c.Target,
            var other => throw new Xunit.Sdk.XunitException($"parsed as {other}"),
        };
        Assert.Equal(new FdbTarget(count, vtep is null ? null : IpAddr.Parse(vtep)), target);
    }

    [Theory]
    [InlineData("expect", "not one of")]
    [InlineData("expect -1", "not a count")]
    [InlineData("expect 10 nowhere", "not a VTEP address")]
    [InlineData("count 1 2", "not one of")]
    public void Says_what_is_wrong_with_a_bad_command(string line, string reason) =>
        Assert.Contains(reason, Assert.IsType<WatchCommand.Invalid>(WatchCommand.Parse(line)).Reason);

    [RequiresFact(Requirement.Root)]
    public Task Reports_when_a_real_vxlan_fdb_reaches_the_armed_count() => WithWatchAsync("evfw", KernelFdbWatch.DefaultEventBufferBytes, _ => { },
        async (ns, watch, reports) =>
        {
            const int n = 2000;
            watch.Arm(new FdbTarget(n, VtepA));
            var before = KernelFdbWatch.UnixNanoseconds();
            Batch(ns, Enumerable.Range(0, n).Select(i => $"fdb add {MacOf(i)} dev vx100 dst 10.9.0.2 self permanent"));
            Batch(ns, ["fdb append 00:00:00:00:00:00 dev vx100 dst 10.9.0.3 self permanent"]);
            var reached = await NextReportAsync(reports);
            Assert.StartsWith($"event=reached count={n} ", reached);
            Assert.InRange(long.Parse(reached.Split("at_ns=")[1].Split(' ')[0]), before, KernelFdbWatch.UnixNanoseconds());

            watch.Arm(new FdbTarget(n / 2, VtepB));
            Batch(ns, Enumerable.Range(0, n / 2).Select(i => $"fdb replace {MacOf(i)} dev vx100 dst 10.9.0.3 self permanent"));
            Assert.StartsWith($"event=reached count={n / 2} ", await NextReportAsync(reports));
            Assert.Equal(n / 2, watch.Observe(new FdbTarget(0, VtepA)));

            watch.Arm(new FdbTarget(0, null));
            Batch(ns, Enumerable.Range(0, n).Select(i => $"fdb del {MacOf(i)} dev vx100 self"));
            Assert.StartsWith("event=reached count=0 ", await NextReportAsync(reports));
        });

    [RequiresFact(Requirement.Root)]
    public Task Counts_entries_on_nexthop_groups_toward_the_groups_vtep() => WithWatchAsync("evfn", KernelFdbWatch.DefaultEventBufferBytes, _ => { },
        async (ns, watch, reports) =>
        {
            // How evpnd installs remote MACs: each points to its VTEP's FDB nexthop group (a group of one).
            foreach (var (member, group, vtep) in new[] { (1, 11, "10.9.0.2"), (2, 12, "10.9.0.3") })
            {
                Shell.Run("ip", "-n", ns, "nexthop", "add", "id", $"{member}", "via", vtep, "fdb");
                Shell.Run("ip", "-n", ns, "nexthop", "add", "id", $"{group}", "group", $"{member}", "fdb");
            }
            const int n = 500;
            watch.Arm(new FdbTarget(n, VtepA));
            Batch(ns, Enumerable.Range(0, n).Select(i => $"fdb add {MacOf(i)} dev vx100 nhid 11 self extern_learn"));
            Assert.StartsWith($"event=reached count={n} ", await NextReportAsync(reports));

            watch.Arm(new FdbTarget(n / 2, VtepB));
            Batch(ns, Enumerable.Range(0, n / 2).Select(i => $"fdb replace {MacOf(i)} dev vx100 nhid 12 self extern_learn"));
            Assert.StartsWith($"event=reached count={n / 2} ", await NextReportAsync(reports));
            Assert.Equal(n / 2, watch.Observe(new FdbTarget(0, VtepA)));

            watch.Arm(new FdbTarget(0, null));
            Batch(ns, Enumerable.Range(0, n).Select(i => $"fdb del {MacOf(i)} dev vx100 self"));
            Assert.StartsWith("event=reached count=0 ", await NextReportAsync(reports));
        });

    [RequiresFact(Requirement.Root)]
    public Task Only_vxlan_fdb_notifications_reach_the_watch() => WithWatchAsync("evff", KernelFdbWatch.DefaultEventBufferBytes, _ => { },
        async (ns, watch, reports) =>
        {
            Shell.Run("ip", "-n", ns, "link", "add", "br100", "type", "bridge");
            Shell.Run("ip", "-n", ns, "link", "set", "vx100", "master", "br100");
            Shell.Run("ip", "-n", ns, "link", "set", "vx100", "up");
            Shell.Run("ip", "-n", ns, "link", "set", "br100", "up");
            var before = watch.Notifications;
            // A bridge-only entry and an ARP entry first, then the VXLAN entry (self + master: a VXLAN and a
            // bridge notification): the kernel queues them in order, so once the VXLAN one is counted the
            // others would have been read had the filter let them through.
            Batch(ns, ["fdb add 02:00:00:00:00:09 dev vx100 master static"]);
            Shell.Run("ip", "-n", ns, "neigh", "add", "10.9.9.9", "lladdr", "02:00:00:00:00:09", "dev", "br100", "nud", "noarp");
            watch.Arm(new FdbTarget(1, VtepA));
            Batch(ns, [$"fdb add {MacOf(1)} dev vx100 dst 10.9.0.2 self master extern_learn"]);
            Assert.StartsWith("event=reached count=1 ", await NextReportAsync(reports));
            Assert.Equal(1, watch.Notifications - before);
        });

    [RequiresFact(Requirement.Root)]
    public Task Overruns_of_a_small_notification_buffer_are_caught_up_by_dumps_and_the_count_is_exact()
    {
        var resyncs = 0;
        return WithWatchAsync("evfo", 16 * 1024, _ => Interlocked.Increment(ref resyncs), async (ns, watch, reports) =>
        {
            // Tens of thousands of notifications against a buffer that holds a few dozen: the kernel drops
            // some, more while each re-dump runs, and the table must still end exact.
            const int n = 30000;
            watch.Arm(new FdbTarget(n, VtepA));
            Batch(ns, Enumerable.Range(0, n).Select(i => $"fdb add {MacOf(i)} dev vx100 dst 10.9.0.2 self permanent"));
            Assert.StartsWith($"event=reached count={n} ", await NextReportAsync(reports));
            Assert.True(Volatile.Read(ref resyncs) > 0, "the small buffer never overran: the test proved nothing");

            watch.Arm(new FdbTarget(0, null));
            Batch(ns, Enumerable.Range(0, n).Select(i => $"fdb del {MacOf(i)} dev vx100 self"));
            Assert.StartsWith("event=reached count=0 ", await NextReportAsync(reports));
        });
    }

    /// <summary>Runs <paramref name="body"/> against a watch on a namespace of its own holding one VXLAN
    /// device (vx100); the namespace goes even when the body fails.</summary>
    private static async Task WithWatchAsync(string prefix, int eventBufferBytes, Action<string> log,
        Func<string, KernelFdbWatch, Channel<string>, Task> body)
    {
        using var ns = new NetworkNamespace(prefix);
        ns.Ip("link", "add", "vx100", "type", "vxlan", "id", "100", "local", "10.9.0.1", "dstport", "4789", "nolearning");
        var reports = Channel.CreateUnbounded<string>();
        using var watch = new KernelFdbWatch(ns.Name, line => reports.Writer.TryWrite(line), log, eventBufferBytes);
        using var stop = new CancellationTokenSource();
        var receiver = Task.Run(() => watch.Run(stop.Token));
        await body(ns.Name, watch, reports);
        stop.Cancel();
        await receiver.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static string MacOf(int i) => $"02:00:{i >> 16 & 0xff:x2}:01:{i >> 8 & 0xff:x2}:{i & 0xff:x2}";

    private static async Task<string> NextReportAsync(Channel<string> reports)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reports.Reader.ReadAsync(limit.Token);
    }


    private static void Batch(string ns, IEnumerable<string> commands)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, commands);
            Shell.Run("bridge", "-n", ns, "-batch", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

}
