using System.Globalization;

namespace Evpn.Interop.Tests.Harness;

/// <summary>The kernel's protocol counters of a node's network namespace (/proc/net/snmp, /proc/net/netstat: each
/// section is a line of names followed by a line of values, both starting with the section, e.g. "TcpExt:").</summary>
public static class KernelCounters
{
    /// <summary>ICMP echo requests received (Icmp InEchos).</summary>
    public static Task<long> InEchosAsync(Lab lab, string run, string node) => ReadAsync(lab, run, node, "/proc/net/snmp", "Icmp", "InEchos");

    /// <summary>One TcpExt counter: TCPMD5Failure (a segment signed with another key), TCPMD5NotFound (signed, no key
    /// here), TCPMD5Unexpected (a key here, the segment unsigned), TCPMinTTLDrop (below IP_MINTTL/IPV6_MINHOPCOUNT).</summary>
    public static Task<long> TcpExtAsync(Lab lab, string run, string node, string name) => ReadAsync(lab, run, node, "/proc/net/netstat", "TcpExt", name);

    private static async Task<long> ReadAsync(Lab lab, string run, string node, string file, string section, string name)
    {
        var lines = (await lab.ExecAsync(run, node, "grep", $"^{section}:", file)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith(section + ":", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        Assert.True(lines.Length >= 2, $"{node}: no {section} counters in {file}");
        var column = Array.IndexOf(lines[0], name);
        Assert.True(column > 0, $"{node}: the kernel has no {section} counter {name}");
        return long.Parse(lines[1][column], CultureInfo.InvariantCulture);
    }
}
