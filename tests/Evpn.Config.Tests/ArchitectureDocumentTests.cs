using System.Text.RegularExpressions;

namespace Evpn.Config.Tests;

/// <summary>docs/architecture.md is where a newcomer learns which file does what: every file it names must exist,
/// and every type and member it names must still be in the code, so that a rename or a move that forgets the
/// document fails here instead of sending its reader to nothing.</summary>
public partial class ArchitectureDocumentTests
{
    private static readonly string Document = RepositoryFiles.Path("docs", "architecture.md");

    private static readonly Lazy<string[]> SourceFiles = new(() =>
        Directory.GetFiles(RepositoryFiles.Path("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToArray());

    private static readonly Lazy<HashSet<string>> SourceIdentifiers = new(() =>
        SourceFiles.Value.SelectMany(f => IdentifierPattern().Matches(File.ReadAllText(f)).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal));

    private static readonly Lazy<HashSet<string>> DeclaredTypes = new(() =>
        SourceFiles.Value.SelectMany(f => DeclarationPattern().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal));

    [Fact]
    public void Every_file_the_document_names_exists()
    {
        var missing = Names().Where(IsPath).Where(name => !PathExists(name)).Distinct().ToList();

        Assert.True(missing.Count == 0, $"docs/architecture.md names files that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_type_and_member_the_document_names_is_in_the_code()
    {
        var missing = new List<string>();
        foreach (var name in Names().Where(n => !IsPath(n)).Select(n => n.EndsWith("()", StringComparison.Ordinal) ? n[..^2] : n).Distinct())
        {
            if (!CodeNamePattern().IsMatch(name) || name.StartsWith("Evpn.", StringComparison.Ordinal))
            {
                continue;
            }
            var parts = name.Split('.');
            if (parts.Any(p => !SourceIdentifiers.Value.Contains(p)) || (parts.Length > 1 && !DeclaredTypes.Value.Contains(parts[0])))
            {
                missing.Add(name);
            }
        }

        Assert.True(missing.Count == 0, $"docs/architecture.md names what the code does not have: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_check_finds_a_file_or_a_type_that_is_not_there()
    {
        Assert.True(PathExists("Evpn.Core/EvpnCore.cs"));
        Assert.False(PathExists("Evpn.Core/EvpnCoreScratch.cs"));
        Assert.False(PathExists("NoSuchFile.cs"));
        Assert.True(PathExists("Transport/PeerConnection.cs"));
        Assert.False(PathExists("Transport/NoSuchConnection.cs"));
        Assert.Contains("EvpnCore", DeclaredTypes.Value);
        Assert.DoesNotContain("UpdateTreatedAsWithdraw", SourceIdentifiers.Value);
    }

    /// <summary>What the document names: code spans and the targets of its links.</summary>
    private static IEnumerable<string> Names()
    {
        var text = File.ReadAllText(Document);
        return CodeSpanPattern().Matches(text).Select(m => m.Groups["name"].Value)
            .Concat(LinkPattern().Matches(text).Select(m => m.Groups["target"].Value).Where(t => !t.Contains("://", StringComparison.Ordinal)));
    }

    private static bool IsPath(string name) =>
        name.Contains('/', StringComparison.Ordinal) ? !name.Contains(' ', StringComparison.Ordinal) && !name.StartsWith("/v1/", StringComparison.Ordinal)
            : name.EndsWith(".cs", StringComparison.Ordinal) || name.EndsWith(".md", StringComparison.Ordinal);

    private static readonly string[] RootFolders = ["src/", "tests/", "configs/", "docs/", "interop/", "packaging/"];

    /// <summary>A path from the repository root (src/, tests/, configs/), from src/ (Evpn.X/...), relative to docs/
    /// (../), inside the project a table row named first (Netlink/NetlinkWriter.cs), or a file name alone, found
    /// anywhere under src/.</summary>
    private static bool PathExists(string name)
    {
        if (name.StartsWith("../", StringComparison.Ordinal))
        {
            return Exists(RepositoryFiles.Path("docs", name));
        }
        if (name.StartsWith("Evpn.", StringComparison.Ordinal))
        {
            return Exists(RepositoryFiles.Path("src", name));
        }
        if (RootFolders.Any(root => name.StartsWith(root, StringComparison.Ordinal)))
        {
            return Exists(RepositoryFiles.Path(name));
        }
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return Directory.GetDirectories(RepositoryFiles.Path("src")).Any(project => Exists(System.IO.Path.Combine(project, name)));
        }
        return SourceFiles.Value.Any(f => System.IO.Path.GetFileName(f) == name) || File.Exists(RepositoryFiles.Path("docs", name));
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    [GeneratedRegex("`(?<name>[^`\n]+)`")]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkPattern();

    /// <summary>A type, or a type and its members: PascalCase words joined by dots, not an all-capitals constant.</summary>
    [GeneratedRegex(@"^(?=.*[a-z])[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)*$")]
    private static partial Regex CodeNamePattern();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"\b(class|record|struct|interface|enum)\s+(?<name>[A-Z][A-Za-z0-9]*)")]
    private static partial Regex DeclarationPattern();
}
