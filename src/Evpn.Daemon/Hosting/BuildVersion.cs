using System.Reflection;

namespace Evpn.Daemon.Hosting;

/// <summary>The solution's version and the commit it was built from, as the SDK writes them into the assembly's
/// informational version ("0.1.0+3f2a...").</summary>
public static class BuildVersion
{
    private static readonly string Informational =
        typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => Informational.Split('+')[0];

    /// <summary>"unknown" for a build outside a git checkout.</summary>
    public static string Commit => Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : "unknown";
}
