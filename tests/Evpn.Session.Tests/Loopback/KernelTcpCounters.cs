using System.Globalization;

namespace Evpn.Session.Tests.Loopback;

/// <summary>The kernel's TcpExt counters of this network namespace (/proc/net/netstat): evidence that the kernel
/// dropped a segment for a reason a test provokes (a wrong MD5 signature, a TTL below the minimum), where the
/// speakers themselves see nothing but silence.</summary>
public static class KernelTcpCounters
{
    /// <summary>Segments dropped for a wrong TCP MD5 signature (RFC 2385).</summary>
    public const string Md5Failure = "TCPMD5Failure";

    /// <summary>Segments dropped for a TTL below the socket's IP_MINTTL (GTSM, RFC 5082).</summary>
    public const string MinTtlDrop = "TCPMinTTLDrop";

    /// <summary>The current value of TcpExt counter <paramref name="name"/>: a "TcpExt:" line names the columns,
    /// the next "TcpExt:" line holds the values.</summary>
    public static long Read(string name)
    {
        var lines = File.ReadAllLines("/proc/net/netstat")
            .Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        var column = lines.Length == 2 ? Array.IndexOf(lines[0], name) : -1;
        return column > 0
            ? long.Parse(lines[1][column], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"no TcpExt counter {name} in /proc/net/netstat");
    }
}
