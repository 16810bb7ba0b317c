namespace Evpn.Interop.Tests.Harness;

/// <summary>The Debian package built by packaging/build-deb.sh and installed with dpkg -i on this machine for the
/// tests of one class; purged afterwards, also when the install or a test failed.</summary>
public sealed class InstalledPackage : IAsyncLifetime
{
    public const string Name = "evpnd";

    /// <summary>Publishing the two native binaries on a loaded two-core machine takes minutes.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan DpkgTimeout = TimeSpan.FromMinutes(2);

    public string DebPath { get; private set; } = string.Empty;

    /// <summary>What build-deb.sh and dpkg said, for the failure message of a test that finds something missing.</summary>
    public string Transcript { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        // tests/run-all.sh has published the native binaries once already (EVPND_BIN, EVPNCTL_BIN beside it).
        string[] binaries = Environment.GetEnvironmentVariable("EVPND_BIN") is { Length: > 0 } evpnd ? ["--bin", Path.GetDirectoryName(evpnd)!] : [];
        var build = await Shell.TryRunAsync(Path.Combine(LabPaths.RepositoryRoot, "packaging", "build-deb.sh"), binaries, BuildTimeout);
        Transcript = build.Transcript;
        if (!build.Succeeded)
        {
            throw new CommandFailedException($"packaging/build-deb.sh failed:\n{build.Transcript}");
        }
        DebPath = build.StandardOutput.Trim().Split('\n')[^1];
        // Whatever an earlier, interrupted run left goes first: the test proves a fresh install.
        await PurgeAsync();
        var install = await Shell.TryRunAsync("dpkg", ["-i", DebPath], DpkgTimeout);
        Transcript += install.Transcript;
        if (!install.Succeeded)
        {
            await PurgeAsync();
            throw new CommandFailedException($"dpkg -i {DebPath} failed:\n{install.Transcript}");
        }
    }

    public async Task DisposeAsync()
    {
        var purge = await PurgeAsync();
        if (!purge.Succeeded)
        {
            throw new CommandFailedException($"dpkg --purge {Name} failed:\n{purge.Transcript}");
        }
    }

    private static Task<CommandResult> PurgeAsync() => Shell.TryRunAsync("dpkg", ["--purge", Name], DpkgTimeout);
}
