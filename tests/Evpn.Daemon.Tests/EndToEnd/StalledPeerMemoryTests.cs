using System.Globalization;
using Evpn.Api;
using Evpn.LoadGen;
using Evpn.Testing.EndToEnd;
using Evpn.Wire;
using Evpn.Wire.Model;
using Xunit.Abstractions;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>A peer that stops reading cannot make evpnd grow: while another peer loads 100k routes and moves a
/// tenth of them, the stalled peer asks for a route refresh 1,000 times. What waits for it is one slice of
/// UPDATEs (the rest stays coalesced in its Adj-RIB-Out, the refreshes are one pending re-send), so evpnd's
/// peak RSS stays within <see cref="PeakBoundMiB"/> until the RFC 9687 send hold timer drops the peer.</summary>
[Collection(EvpndCollection.Name)]
public sealed class StalledPeerMemoryTests(ITestOutputHelper output)
{
    private const int Routes = 100_000;
    private const int Refreshes = 1000;

    /// <summary>The stated bound on evpnd's peak RSS (VmHWM) for this load: what the load costs without a stalled
    /// peer, plus room for the stalled peer's Adj-RIB-Out and the one slice waiting for it.</summary>
    private const int PeakBoundMiB = 200;

    [RequiresFact(Requirement.Root)]
    public async Task A_stalled_peer_asking_for_1000_refreshes_during_a_100k_load_keeps_peak_rss_bounded_until_its_send_hold_timer()
    {
        var loaderAddress = LoopbackAddresses.Next();
        var stalledAddress = LoopbackAddresses.Next();
        await using var evpnd = await SingleDaemon.StartAsync("stalled", LoopbackAddresses.Next(), $"""
              - address: {loaderAddress}
                remote-as: 65100
                passive: true
              - address: {stalledAddress}
                remote-as: 65200
                passive: true
                timers: {"{"}hold-time: 90, send-hold-time: 30{"}"}
            """);
        using var client = new ManagementClient(evpnd.SocketPath, TimeSpan.FromSeconds(30));
        await using var stalled = await evpnd.ConnectAsync(stalledAddress, asn: 65200, stopReading: true);
        await using var loader = await evpnd.ConnectAsync(loaderAddress, routes: Routes);
        var options = evpnd.PeerOptions(routes: Routes);
        var plan = LoadPlan.Build(options);
        var encoding = new RouteEncoding(options, external: true);

        var refreshes = Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                await stalled.SendMessagesAsync(Enumerable.Repeat(new RouteRefreshMessage(AfiSafi.L2vpnEvpn), Refreshes / 10), CancellationToken.None);
                await Task.Delay(TimeSpan.FromMilliseconds(300));
            }
        });
        await loader.SendAsync(encoding.Announcements(plan.Initial, withType3: true, loader.Context), CancellationToken.None);
        await Eventually.UntilAsync(async () => (await client.GetAsync<SummaryDocument>(ApiPaths.Summary)).RoutesTotal >= Routes,
            "the 100k routes in the RIB", evpnd.Process.Describe, TimeSpan.FromSeconds(120));
        await loader.SendAsync(encoding.Announcements(plan.MovedIndexes.Select(i => plan.AfterMove[i]), withType3: false, loader.Context),
            CancellationToken.None);
        await refreshes;

        await Eventually.UntilAsync(() => Task.FromResult(evpnd.Process.Output.Contains($"peer {stalledAddress} has not read for", StringComparison.Ordinal)),
            "the send hold timer to drop the stalled peer", evpnd.Process.Describe, TimeSpan.FromSeconds(120));
        var peakMiB = PeakRssKiB(evpnd.Process.Id) / 1024.0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evpnd VmHWM when the stalled peer was dropped: {peakMiB:F0} MiB"));

        Assert.True(peakMiB <= PeakBoundMiB, $"evpnd peaked at {peakMiB:F0} MiB, bound {PeakBoundMiB} MiB\n{evpnd.Process.Describe()}");
        var summary = await client.GetAsync<SummaryDocument>(ApiPaths.Summary);
        Assert.Equal("Established", summary.Peers.Single(p => p.Neighbor == loaderAddress).State);
        Assert.NotEqual("Established", summary.Peers.Single(p => p.Neighbor == stalledAddress).State);
        Assert.Null(loader.ClosedReason);
    }

    /// <summary>VmHWM of /proc/PID/status: the process's peak resident set.</summary>
    private static long PeakRssKiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
