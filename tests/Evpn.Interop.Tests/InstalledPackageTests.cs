using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>The Debian package (packaging/build-deb.sh) installed with dpkg -i: its files, versions, configuration
/// and unit; then topology 1 with VTEP A running the installed /usr/sbin/evpnd with the packaged unit's environment
/// against FRR, every check of the leaf pair. The fixture purges the package after the class.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstalledPackageTests : LeafPairScenarios, IClassFixture<InstalledPackage>
{
    private static readonly string[] PackagedFiles =
    [
        "/usr/sbin/evpnd",
        "/usr/bin/evpnctl",
        "/usr/lib/systemd/system/evpnd.service",
        "/usr/lib/sysusers.d/evpnd.conf",
        "/etc/evpnd/evpnd.yaml",
        "/usr/share/man/man8/evpnd.8.gz",
        "/usr/share/man/man8/evpnctl.8.gz",
        "/usr/share/man/man5/evpnd.yaml.5.gz",
        "/usr/share/bash-completion/completions/evpnctl",
        "/usr/share/doc/evpnd/copyright",
        "/usr/share/doc/evpnd/changelog.Debian.gz",
        "/usr/share/doc/evpnd/examples/grafana/evpnd.json",
        "/usr/share/doc/evpnd/examples/prometheus/alerts.yaml",
    ];

    private readonly InstalledPackage _package;

    public InstalledPackageTests(InstalledPackage package, ITestOutputHelper output) : base(output)
    {
        _package = package;
        Lab.SetEnvironment("EVPND_INSTALLED", "1");
    }

    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Frr;

    /// <summary>What the leaf-pair checks of this class run against: the packaged binary, not the build tree's, with
    /// the Environment= lines of the installed unit, if it has any.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task The_lab_runs_the_installed_evpnd_with_the_units_environment()
    {
        var pidFile = Path.Combine("/run/evlab", Topo.Run, A, "evpnd", "evpnd.pid");
        var pid = (await File.ReadAllTextAsync(pidFile)).Trim();
        var unitEnvironment = File.ReadAllLines("/usr/lib/systemd/system/evpnd.service")
            .Where(l => l.StartsWith("Environment=", StringComparison.Ordinal))
            .SelectMany(l => l["Environment=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();

        Assert.Equal("/usr/sbin/evpnd", new FileInfo($"/proc/{pid}/exe").LinkTarget);
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
        Assert.All(unitEnvironment, variable => Assert.Contains(variable, environment));
    }

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Every_file_is_where_debian_puts_it_and_the_configuration_is_a_conffile()
    {
        var listed = (await Run("dpkg", "-L", InstalledPackage.Name)).Split('\n', StringSplitOptions.TrimEntries).ToHashSet();

        Assert.All(PackagedFiles, f => Assert.True(listed.Contains(f) && File.Exists(f), $"{f} not installed\n{_package.Transcript}"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode("/usr/sbin/evpnd"));
        // Passwords may be in it: root only.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode("/etc/evpnd/evpnd.yaml"));
        Assert.Contains("/etc/evpnd/evpnd.yaml", await Run("dpkg-query", "-W", "-f", "${Conffiles}", InstalledPackage.Name));
        // postinst made the management socket's group (systemd-sysusers with the packaged sysusers.d file).
        Assert.StartsWith("evpnd:", await Run("getent", "group", "evpnd"));
        Assert.Contains("Apache License", await File.ReadAllTextAsync("/usr/share/doc/evpnd/copyright"));
    }

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Evpnd_and_evpnctl_print_the_packages_version()
    {
        var version = (await Run("dpkg-query", "-W", "-f", "${Version}", InstalledPackage.Name)).Trim();

        Assert.StartsWith($"evpnd {version} (commit ", await Run("/usr/sbin/evpnd", "--version"), StringComparison.Ordinal);
        Assert.StartsWith($"evpnctl {version} (commit ", await Run("/usr/bin/evpnctl", "--version"), StringComparison.Ordinal);
    }

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task The_installed_evpnd_accepts_the_packaged_configuration() =>
        Assert.Contains("valid", await Run("/usr/sbin/evpnd", "--check-config", "/etc/evpnd/evpnd.yaml"));

    /// <summary>systemd-analyze checks the unit's syntax, its directives' values and that the binaries it starts
    /// exist and are executable; it needs no running systemd.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task The_packaged_unit_passes_systemd_analyze_verify()
    {
        var verify = await Lab.TryRunAsync("systemd-analyze", ["verify", "/usr/lib/systemd/system/evpnd.service"], Lab.QueryTimeout);

        Assert.True(verify.Succeeded, verify.Transcript);
        Assert.DoesNotContain("evpnd.service", verify.StandardError);
    }

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Bash_completes_evpnctls_commands_and_options()
    {
        const string Script = """
            source /usr/share/bash-completion/completions/evpnctl
            complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _evpnctl; echo "${COMPREPLY[*]}"; }
            complete_line evpnctl sh
            complete_line evpnctl show ""
            complete_line evpnctl show routes --t
            """;

        var lines = (await Run("bash", "-c", Script)).Split('\n');

        Assert.Equal(["show", "summary neighbors routes vnis macs flood", "--type"], lines[..3]);
    }

    private async Task<string> Run(string command, params string[] arguments) =>
        (await Lab.RunAsync(command, arguments, Lab.QueryTimeout)).StandardOutput;
}
