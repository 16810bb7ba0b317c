namespace Evpn.Interop.Tests.Harness;

/// <summary>Run names unique to this test process: "t" + process id + "x" + a counter. A leftover of a
/// crashed earlier run has another process id, so it never collides, and the startup sweep removes it.</summary>
public static class RunNames
{
    private static int _counter;

    public static string Next() => $"t{Environment.ProcessId}x{Interlocked.Increment(ref _counter)}";
}
