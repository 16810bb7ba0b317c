namespace Evpn.Testing.EndToEnd;

/// <summary>Loopback addresses no other test run uses: 127.A.B.C from this process's id and a counter, so
/// that test processes running at the same time (other projects, other people's runs) never collide on
/// port 179 or on a metrics port. 127.0.x.x is left alone: hand-run daemons use it.</summary>
public static class LoopbackAddresses
{
    private const int PerProcess = 126;
    private static int _next;

    public static string Next()
    {
        var n = Interlocked.Increment(ref _next);
        if (n > PerProcess)
        {
            throw new InvalidOperationException($"more than {PerProcess} loopback addresses asked for in one test run");
        }
        var value = ((Environment.ProcessId & 0x1_FFFF) << 7) | n;
        return $"127.{16 + ((value >> 16) % 224)}.{(value >> 8) & 0xFF}.{value & 0xFF}";
    }
}
