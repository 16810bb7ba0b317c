using System.Text;
using BenchmarkDotNet.Attributes;
using Evpn.Config.Diff;
using Evpn.Config.Loading;
using Evpn.Config.Options;

namespace Evpn.Benchmarks.Config;

/// <summary>The cost of a reload on a large route reflector's file: 1,000 neighbors and 4,000 VNIs with
/// explicit RD/RT. Parse = read + validate; Diff = compare with the running configuration.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ConfigReloadBenchmarks
{
    private string _yaml = string.Empty;
    private EvpnConfig _running = null!;
    private EvpnConfig _edited = null!;

    [GlobalSetup]
    public void Setup()
    {
        _yaml = LargeFile(holdTimeOfFirst: 90);
        _running = EvpnConfigLoader.Parse(_yaml, "bench.yaml").Config ?? throw new InvalidOperationException("benchmark file must be valid");
        _edited = EvpnConfigLoader.Parse(LargeFile(holdTimeOfFirst: 30), "bench.yaml").Config ?? throw new InvalidOperationException("edited file must be valid");
    }

    [Benchmark]
    public bool Parse() => EvpnConfigLoader.Parse(_yaml, "bench.yaml").IsValid;

    [Benchmark]
    public int Diff() => ConfigDiff.Compute(_running, _edited).NeighborsChanged.Count;

    private static string LargeFile(int holdTimeOfFirst)
    {
        var b = new StringBuilder();
        b.Append("router:\n  asn: 65000\n  router-id: 10.255.0.1\n  local-vtep: 10.255.0.1\nneighbors:\n");
        for (var i = 0; i < 1000; i++)
        {
            b.Append($"  - address: 10.{i / 250}.{i % 250}.2\n    remote-as: internal\n    route-reflector-client: true\n");
            b.Append($"    description: leaf {i}\n    timers:\n      hold-time: {(i == 0 ? holdTimeOfFirst : 90)}\n");
        }
        b.Append("evpn:\n  vnis:\n");
        for (var v = 1; v <= 4000; v++)
        {
            b.Append($"    - vni: {v}\n      rd: 10.255.0.1:{v}\n      import-rts: [65000:{v}]\n      export-rts: [65000:{v}]\n");
        }
        return b.ToString();
    }
}
