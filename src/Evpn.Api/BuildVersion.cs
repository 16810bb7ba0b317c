using System.Reflection;

namespace Evpn.Api;

/// <summary>What `evpnd --version` and `evpnctl --version` print: the solution's one version and the commit the
/// binaries were built from (the build records both in every assembly's informational version, "0.9.0+SHA").</summary>
public static class BuildVersion
{
    /// <summary>Characters of the commit shown, as `git rev-parse --short` shows it.</summary>
    private const int ShortCommit = 7;

    /// <summary>The version without the commit, e.g. "0.9.0".</summary>
    public static string Version { get; } = Informational().Split('+')[0];

    /// <summary>The commit's short hash, or null when the build was not made from a git checkout.</summary>
    public static string? Commit { get; } = Informational().Split('+') is [_, var sha, ..] && sha.Length > 0 ? sha[..Math.Min(ShortCommit, sha.Length)] : null;

    /// <summary>One line: "<paramref name="program"/> 0.9.0 (commit 89d57a9)".</summary>
    public static string Line(string program) => Commit is null ? $"{program} {Version}" : $"{program} {Version} (commit {Commit})";

    private static string Informational() =>
        typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";
}
