namespace Evpn.Testing;

/// <summary>A network namespace named <c>PREFIX-PID-N</c>, unique to this test process, so test runs at the same
/// time never collide and a leftover of a crashed run is recognisable. Removed on dispose, even after a failure.</summary>
public sealed class NetworkNamespace : IDisposable
{
    private static int s_counter;

    /// <summary>Creates the namespace with its loopback up.</summary>
    public NetworkNamespace(string prefix)
    {
        Number = Interlocked.Increment(ref s_counter);
        Name = $"{prefix}-{Environment.ProcessId}-{Number}";
        Shell.Run("ip", "netns", "add", Name);
        try
        {
            Ip("link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary>This namespace's place among those the process created, for names derived from it (links, addresses).</summary>
    public int Number { get; }

    /// <summary>Runs `ip -n NAME ARGS...`; throws when it fails.</summary>
    public string Ip(params string[] arguments) => Shell.Ip(Name, arguments);

    /// <summary>Runs a program inside the namespace and returns how it ended.</summary>
    public Task<CommandResult> TryExecAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        Shell.TryRunAsync("ip", ["netns", "exec", Name, file, .. arguments], timeout);

    public void Dispose() => Shell.TryRun("ip", "netns", "del", Name);
}
