namespace Evpn.Session.Tests.Loopback;

/// <summary>Distinct 127.x addresses per test, so tests running in parallel never see each other's peers.</summary>
public static class LoopbackAddresses
{
    private static int _next = Environment.ProcessId % 200;

    public static (string A, string B) NextPair()
    {
        var n = Interlocked.Increment(ref _next);
        return ($"127.{77 + n / 250 % 100}.{n % 250}.1", $"127.{77 + n / 250 % 100}.{n % 250}.2");
    }
}
