using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Evpn.Core;
using Evpn.DataPlane;
using Evpn.DataPlane.InMemory;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Benchmarks.Core;

/// <summary>1,000,000 type-2 MAC+IPv4 routes from 4 peers over 4,000 VNIs through the whole core:
/// Adj-RIB-In -> best path -> import by route target -> FDB and neighbor intents, applied to the
/// in-memory data plane (<see cref="WithDataPlane"/>) or only collected. One operation = all routes;
/// routes per second = 1,000,000 / mean. The retained managed memory per route is printed after each
/// iteration (<c>// retained bytes per route</c>).</summary>
[Config(typeof(InProcessConfig))]
[MemoryDiagnoser]
public class CorePipelineBenchmark
{
    /// <summary>One warm-up and five measured iterations, in the benchmark's own process: on the shared build
    /// machine the generated out-of-process project often missed BenchmarkDotNet's build timeout.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
    }

    public const int Routes = 1_000_000;
    private const int Peers = 4;
    private const int Vnis = 4000;

    private List<BenchUpdate> _updates = [];
    private EvpnCore? _core;
    private InMemoryDataPlane? _dataPlane;
    private long _baseline;

    [Params(false, true)]
    public bool WithDataPlane { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _core = null;
        _dataPlane = null;
        _updates = [];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        _baseline = GC.GetTotalMemory(forceFullCollection: true);
        _updates = CorePipelineInput.Build(Routes, Peers, Vnis);
        _core = NewCore(out _dataPlane, WithDataPlane);
    }

    [Benchmark]
    public int FeedRoutes() => Feed(_core!, _dataPlane, _updates);

    [IterationCleanup]
    public void Cleanup()
    {
        _updates = [];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - _baseline;
        Console.WriteLine($"// retained bytes per route (core{(WithDataPlane ? " + in-memory data plane" : "")}): {retained / (double)Routes:F1}; {_core!.Queries.Macs(CorePipelineInput.FirstVni).Count} MACs in the first VNI");
        GC.KeepAlive(_core);
        GC.KeepAlive(_dataPlane);
    }

    public static EvpnCore NewCore(out InMemoryDataPlane? dataPlane, bool withDataPlane)
    {
        var core = new EvpnCore(new CoreOptions(CorePipelineInput.As, CorePipelineInput.Self, CorePipelineInput.Self), TimeProvider.System);
        dataPlane = withDataPlane ? new InMemoryDataPlane() : null;
        for (var v = 0; v < Vnis; v++)
        {
            var info = new VniInfo(CorePipelineInput.FirstVni + (uint)v, $"vx{v}", "br0", CorePipelineInput.Self, 4789, false, $"vlan{v}");
            dataPlane?.AddVni(info);
            core.Apply(new DataPlaneEvent.VniUp(info));
        }
        for (var p = 0; p < Peers; p++)
        {
            var address = CorePipelineInput.PeerAddress(p);
            core.PeerUp(new PeerSession(address, CorePipelineInput.As, address, true, [AfiSafi.L2vpnEvpn]));
        }
        core.TakeIntents();
        core.TakeOutbound();
        return core;
    }

    /// <summary>Feeds every UPDATE, taking intents in batches as the speaker loop would. Returns the intents produced.</summary>
    public static int Feed(EvpnCore core, InMemoryDataPlane? dataPlane, List<BenchUpdate> updates)
    {
        var intents = new List<DataPlaneIntent>(8192);
        var total = 0;
        var count = 0;
        foreach (var update in updates)
        {
            core.UpdateReceived(update.Peer, update.Routes, update.Attributes, update.NextHop, []);
            if (++count % 32 == 0)
            {
                total += Drain(core, dataPlane, intents);
            }
        }
        total += Drain(core, dataPlane, intents);
        return total;
    }

    private static int Drain(EvpnCore core, InMemoryDataPlane? dataPlane, List<DataPlaneIntent> intents)
    {
        intents.Clear();
        core.TakeIntents(intents);
        if (dataPlane is not null && intents.Count > 0)
        {
            var result = dataPlane.ApplyAsync(intents.ToArray(), CancellationToken.None).GetAwaiter().GetResult();
            if (result.Failures.Count > 0)
            {
                throw new InvalidOperationException($"data plane refused {result.Failures.Count} intents: {result.Failures[0].Message}");
            }
        }
        return intents.Count;
    }
}
