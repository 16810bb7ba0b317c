using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Evpn.Benchmarks.Core;

/// <summary>The <see cref="CorePipelineBenchmark"/> workload without BenchmarkDotNet's iteration machinery:
/// <c>dotnet run -c Release --project tests/Evpn.Benchmarks -- core-quick [runs] [dataplane]</c>. Each run
/// feeds the same 1,000,000 routes into a fresh core and prints wall time, the process's CPU time (GC
/// threads included), bytes allocated and bytes retained per route; then the medians. On the shared,
/// loaded build machine a BenchmarkDotNet run of this workload takes tens of minutes; this takes one or two,
/// and the CPU time shows what the load hides from the wall clock.</summary>
public static class CorePipelineQuickRun
{
    public static void Run(int runs, bool withDataPlane)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        var retained = new List<double>();
        var allocated = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            var (seconds, cpuSeconds, allocatedPerRoute, retainedPerRoute) = Once(withDataPlane);
            var label = i == 0 ? "warm-up" : $"run {i}";
            Console.WriteLine($"{label}: {seconds:F3} s wall ({CorePipelineBenchmark.Routes / seconds:F0} routes/s), " +
                              $"{cpuSeconds:F3} s CPU ({CorePipelineBenchmark.Routes / cpuSeconds:F0} routes per CPU-second), " +
                              $"{allocatedPerRoute:F1} B allocated and {retainedPerRoute:F1} B retained per route");
            if (i > 0)
            {
                wall.Add(seconds);
                cpu.Add(cpuSeconds);
                allocated.Add(allocatedPerRoute);
                retained.Add(retainedPerRoute);
            }
        }
        Console.WriteLine($"median of {runs} ({(withDataPlane ? "core + in-memory data plane" : "core")}): {Median(wall):F3} s wall " +
                          $"({CorePipelineBenchmark.Routes / Median(wall):F0} routes/s), {Median(cpu):F3} s CPU " +
                          $"({CorePipelineBenchmark.Routes / Median(cpu):F0} routes per CPU-second), {Median(allocated):F1} B allocated, " +
                          $"{Median(retained):F1} B retained per route");
    }

    /// <summary>One run in its own frame, so that nothing of it is still referenced when the next run takes its baseline.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (double Seconds, double CpuSeconds, double AllocatedPerRoute, double RetainedPerRoute) Once(bool withDataPlane)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var (seconds, cpuSeconds, allocatedPerRoute) = Feed(withDataPlane, out var keep);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var retainedPerRoute = (GC.GetTotalMemory(forceFullCollection: true) - baseline) / (double)CorePipelineBenchmark.Routes;
        GC.KeepAlive(keep);
        return (seconds, cpuSeconds, allocatedPerRoute, retainedPerRoute);
    }

    /// <summary>Feeds the routes; the input is unreachable on return, the core (and data plane) are handed back.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (double Seconds, double CpuSeconds, double AllocatedPerRoute) Feed(bool withDataPlane, out object keep)
    {
        var updates = CorePipelineInput.Build(CorePipelineBenchmark.Routes, 4, 4000);
        var core = CorePipelineBenchmark.NewCore(out var dataPlane, withDataPlane);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var pauseBefore = GC.GetTotalPauseDuration();
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();
        CorePipelineBenchmark.Feed(core, dataPlane, updates);
        clock.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"  GC: {GC.CollectionCount(0) - gcBefore.Item1} gen0, {GC.CollectionCount(1) - gcBefore.Item2} gen1, " +
                          $"{GC.CollectionCount(2) - gcBefore.Item3} gen2 collections, {(GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds:F3} s paused");
        var allocatedPerRoute = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)CorePipelineBenchmark.Routes;
        keep = (core, dataPlane);
        return (clock.Elapsed.TotalSeconds, cpuSeconds, allocatedPerRoute);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
