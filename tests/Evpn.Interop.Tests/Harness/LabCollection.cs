namespace Evpn.Interop.Tests.Harness;

/// <summary>Every interop test belongs to this collection: lab tests run one after another (they share the
/// machine's two cores and FRR's start-up time), and the fixture sweeps stale runs once before the first.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "interop lab";
}

/// <summary>Runs once per test process: checks the tools are there and removes runs left by a crashed
/// earlier process (`interop/lab sweep` keeps runs whose owner is alive and runs marked keep).</summary>
public sealed class LabFixture : IAsyncLifetime
{
    private static readonly string[] RequiredTools = ["ip", "bridge", "vtysh", "gobgpd", "gobgp", "exabgp", "ping", "jq"];

    public async Task InitializeAsync()
    {
        var missing = RequiredTools.Where(tool => !OnPath(tool)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"the interop lab needs {string.Join(", ", missing)}: run interop/install-deps.sh as root");
        }
        var sweep = await Shell.TryRunAsync(LabPaths.LabCli, ["sweep"], TimeSpan.FromSeconds(60));
        if (!sweep.Succeeded)
        {
            throw new CommandFailedException($"the startup sweep failed:\n{sweep.Transcript}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
