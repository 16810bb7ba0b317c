using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Evpn.DataPlane;
using Evpn.DataPlane.Linux;
using Evpn.Wire.Model;

namespace Evpn.Benchmarks.DataPlane;

/// <summary>Installs and then deletes <see cref="Entries"/> remote MACs (FDB entries with a VTEP destination,
/// self + bridge, extern_learn) on a VXLAN device in a network namespace of its own: evpnd's batched
/// rtnetlink writer against iproute2's `bridge -batch` doing the same work, in the same run.
/// One operation = one entry installed or deleted, so entries per second = 1 / (time per operation).
/// Needs root (network namespaces); interop/bench/fdb-vs-bridge-batch.sh runs it and prints the rates.</summary>
[Config(typeof(KernelBenchmarkConfig))]
[MinColumn, MaxColumn, MedianColumn]
public class FdbProgrammingBenchmark
{
    /// <summary>In process: one invocation is a second of kernel work, so the harness's own overhead does
    /// not matter, and there is no second build of the solution (which times out on a loaded machine).</summary>
    private sealed class KernelBenchmarkConfig : ManualConfig
    {
        public KernelBenchmarkConfig() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(7)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
    }

    private const int Entries = 100_000;
    private const string Vxlan = "vx100";

    private string _namespace = "";
    private string _addFile = "";
    private string _deleteFile = "";
    private LinuxDataPlane? _dataPlane;
    private List<DataPlaneIntent> _adds = [];
    private List<DataPlaneIntent> _removes = [];

    [GlobalSetup]
    public void Setup()
    {
        _namespace = $"evdp-bench-{Environment.ProcessId}";
        Run("ip", "netns", "add", _namespace);
        Run("ip", "-n", _namespace, "link", "add", "br100", "type", "bridge");
        Run("ip", "-n", _namespace, "link", "add", Vxlan, "type", "vxlan", "id", "100", "local", "10.0.0.1", "dstport", "4789", "nolearning");
        Run("ip", "-n", _namespace, "link", "set", Vxlan, "master", "br100");
        Run("ip", "-n", _namespace, "link", "set", Vxlan, "up");
        Run("ip", "-n", _namespace, "link", "set", "br100", "up");

        var entries = Enumerable.Range(0, Entries)
            .Select(i => new FdbEntry(100, new MacAddress(0x0200_0000_0000UL | (uint)i), IpAddr.FromV4(0x0A01_0000u | (uint)(i % 200 + 2))))
            .ToList();
        _adds = entries.Select(e => (DataPlaneIntent)new DataPlaneIntent.AddFdb(e)).ToList();
        _removes = entries.Select(e => (DataPlaneIntent)new DataPlaneIntent.RemoveFdb(e)).ToList();
        _addFile = Path.Combine(Path.GetTempPath(), _namespace + "-add.batch");
        _deleteFile = Path.Combine(Path.GetTempPath(), _namespace + "-del.batch");
        File.WriteAllLines(_addFile, entries.Select(e => $"fdb replace {e.Mac} dev {Vxlan} dst {e.Vtep} self master extern_learn"));
        File.WriteAllLines(_deleteFile, entries.Select(e => $"fdb del {e.Mac} dev {Vxlan} dst {e.Vtep} self master"));

        _dataPlane = new LinuxDataPlane(new LinuxDataPlaneOptions { NetworkNamespace = _namespace });
        _dataPlane.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * Entries, Description = "bridge -batch (iproute2)")]
    public void BridgeBatch()
    {
        Run("bridge", "-n", _namespace, "-batch", _addFile);
        Run("bridge", "-n", _namespace, "-batch", _deleteFile);
    }

    [Benchmark(OperationsPerInvoke = 2 * Entries, Description = "evpnd batched rtnetlink")]
    public async Task BatchedNetlink()
    {
        var added = await _dataPlane!.ApplyAsync(_adds, CancellationToken.None);
        var removed = await _dataPlane.ApplyAsync(_removes, CancellationToken.None);
        if (added.Failures.Count + removed.Failures.Count != 0)
        {
            throw new InvalidOperationException($"{added.Failures.Count + removed.Failures.Count} entries failed: {added.Failures.Concat(removed.Failures).First().Message}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dataPlane?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Run("ip", "netns", "del", _namespace);
        File.Delete(_addFile);
        File.Delete(_deleteFile);
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error.Result}");
        }
    }
}
