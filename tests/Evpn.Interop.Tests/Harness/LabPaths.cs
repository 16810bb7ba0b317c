namespace Evpn.Interop.Tests.Harness;

/// <summary>Where the lab's scripts are: found from the test binary by walking up to the repository root.</summary>
public static class LabPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Interop => Path.Combine(RepositoryRoot, "interop");

    /// <summary>interop/lab: exec, vtysh, gobgp, evpnctl, down, sweep.</summary>
    public static string LabCli => Path.Combine(Interop, "lab");

    public static string Topology(string name) => Path.Combine(Interop, "topo", name);

    /// <summary>evpnd as built in the configuration of this test assembly (bin/Release or bin/Debug).</summary>
    public static string EvpndDll { get; } = Path.Combine(RepositoryRoot, "src", "Evpn.Daemon", "bin", Configuration, "net10.0", "evpnd.dll");

    private static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Evpn.sln")) && Directory.Exists(Path.Combine(dir.FullName, "interop")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no repository root (Evpn.sln + interop/) above {AppContext.BaseDirectory}");
    }
}
