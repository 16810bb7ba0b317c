using Evpn.Config.Options;
using Evpn.Config.Yaml;

namespace Evpn.Config.Loading;

/// <summary>Reads the small sections around the protocol: `data-plane`, `management`, `metrics`, `logging`.</summary>
internal static class ServiceSections
{
    private static readonly string[] DataPlaneKeys = ["kind", "namespace", "arp-suppression", "fdb-nexthops"];
    private static readonly string[] ManagementKeys = ["socket"];
    private static readonly string[] MetricsKeys = ["enabled", "address"];
    private static readonly string[] LoggingKeys = ["level", "file", "format"];

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

    public static ScalarRule<string> PathRule => AbsolutePath;

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
        return m is null ? d : new ManagementOptions(m.Read("socket", AbsolutePath, d.SocketPath));
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

    public static LoggingOptions ReadLogging(ReadContext ctx, YNode? node, SourcePosition fallback)
    {
        var d = LoggingOptions.Default;
        var m = MappingReader.Open(ctx, node, "logging", fallback, LoggingKeys);
        return m is null
            ? d
            : new LoggingOptions(m.Read("level", Rules.Level, d.Level), m.OptionalText("file", AbsolutePath), m.Read("format", Rules.LogFormat, d.Format));
    }
}
