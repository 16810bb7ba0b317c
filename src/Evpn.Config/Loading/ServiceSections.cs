using Evpn.Config.Options;
using Evpn.Config.Yaml;

namespace Evpn.Config.Loading;

/// <summary>Reads the small sections around the protocol: `data-plane`, `management`, `metrics`, `logging`, `mrt-dump`.</summary>
internal static class ServiceSections
{
    private static readonly string[] DataPlaneKeys = ["kind", "namespace", "arp-suppression", "fdb-nexthops"];
    private static readonly string[] ManagementKeys = ["socket", "socket-group"];
    private static readonly string[] MetricsKeys = ["enabled", "address"];
    private static readonly string[] LoggingKeys = ["level", "file", "format"];
    private static readonly string[] MrtDumpKeys = ["file", "max-size", "keep"];

    /// <summary>Octets, or with a binary unit: `4096`, `64KiB`, `256MiB`, `1GiB`.</summary>
    private static readonly ScalarRule<long> MrtSize = new("a size of 4KiB or more, such as 65536, 64KiB, 256MiB or 1GiB", (string t, out long v) =>
    {
        v = 0;
        var (digits, shift) = t.EndsWith("KiB", StringComparison.Ordinal) ? (t[..^3], 10)
            : t.EndsWith("MiB", StringComparison.Ordinal) ? (t[..^3], 20)
            : t.EndsWith("GiB", StringComparison.Ordinal) ? (t[..^3], 30)
            : (t, 0);
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n > long.MaxValue >> shift)
        {
            return false;
        }
        v = n << shift;
        return v >= MrtDumpOptions.MinMaxSize;
    });

    private static readonly ScalarRule<string> AbsolutePath = new("an absolute path", (string t, out string v) =>
    {
        v = t;
        return t.StartsWith('/') && !t.Contains('\0');
    });

    /// <summary>Names under /run/netns: no slash, not empty, not a dot entry.</summary>
    private static readonly ScalarRule<string> NamespaceName = new("a network namespace name", (string t, out string v) =>
    {
        v = t;
        return t.Length is > 0 and <= 255 && !t.Contains('/') && t is not "." and not "..";
    });

    /// <summary>A group name as useradd/groupadd accept it (at most 32 characters); whether the group exists
    /// is checked when evpnd starts.</summary>
    private static readonly ScalarRule<string> GroupName = new("a group name (letters, digits, '_', '-', '.'; at most 32, not starting with a digit, '-' or '.')", (string t, out string v) =>
    {
        v = t;
        return t.Length is > 0 and <= 32 && (char.IsAsciiLetter(t[0]) || t[0] == '_')
            && t.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
    });

    public static DataPlaneOptions ReadDataPlane(ReadContext ctx, YNode? node, SourcePosition fallback)
    {
        var d = DataPlaneOptions.Default;
        var m = MappingReader.Open(ctx, node, "data-plane", fallback, DataPlaneKeys);
        return m is null
            ? d
            : new DataPlaneOptions(
                m.Read("kind", Rules.DataPlane, d.Kind),
                m.OptionalText("namespace", NamespaceName),
                m.Read("arp-suppression", Rules.Bool, d.ArpSuppression),
                m.Read("fdb-nexthops", Rules.Bool, d.FdbNexthops));
    }

    public static ManagementOptions ReadManagement(ReadContext ctx, YNode? node, SourcePosition fallback)
    {
        var d = ManagementOptions.Default;
        var m = MappingReader.Open(ctx, node, "management", fallback, ManagementKeys);
        return m is null ? d : new ManagementOptions(m.Read("socket", AbsolutePath, d.SocketPath), m.OptionalText("socket-group", GroupName));
    }

    public static MetricsOptions ReadMetrics(ReadContext ctx, YNode? node, SourcePosition fallback)
    {
        var d = MetricsOptions.Default;
        var m = MappingReader.Open(ctx, node, "metrics", fallback, MetricsKeys);
        if (m is null)
        {
            return d;
        }
        var (address, port) = m.Read("address", Rules.Endpoint, (d.Address, d.Port));
        return new MetricsOptions(m.Read("enabled", Rules.Bool, d.Enabled), address, port);
    }

    /// <summary>`mrt-dump: FILE`, or the mapping `{file, max-size, keep}`.</summary>
    public static MrtDumpOptions? ReadMrtDump(ReadContext ctx, YNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }
        if (node is YScalar scalar)
        {
            if (!scalar.IsNull && AbsolutePath.Parse(scalar.Value, out var file))
            {
                return new MrtDumpOptions(file, MrtDumpOptions.DefaultMaxSize, MrtDumpOptions.DefaultKeep);
            }
            ctx.Expected(node, path, $"{AbsolutePath.Expected}, or a mapping with 'file', 'max-size', 'keep'");
            return null;
        }
        var m = MappingReader.Open(ctx, node, path, node.Position, MrtDumpKeys);
        if (m is null)
        {
            return null;
        }
        var dump = m.Required("file", AbsolutePath, string.Empty);
        var maxSize = m.Read("max-size", MrtSize, MrtDumpOptions.DefaultMaxSize);
        var keep = m.Read("keep", Rules.IntRange(0, 1000), MrtDumpOptions.DefaultKeep);
        return dump.Length == 0 ? null : new MrtDumpOptions(dump, maxSize, keep);
    }

    public static LoggingOptions ReadLogging(ReadContext ctx, YNode? node, SourcePosition fallback)
    {
        var d = LoggingOptions.Default;
        var m = MappingReader.Open(ctx, node, "logging", fallback, LoggingKeys);
        return m is null
            ? d
            : new LoggingOptions(m.Read("level", Rules.Level, d.Level), m.OptionalText("file", AbsolutePath), m.Read("format", Rules.LogFormat, d.Format));
    }
}
