namespace Evpn.Testing.EndToEnd;

/// <summary>The file of one evpnd under test (AS 65001, VNI 100, in-memory data plane) on its own loopback address,
/// for BGP and metrics, with its management socket in the test's folder. Blocks are given with their own
/// indentation: neighbors as <c>"  - address: ..."</c> lines, logging keys as <c>"  file: ..."</c>.</summary>
public static class SingleDaemonYaml
{
    public static string MetricsUrl(string address) => $"http://{address}:9181/metrics";

    public static string Build(string address, string socket, string neighbors, string logging = "", string topLevel = "") => $"""
        router:
          asn: 65001
          local-vtep: {address}
          listen-address: {address}
        neighbors:
        {neighbors}
        evpn:
          wildcard-import: true
          vnis: [{"{"}vni: 100{"}"}]
        {DaemonConfig.TestServices(address, socket)}
        {logging}
        {topLevel}

        """;
}
