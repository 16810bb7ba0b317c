namespace Evpn.LoadGen.Tests;

/// <summary>The benchmark harness in quick mode, as a smoke test: evpnd (Linux and memory data planes), FRR and
/// GoBGP each receive the same small load from evpn-loadgen in their own namespace, the kernel limit writes
/// it, and every one must converge (RIB, kernel FDB, MAC move, withdraw-all). No time is asserted. Needs root,
/// FRR and GoBGP
/// (interop/install-deps.sh); the script removes its namespaces on exit, also after a failure or SIGTERM.
/// Other tests' namespaces may exist while this one runs, so it measures with --allow-dirty; the refusal
/// without that flag has a test of its own.</summary>
public class ConvergenceSmokeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(300);

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task Every_receiver_converges_in_quick_mode()
    {
        var (exitCode, output) = await RunHarness("--quick", "--no-build", "--allow-dirty", "--csv", Path.Combine(Path.GetTempPath(), $"evbench-{Environment.ProcessId}.csv"));
        Assert.True(exitCode == 0, $"convergence.sh --quick failed or ran over {Limit}:\n{output}");
        Assert.Contains("every receiver converged in every phase", output);
        Assert.Matches(@"conditions: (clean machine|NOT IDLE)", output);
        foreach (var receiver in new[] { "limit", "evpnd-linux", "evpnd-memory", "frr", "gobgp" })
        {
            Assert.Matches($@"\| 1000 \| {receiver} \| 1/1 \|", output);
        }
    }

    /// <summary>--underlay ipv4,ipv6: evpnd and the kernel's limit converge on an IPv6 underlay (IPv6 session, IPv6 VTEPs
    /// as next hops, PMSI endpoints and FDB destinations) as on IPv4, in one run, and the IPv6/IPv4 table names each.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task Evpnd_and_the_limit_converge_on_an_ipv6_underlay_beside_ipv4_in_quick_mode()
    {
        var receivers = new[] { "limit", "evpnd-linux", "evpnd-memory" };
        var (exitCode, output) = await RunHarness("--quick", "--no-build", "--allow-dirty", "--underlay", "ipv4,ipv6",
            "--receivers", string.Join(',', receivers), "--csv", Path.Combine(Path.GetTempPath(), $"evbench-v6-{Environment.ProcessId}.csv"));
        Assert.True(exitCode == 0, $"convergence.sh --quick --underlay ipv4,ipv6 failed or ran over {Limit}:\n{output}");
        Assert.Contains("every receiver converged in every phase", output);
        foreach (var receiver in receivers)
        {
            foreach (var underlay in new[] { "ipv4", "ipv6" })
            {
                Assert.Matches($@"\| 1000 \| {receiver} \| 1/1 \|[^\n]*\| {underlay} \|", output);
            }
            Assert.Matches($@"\| 1000 \| {receiver} \| (-|\d+\.\d\d) \| (-|\d+\.\d\d) \|", output);
        }
        Assert.Matches(@"\| 1000 \| evpnd-linux \| \d+\.\d\d \| \d+\.\d\d \|", output);
    }

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task A_leftover_namespace_makes_the_harness_refuse_to_measure()
    {
        var leftover = $"evbench-left-{Environment.ProcessId}";
        Shell.Run("ip", "netns", "add", leftover);
        try
        {
            var (exitCode, output) = await RunHarness("--quick", "--no-build");
            Assert.True(exitCode == 3, $"expected the refusal (exit 3), got {exitCode}:\n{output}");
            Assert.Contains($"namespace {leftover}", output);
            Assert.Contains("refusing to measure", output);
            Assert.DoesNotContain("load 1000 run 1", output);
        }
        finally
        {
            Shell.Run("ip", "netns", "del", leftover);
        }
    }

    private static Task<(int ExitCode, string Output)> RunHarness(params string[] arguments) =>
        BenchHarness.RunAsync("interop/bench/convergence.sh", Limit, arguments);
}
