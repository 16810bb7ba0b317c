using BenchmarkDotNet.Running;
using Evpn.Benchmarks.Core;
using Evpn.Benchmarks.DataPlane;

if (args is ["core-quick", ..])
{
    CorePipelineQuickRun.Run(args.Length > 1 ? int.Parse(args[1]) : 3, args.Contains("dataplane"));
    return;
}
if (args is ["owned-bytes"])
{
    OwnedEntriesFootprint.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
