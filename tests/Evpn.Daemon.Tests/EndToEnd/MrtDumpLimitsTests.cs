using Evpn.Api;
using Evpn.LoadGen;
using Evpn.Testing.EndToEnd;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>The MRT dump cannot fault the speaker: a dump and a log file on a full filesystem (a 64 KiB tmpfs, a
/// real ENOSPC) disable the dump with one error and a metric while routes keep flowing; `mrt-dump: {file, max-size,
/// keep}` rotates by size, every file holding whole records.</summary>
[Collection(EvpndCollection.Name)]
public sealed class MrtDumpLimitsTests
{
    private const int Routes = 4000;

    [RequiresFact(Requirement.Root)]
    public async Task A_full_disk_disables_the_dump_with_one_error_and_a_metric_and_the_session_goes_on()
    {
        using var folder = new TempFolder();
        using var disk = TmpfsMount.Create(folder.File("small"), "64k");
        var dump = disk.File("updates.mrt");
        await using var run = await Running.StartAsync(folder, $"mrt-dump: {dump}", $"  file: {disk.File("evpnd.log")}");

        await run.SendAsync(RoutesFrom(0, Routes), announce: true);

        await Eventually.UntilAsync(() => Task.FromResult(run.Evpnd.Output.Contains($"MRT dump {dump} disabled (ENOSPC)", StringComparison.Ordinal)),
            "the dump to be disabled by ENOSPC", run.Evpnd.Describe);
        await run.WaitForRoutesAsync(Routes);
        Assert.Single(run.Evpnd.Output.Split('\n'), l => l.Contains("MRT dump", StringComparison.Ordinal) && l.Contains("disabled", StringComparison.Ordinal));
        Assert.Equal(1, await Scrape.ValueAsync(run.Metrics, "evpn_mrt_dump_failures_total{error=\"ENOSPC\"}"));
        // What reached the file before the disk filled up is whole records: the failed write was cut off.
        Assert.NotEmpty(MrtDumpTests.Read(File.ReadAllBytes(dump)));

        // The speaker goes on: a withdrawal of half the routes is applied, the session stays up.
        await run.SendAsync(RoutesFrom(0, Routes / 2), announce: false);
        await run.WaitForRoutesAsync(Routes / 2);
        Assert.Equal("Established", (await run.Client.GetAsync<NeighborDetail>(ApiPaths.Neighbor("127.0.0.1"))).State);
    }

    [RequiresFact(Requirement.Root)]
    public async Task The_dump_rotates_at_its_size_limit_and_keeps_the_number_of_files_asked_for()
    {
        using var folder = new TempFolder();
        var dump = folder.File("updates.mrt");
        await using var run = await Running.StartAsync(folder, $"mrt-dump: {{file: {dump}, max-size: 16KiB, keep: 2}}", string.Empty);

        await run.SendAsync(RoutesFrom(0, Routes), announce: true);
        await run.WaitForRoutesAsync(Routes);
        await Eventually.UntilAsync(async () => await Scrape.ValueAsync(run.Metrics, "evpn_mrt_dump_rotations_total") >= 4,
            "the dump to rotate at least four times", run.Evpnd.Describe);
        run.Evpnd.Signal(EvpndProcess.SIGTERM);
        Assert.Equal(0, await run.Evpnd.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.False(File.Exists($"{dump}.3"), "a third rotated file was kept");
        foreach (var file in new[] { dump, $"{dump}.1", $"{dump}.2" })
        {
            var bytes = File.ReadAllBytes(file);
            Assert.InRange(bytes.Length, 1, 16 * 1024);
            Assert.NotEmpty(MrtDumpTests.Read(bytes));
        }
    }

    /// <summary>MAC-only type-2 routes in VNI 100 from two VTEPs.</summary>
    private static IEnumerable<GeneratedRoute> RoutesFrom(int first, int count) => Enumerable.Range(first, count)
        .Select(i => new GeneratedRoute(new MacAddress(0x5254_00CC_0000UL + (ulong)i), null, 100, i % 2, 0));

    /// <summary>evpnd with a listen range for 127.0.0.1 and evpn-loadgen's session from there (no extended messages,
    /// so that UPDATEs and dump records stay under 4 KiB).</summary>
    private sealed class Running : IAsyncDisposable
    {
        private Running(EvpndProcess evpnd, BgpConnection peer, LoadOptions options, ManagementClient client, string metrics)
        {
            Evpnd = evpnd;
            Peer = peer;
            Options = options;
            Client = client;
            Metrics = metrics;
        }

        public EvpndProcess Evpnd { get; }
        public BgpConnection Peer { get; }
        public LoadOptions Options { get; }
        public ManagementClient Client { get; }
        public string Metrics { get; }

        public static async Task<Running> StartAsync(TempFolder folder, string mrtDump, string logFile)
        {
            var address = LoopbackAddresses.Next();
            var socket = folder.File("evpnd.sock");
            File.WriteAllText(folder.File("evpnd.yaml"), SingleDaemonYaml.Build(address, socket, """
                  - listen-range: 127.0.0.1/32
                    remote-as: 65100
                    timers: {hold-time: 9, keepalive: 3}
                """, logFile, mrtDump));
            var evpnd = EvpndProcess.Start("mrt", "--config", folder.File("evpnd.yaml"));
            try
            {
                await evpnd.WaitForApiAsync(socket);
                var options = new LoadOptions { Peer = IpAddr.Parse(address), LocalAsn = 65100, RtAsn = 65001, Vteps = 2, HoldTime = 9, ExtendedMessage = false };
                var peer = await BgpConnection.EstablishAsync(options, TimeSpan.FromSeconds(30), CancellationToken.None);
                return new Running(evpnd, peer, options, new ManagementClient(socket, TimeSpan.FromSeconds(10)), SingleDaemonYaml.MetricsUrl(address));
            }
            catch
            {
                await evpnd.DisposeAsync();
                throw;
            }
        }

        public async Task SendAsync(IEnumerable<GeneratedRoute> routes, bool announce)
        {
            var encoding = new RouteEncoding(Options, external: true);
            await Peer.SendAsync(announce ? encoding.Announcements(routes, withType3: false, Peer.Context) : encoding.Withdrawals(routes, withType3: false, Peer.Context),
                CancellationToken.None);
        }

        public Task WaitForRoutesAsync(int count) => Eventually.UntilAsync(async () =>
            (await Client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes)).Count(r => r.Type == 2 && r.Source == "127.0.0.1") == count,
            $"evpnd to hold {count} type-2 routes from the peer", Evpnd.Describe);

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Peer.DisposeAsync();
            await Evpnd.DisposeAsync();
        }
    }
}
