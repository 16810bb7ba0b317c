using System.Globalization;

namespace Evpn.Testing.EndToEnd;

/// <summary>One evpnd's configuration for a loopback test: one eBGP neighbor, fast timers, the in-memory data
/// plane, the management socket and metrics in the test's folder and on the daemon's own address. Both
/// daemons' VTEPs are loopback addresses, so remote VTEPs on loopback are allowed.</summary>
public sealed record DaemonConfig(
    string Name,
    uint Asn,
    string Address,
    uint PeerAsn,
    string PeerAddress,
    IReadOnlyList<uint> Vnis,
    string SocketPath,
    int MetricsPort = 9181,
    string OnStop = "notify",
    string? MrtDump = null,
    int? MaxPrefix = null,
    string LogLevel = "information")
{
    public string MetricsUrl => $"http://{Address}:{MetricsPort}/metrics";

    /// <summary>`router` and `neighbors` of a test daemon (AS 65001) that takes the load generator (AS 65100) from
    /// 127.0.0.1 as a dynamic peer, hold time 9 s.</summary>
    public static string LoadGeneratorRouter(string address) => $"""
        router:
          asn: 65001
          local-vtep: {address}
          listen-address: {address}
        neighbors:
          - listen-range: 127.0.0.1/32
            remote-as: 65100
            timers: {"{"}hold-time: 9, keepalive: 3{"}"}
        """;

    /// <summary>The sections after `evpn` of a test daemon's file: the in-memory data plane, the management
    /// socket, metrics on the daemon's own address, information logs unless told otherwise.</summary>
    public static string TestServices(string address, string socket, int metricsPort = 9181, string logLevel = "information") =>
        string.Create(CultureInfo.InvariantCulture, $"""
        data-plane:
          kind: memory
        management:
          socket: {socket}
        metrics:
          address: {address}:{metricsPort}
        logging:
          level: {logLevel}
        """);

    /// <summary>The sections after `evpn` of a test daemon that programs the kernel: the Linux data plane in the test's
    /// namespace <paramref name="ns"/> with FDB entries naming their VTEP, and the management socket.</summary>
    public static string LinuxServices(string ns, string socket) => $"""
        data-plane:
          kind: linux
          namespace: {ns}
          fdb-nexthops: false
        management:
          socket: {socket}
        logging:
          level: information
        """;

    public string ToYaml() => string.Create(CultureInfo.InvariantCulture, $"""
        router:
          asn: {Asn}
          local-vtep: {Address}
          listen-address: {Address}
          allow-loopback-vteps: true
          graceful-restart:
            on-stop: {OnStop}
        neighbors:
          - address: {PeerAddress}
            remote-as: {PeerAsn}
            source-address: {Address}
            description: {Name}-to-peer
            timers: {"{"}hold-time: 9, keepalive: 3, connect-retry: 1s{"}"}
            {(MaxPrefix is { } limit ? $"max-prefix: {{limit: {limit}}}" : string.Empty)}
        evpn:
          wildcard-import: true
          vnis: [{string.Join(", ", Vnis.Select(v => $"{"{"}vni: {v}{"}"}"))}]
        {TestServices(Address, SocketPath, MetricsPort, LogLevel)}
        {(MrtDump is null ? string.Empty : $"mrt-dump: {MrtDump}")}

        """);
}
