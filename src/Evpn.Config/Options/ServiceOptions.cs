namespace Evpn.Config.Options;

public enum DataPlaneKind
{
    /// <summary>The kernel's bridge/VXLAN devices over rtnetlink.</summary>
    Linux,

    /// <summary>In-memory tables: for tests and dry runs, never for interop.</summary>
    Memory,
}

/// <summary>The `data-plane` section.</summary>
/// <param name="Namespace">Network namespace whose devices are programmed; null = evpnd's own.</param>
/// <param name="ArpSuppression">Set neigh_suppress on the VXLAN bridge ports so the bridge answers ARP/ND from neighbor entries.</param>
/// <param name="FdbNexthops">Point remote MACs to a nexthop group per VTEP instead of naming the VTEP in each FDB entry.</param>
public sealed record DataPlaneOptions(DataPlaneKind Kind, string? Namespace, bool ArpSuppression, bool FdbNexthops)
{
    public static readonly DataPlaneOptions Default = new(DataPlaneKind.Linux, null, true, true);
}

/// <summary>The `management` section: the Unix socket evpnctl talks to. File permissions are the access control.</summary>
/// <param name="SocketGroup">The group the socket is given (mode 0660), so that its members may use evpnctl
/// without root; null leaves the group evpnd runs with.</param>
public sealed record ManagementOptions(string SocketPath, string? SocketGroup)
{
    public const string DefaultSocketPath = "/run/evpnd/evpnd.sock";
    public static readonly ManagementOptions Default = new(DefaultSocketPath, null);
}

/// <summary>The `metrics` section: Prometheus text exposition on a TCP address.</summary>
public sealed record MetricsOptions(bool Enabled, IpAddr Address, int Port)
{
    public static readonly MetricsOptions Default = new(true, IpAddr.FromV4(0x7F00_0001), 9179);

    public override string ToString() => !Enabled ? "disabled" : Address.IsV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

public enum LogLevel
{
    Trace,
    Debug,
    Information,
    Warning,
    Error,
    Critical,
}

public enum LogFormat
{
    /// <summary>One line per event: time, level, source, message.</summary>
    Text,

    /// <summary>Serilog's compact JSON (CLEF), one object per line, every structured field a property.</summary>
    Json,
}

/// <summary>The `logging` section.</summary>
/// <param name="File">Also write to this file; null = console (journald under systemd) only.</param>
/// <param name="Format">How the console and the file render each event.</param>
public sealed record LoggingOptions(LogLevel Level, string? File, LogFormat Format = LogFormat.Text)
{
    public static readonly LoggingOptions Default = new(LogLevel.Information, null);
}

/// <summary>The `mrt-dump` key: the file UPDATEs are written to (RFC 6396), rotated by size.</summary>
/// <param name="MaxSize">Octets a file may reach before it is renamed FILE.1 (FILE.1 to FILE.2, and so on) and a new FILE begun.</param>
/// <param name="Keep">Rotated files kept; the oldest beyond this is deleted. 0 keeps none.</param>
public sealed record MrtDumpOptions(string File, long MaxSize, int Keep)
{
    public const long DefaultMaxSize = 256L << 20;
    public const int DefaultKeep = 4;
    public const long MinMaxSize = 4L << 10;
}
