using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Evpn.LoadGen.Tests;

/// <summary>Runs a benchmark script of interop/bench with this build's tools (the generator, the FDB watcher,
/// the kernel limit and the development evpnd) and returns its exit code and its output, stdout then stderr.
/// A script that runs over the limit gets SIGTERM (its trap tears its namespaces down), then is killed.</summary>
internal static class BenchHarness
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, TimeSpan limit, params string[] arguments)
    {
        var root = RepositoryRoot();
        // The binaries of this build: bin/<Configuration>/net10.0 of the test assembly.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo(Path.Combine(root, script))
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
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
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
