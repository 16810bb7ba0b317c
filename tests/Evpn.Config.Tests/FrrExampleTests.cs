namespace Evpn.Config.Tests;

/// <summary>The FRR halves of the examples are checked by FRR's own parser, so that what the README
/// tells people to paste into FRR is accepted by it. FRR comes from interop/install-deps.sh.</summary>
public class FrrExampleTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static TheoryData<string> FrrFiles => new(Directory.GetFiles(RepositoryFiles.Path("configs", "frr"), "*.conf").Select(f => Path.GetFileName(f)));

    [RequiresTheory(Requirement.Frr)]
    [MemberData(nameof(FrrFiles))]
    public async Task Frr_accepts_the_example(string name)
    {
        var result = await Shell.TryRunAsync("vtysh", ["--dryrun", "-f", RepositoryFiles.Path("configs", "frr", name)], Limit);
        Assert.True(result.Succeeded, result.Transcript);
    }

    [Fact]
    public void Each_frr_file_belongs_to_a_yaml_example()
    {
        var named = Directory.GetFiles(RepositoryFiles.Path("configs"), "*.yaml")
            .SelectMany(yaml => File.ReadAllText(yaml).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.StartsWith("frr/", StringComparison.Ordinal))
            .Select(w => w.TrimEnd('.')["frr/".Length..])
            .Order();
        var present = Directory.GetFiles(RepositoryFiles.Path("configs", "frr"), "*.conf").Select(f => Path.GetFileName(f)).Order();

        Assert.Equal(["leaf-rr-client.conf", "leaf2-ebgp.conf", "spine-rr.conf", "spine-unnumbered.conf"], named);
        Assert.Equal(named, present);
    }
}
