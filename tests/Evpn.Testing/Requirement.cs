namespace Evpn.Testing;

/// <summary>What a test needs from the machine beyond .NET. Each is a trait <c>Requires=root|frr|gobgp|exabgp</c>
/// (filter on it with <c>dotnet test --filter "Requires!=root"</c>) and, when missing, a skip with the reason.</summary>
public enum Requirement
{
    /// <summary>Root: network namespaces, kernel bridge and VXLAN devices, netlink writes, port 179, mounts.</summary>
    Root,

    /// <summary>FRR's daemons (zebra, bgpd, vtysh) installed as the Debian package lays them out.</summary>
    Frr,

    /// <summary>GoBGP (gobgpd, gobgp) on PATH.</summary>
    GoBgp,

    /// <summary>ExaBGP on PATH.</summary>
    ExaBgp,
}

/// <summary>Which requirements this machine meets, checked once per test process.</summary>
public static class Requirements
{
    private static readonly Lazy<bool> FrrInstalled = new(() => File.Exists("/usr/lib/frr/bgpd") && Shell.OnPath("vtysh"));
    private static readonly Lazy<bool> GoBgpInstalled = new(() => Shell.OnPath("gobgpd") && Shell.OnPath("gobgp"));
    private static readonly Lazy<bool> ExaBgpInstalled = new(() => Shell.OnPath("exabgp"));

    /// <summary>The trait value of <paramref name="requirement"/>.</summary>
    public static string TraitValue(Requirement requirement) => requirement.ToString().ToLowerInvariant();

    /// <summary>Why the test cannot run here ("needs root; needs FRR ..."), or null when every requirement is met.</summary>
    public static string? Missing(IEnumerable<Requirement> requirements)
    {
        var missing = requirements.Distinct().Where(r => !Met(r)).Select(Reason).ToList();
        return missing.Count == 0 ? null : string.Join("; ", missing);
    }

    private static bool Met(Requirement requirement) => requirement switch
    {
        Requirement.Root => Environment.IsPrivilegedProcess,
        Requirement.Frr => FrrInstalled.Value,
        Requirement.GoBgp => GoBgpInstalled.Value,
        Requirement.ExaBgp => ExaBgpInstalled.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(requirement), requirement, null),
    };

    private static string Reason(Requirement requirement) => requirement switch
    {
        Requirement.Root => "needs root (network namespaces, kernel devices, port 179)",
        Requirement.Frr => "needs FRR (/usr/lib/frr/bgpd and vtysh; interop/install-deps.sh installs it)",
        Requirement.GoBgp => "needs GoBGP (gobgpd and gobgp on PATH; interop/install-deps.sh installs it)",
        Requirement.ExaBgp => "needs ExaBGP (exabgp on PATH; interop/install-deps.sh installs it)",
        _ => throw new ArgumentOutOfRangeException(nameof(requirement), requirement, null),
    };
}
