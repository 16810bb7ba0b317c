using System.Diagnostics;
using Evpn.Api;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 1 with evpnd on VTEP A and FRR on VTEP B, both configured for graceful restart, when either
/// speaker crashes or restarts (the link cut is in <see cref="EvpndFrrLinkFailureTests"/>). A restart is graceful (RFC 4724) on
/// evpnd's side: as helper it keeps FRR's routes stale while FRR's bgpd is away, and as restarting speaker it leaves
/// its kernel entries in place, adopts them and sweeps only those no peer re-sent. FRR 8.4 has no graceful restart
/// for L2VPN EVPN: its zebra removes its remote MACs and flood entries when bgpd goes, and bgpd drops evpnd's routes
/// when evpnd goes, so pings lose their replies on FRR's side; the probes count each direction separately.</summary>
public sealed class EvpndFrrSpeakerFailureTests(ITestOutputHelper output) : LeafPairFailureTest(output)
{
    /// <summary>A MAC no speaker advertises: a remote entry the previous evpnd installed for a route that went away
    /// while evpnd was down.</summary>
    private const string DepartedMac = "02:00:02:00:00:99";

    /// <summary>Echo requests that may go missing on evpnd's side of a restart. The target is 0; the slack covers a
    /// request in flight while the kernel is busy with a batch of changes.</summary>
    private const int AllowedLossThroughEvpndsVtep = 2;

    private static readonly TimeSpan RestartConvergence = TimeSpan.FromSeconds(30);

    /// <summary>The Restart Time FRR advertises in the lab (`bgp graceful-restart restart-time 15`, interop/lib/frr.sh).</summary>
    private static readonly TimeSpan FrrRestartTime = TimeSpan.FromSeconds(15);

    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Frr;
    protected override bool GracefulRestart => true;

    private ManagementClient Evpnd() => new(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);

    /// <summary>FRR's bgpd crashes (SIGKILL; zebra stays) and starts again; meanwhile VTEP B loses VNI 200. evpnd, as
    /// graceful restart helper, marks FRR's routes stale and keeps forwarding on them; once FRR is back and sent
    /// End-of-RIB, the routes it re-sent (VNI 100) are fresh again and those it no longer has (VNI 200's type-3 and
    /// type-2) are removed from evpnd's table and their flood and FDB entries from evpnd's kernel.
    /// (A departed host would be the finer case, but FRR 8.4's zebra keeps a local MAC after its bridge port went
    /// down or away while bgpd is gone, and re-advertises it.)</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task When_frrs_bgpd_crashes_evpnd_keeps_its_routes_stale_and_forwarding_until_end_of_rib()
    {
        var vtepB = Topo.Ip(B);
        var staying = Host(B, 100);
        await BothSidesConvergedAsync();
        await using var watch = new FdbWatch(Topo.Run, A, EntriesToward(vtepB, [staying]).Where(e => e.Device == "vxlan100"));
        var ping = await PingProbe.StartAsync(Lab, Topo, Host(A, 100), staying, count: 150);
        await ping.ArrivingAsync();
        await Eventually.UntilAsync(() => watch.Samples > 0, "a first sample of the FDB watch");

        await Lab.RunAsync(LabPaths.LabCli, ["kill", Topo.Run, B], Lab.QueryTimeout);

        IReadOnlyList<RouteEntry> fromB = [];
        var allStale = await Eventually.TrueWithinAsync(HoldTime, async () =>
        {
            fromB = await RoutesFromAsync(vtepB);
            return fromB.Count >= 4 && fromB.All(r => r.Stale);
        });
        Assert.True(allStale, $"evpnd did not keep FRR's routes as stale:\n{Describe(fromB)}");
        Assert.False(await View(A).IsEstablishedAsync(vtepB), "evpnd's session with FRR is still Established after bgpd was killed");
        Lab.Log($"while FRR's bgpd is down, evpnd keeps its routes as stale:\n{Describe(fromB)}");

        await Lab.ExecAsync(Topo.Run, B, "ip", "link", "del", "vxlan200");
        await Lab.RunAsync(LabPaths.LabCli, ["start", Topo.Run, B], Lab.QueryTimeout);

        var converged = await Eventually.TrueWithinAsync(RestartConvergence, async () =>
        {
            fromB = await RoutesFromAsync(vtepB);
            return await View(A).IsEstablishedAsync(vtepB)
                && fromB.Any(r => r.Vni == 100) && !fromB.Any(r => r.Stale) && !fromB.Any(r => r.Vni == 200);
        });
        var outcome = await ping.FinishAsync();
        Lab.Log($"FRR bgpd crash and restart, ping {Host(A, 100).Node} -> {staying.Node} every 100 ms: {outcome}");
        Lab.Log($"evpnd's kernel, {watch.Samples} samples during the restart: {(watch.Gaps.Count == 0 ? "no VNI 100 entry toward B missing" : string.Join('\n', watch.Gaps))}");

        Assert.True(converged, $"evpnd did not refresh FRR's VNI 100 routes and sweep its VNI 200 routes:\n{Describe(fromB)}");
        Assert.Empty(watch.Gaps);
        await Checks.NoEntriesTowardAsync(Topo.Kernel(A), A, vtepB, [200]);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, vtepB, [100], [staying]);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(B), B, Topo.Ip(A), [100], [Host(A, 100)]);
        Assert.True(outcome.LostOnTheWayThere <= AllowedLossThroughEvpndsVtep, $"echo requests lost through evpnd's VTEP: {outcome}");
        await Checks.HostsReachEachOtherAsync(Topo, Host(A, 100), staying);
    }

    /// <summary>FRR's bgpd crashes and does not come back. evpnd keeps its routes stale, and the kernel entries
    /// forwarding, for the Restart Time FRR advertised, then deletes them (RFC 4724 section 4.2: stale routes go when
    /// the session is not re-established within the Restart Time) and removes every entry toward VTEP B.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task When_frrs_bgpd_stays_down_evpnd_removes_its_stale_routes_after_the_restart_time()
    {
        var vtepB = Topo.Ip(B);
        await BothSidesConvergedAsync();
        var down = Stopwatch.StartNew();
        await Lab.RunAsync(LabPaths.LabCli, ["kill", Topo.Run, B], Lab.QueryTimeout);

        IReadOnlyList<RouteEntry> fromB = [];
        var allStale = await Eventually.TrueWithinAsync(HoldTime, async () =>
        {
            fromB = await RoutesFromAsync(vtepB);
            return fromB.Count >= 4 && fromB.All(r => r.Stale);
        });
        Assert.True(allStale, $"evpnd did not keep FRR's routes as stale:\n{Describe(fromB)}");
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, vtepB, Vnis, HostsOf(B));

        var bound = FrrRestartTime + TimeSpan.FromSeconds(10);
        IReadOnlyList<KernelFdbEntry> left = [];
        var gone = await Eventually.TrueWithinAsync(bound, async () =>
        {
            left = (await Topo.Kernel(A).FdbAsync()).Where(e => e.Dst == vtepB).ToArray();
            return left.Count == 0;
        });
        var elapsed = down.Elapsed;
        Lab.Log($"FRR's bgpd down for good: evpnd removed every entry toward {vtepB} after {elapsed.TotalSeconds:F1} s (restart time {FrrRestartTime.TotalSeconds:F0} s)");

        Assert.True(gone, $"{A} still has entries toward {vtepB} {bound.TotalSeconds:F0} s after bgpd was killed:\n{string.Join('\n', left)}");
        // Removal is seen after it happened, never before: earlier than the restart time means evpnd did not wait.
        Assert.True(elapsed >= FrrRestartTime - TimeSpan.FromSeconds(0.5), $"evpnd removed the stale entries after {elapsed.TotalSeconds:F1} s, before the restart time");
        Assert.Empty(await RoutesFromAsync(vtepB));
    }

    /// <summary>evpnd restarts (a graceful stop, router.graceful-restart.on-stop: graceful, or a crash); meanwhile a
    /// remote MAC it had installed lost its route and one of its own hosts left. The kernel entries toward FRR keep
    /// forwarding the whole time; the next evpnd adopts them as stale, refreshes those FRR re-sends and, after FRR's
    /// End-of-RIB, sweeps only the departed entry. FRR ends with evpnd's remaining host and not the one that left.</summary>
    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData("stop")]
    [InlineData("kill")]
    public async Task When_evpnd_restarts_its_kernel_entries_keep_forwarding_and_only_stale_ones_are_swept(string how)
    {
        var vtepA = Topo.Ip(A);
        var vtepB = Topo.Ip(B);
        var staying = Host(A, 100);
        var departing = Host(A, 200);
        await BothSidesConvergedAsync();
        await using var watch = new FdbWatch(Topo.Run, A, EntriesToward(vtepB, HostsOf(B)));
        var ping = await PingProbe.StartAsync(Lab, Topo, staying, Host(B, 100), count: 150);
        await ping.ArrivingAsync();
        await Eventually.UntilAsync(() => watch.Samples > 0, "a first sample of the FDB watch");

        await Lab.RunAsync(LabPaths.LabCli, [how, Topo.Run, A], Lab.QueryTimeout);

        await Lab.ExecAsync(Topo.Run, A, "bridge", "fdb", "add", DepartedMac, "dev", "vxlan200", "dst", vtepB, "self", "extern_learn", "static");
        await Lab.ExecAsync(Topo.Run, A, "ip", "link", "set", departing.Node, "down");
        await Lab.RunAsync(LabPaths.LabCli, ["start", Topo.Run, A], Lab.TopologyTimeout);

        IReadOnlyList<KernelFdbEntry> fdbA = [];
        IReadOnlyList<RouteEntry> routes = [];
        var converged = await Eventually.TrueWithinAsync(RestartConvergence, async () =>
        {
            using var client = Evpnd();
            routes = await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes);
            fdbA = await Topo.Kernel(A).FdbAsync();
            return await View(A).IsEstablishedAsync(vtepB)
                && routes.Any(r => r.Source == vtepB) && !routes.Any(r => r.Stale)
                && !fdbA.Any(e => SameMac(e.Mac, DepartedMac));
        });
        var outcome = await ping.FinishAsync();
        Lab.Log($"evpnd restart ({how}), ping {staying.Node} -> {Host(B, 100).Node} every 100 ms: {outcome}");
        Lab.Log($"evpnd's kernel, {watch.Samples} samples during the restart: {(watch.Gaps.Count == 0 ? "no entry toward B missing" : string.Join('\n', watch.Gaps))}");

        Assert.True(converged,
            $"evpnd did not re-converge and sweep {DepartedMac}:\n{Describe(routes)}\nkernel:\n{string.Join('\n', fdbA)}");
        Assert.Empty(watch.Gaps);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, vtepB, Vnis, HostsOf(B));
        await Checks.Type2ForHostsAsync(View(B), B, vtepA, [staying]);
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(B), B, vtepA, Vnis, [staying]);
        Assert.DoesNotContain(await View(B).RoutesAsync(), r => r.RouteType == 2 && SameMac(r.Mac, departing.Mac));
        Assert.DoesNotContain(await Topo.Kernel(B).FdbAsync(), e => SameMac(e.Mac, departing.Mac));
        Assert.True(outcome.LostOnTheWayThere <= AllowedLossThroughEvpndsVtep, $"echo requests lost through evpnd's VTEP: {outcome}");
        await Checks.HostsReachEachOtherAsync(Topo, staying, Host(B, 100));
    }

    private async Task<IReadOnlyList<RouteEntry>> RoutesFromAsync(string peer)
    {
        using var client = Evpnd();
        return (await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes)).Where(r => r.Source == peer).ToArray();
    }

    private static bool SameMac(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Describe(IEnumerable<RouteEntry> routes) =>
        string.Join('\n', routes.Select(r => $"{r.Prefix} rd {r.Rd} from {r.Source}{(r.Stale ? " stale" : "")}{(r.Best ? " best" : "")}"));
}
