using System.Diagnostics;
using Evpn.DataPlane;
using Evpn.DataPlane.Linux.Kernel;
using Evpn.LoadGen;

namespace Evpn.KernelLimit;

/// <summary>Hands intents to evpnd's netlink executor the way the intent writer does, and times it.</summary>
internal static class LimitWriter
{
    /// <summary>The intent writer's batch size: the speaker hands the data plane at most this many at once.</summary>
    private const int BatchSize = 8192;

    /// <summary>Runs the intents in batches; returns the Unix ns before the first request, the time until the
    /// last acknowledgement, and how many entries the kernel refused (each is printed to stderr).</summary>
    public static (long FirstNs, double SendMs, int Failed) Apply(NetlinkIntentExecutor executor, List<DataPlaneIntent> intents)
    {
        var outcomes = new IntentOutcome[BatchSize];
        var failed = 0;
        var firstNs = UnixClock.NowNs();
        var start = Stopwatch.GetTimestamp();
        for (var offset = 0; offset < intents.Count; offset += BatchSize)
        {
            var batch = intents.GetRange(offset, Math.Min(BatchSize, intents.Count - offset));
            Array.Fill(outcomes, IntentOutcome.Ok);
            executor.ExecuteAsync(batch, outcomes.AsMemory(0, batch.Count), CancellationToken.None).GetAwaiter().GetResult();
            for (var i = 0; i < batch.Count; i++)
            {
                if (!outcomes[i].Succeeded)
                {
                    failed++;
                    Console.Error.WriteLine($"evpn-kernel-limit: {batch[i]}: error {outcomes[i].ErrorCode} {outcomes[i].Detail}");
                }
            }
        }
        return (firstNs, Stopwatch.GetElapsedTime(start).TotalMilliseconds, failed);
    }
}
