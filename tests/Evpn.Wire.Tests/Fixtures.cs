namespace Evpn.Wire.Tests;

/// <summary>The BGP messages captured between FRR 8.4.4 and GoBGP 3.10 (see Fixtures/extract.py): one
/// message per file, a '#' line saying which frame it came from, then the bytes in hex.</summary>
public static class Fixtures
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static byte[] Load(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, name.EndsWith(".hex", StringComparison.Ordinal) ? name : name + ".hex"));
        return Convert.FromHexString(string.Concat(lines.Where(l => !l.StartsWith('#')).Select(l => l.Trim())));
    }

    public static IEnumerable<string> Names =>
        Directory.EnumerateFiles(Folder, "*.hex").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>Both speakers of the capture announce the 4-octet AS capability and nothing that changes
    /// the encoding besides it.</summary>
    public static readonly DecodeContext Context = DecodeContext.FourOctetAs;
}
