using Evpn.Api;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>`evpnd --version` and `evpnctl --version`: the solution's version and the commit, one line, exit 0, from
/// the binaries as shipped (EVPND_BIN/EVPNCTL_BIN) or the development build.</summary>
[Collection(EvpndCollection.Name)]
public sealed class VersionTests
{
    /// <summary>"evpnd 0.9.0 (commit 89d57a9)": the tests run in a git checkout, so the commit is there.</summary>
    private const string LinePattern = @"^{0} \d+\.\d+\.\d+ \(commit [0-9a-f]{{7}}\)$";

    [Fact]
    public async Task Evpnd_prints_its_version_and_commit_and_exits_0()
    {
        await using var evpnd = EvpndProcess.Start("version", "--version");

        Assert.Equal(0, await evpnd.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = evpnd.Output.Trim();
        Assert.Matches(string.Format(System.Globalization.CultureInfo.InvariantCulture, LinePattern, "evpnd"), line);
        Assert.Equal(BuildVersion.Line("evpnd"), line);
    }

    [Fact]
    public async Task Evpnctl_prints_the_same_version_and_commit_as_evpnd()
    {
        var result = await Evpnctl.RunProcessAsync("--version");

        Assert.Equal(0, result.ExitCode);
        var line = result.Output.Trim();
        Assert.Matches(string.Format(System.Globalization.CultureInfo.InvariantCulture, LinePattern, "evpnctl"), line);
        Assert.Equal(BuildVersion.Line("evpnctl"), line);
    }
}
