using System.Diagnostics;
using System.Runtime.InteropServices;

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

    private static async Task<(int ExitCode, string Output)> RunHarness(params string[] arguments)
    {
        var root = RepositoryRoot();
        // The binaries of this build: bin/<Configuration>/net10.0 of the test assembly.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo(Path.Combine(root, "interop/bench/convergence.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["EVPND_DLL"] = Path.Combine(root, $"src/Evpn.Daemon/bin/{configuration}/net10.0/evpnd.dll");
        start.Environment["LOADGEN_DLL"] = Path.Combine(AppContext.BaseDirectory, "evpn-loadgen.dll");
        start.Environment["FDBWATCH_DLL"] = Path.Combine(AppContext.BaseDirectory, "evpn-fdbwatch.dll");
        start.Environment["LIMIT_DLL"] = Path.Combine(AppContext.BaseDirectory, "evpn-kernel-limit.dll");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM first: the script's trap tears its namespaces down; then whatever is left.
            _ = kill(process.Id, 15);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            process.Kill(entireProcessTree: true);
        }
        var output = await stdout + await stderr;
        return (process.HasExited ? process.ExitCode : -1, output);
    }


    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Evpn.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Evpn.sln above {AppContext.BaseDirectory}");
    }
}
