using System.Net;

namespace Evpn.Session.Tests.Interop;

/// <summary>A network namespace <c>evses-PID-N</c> joined to the root namespace by a veth pair with a /30
/// that exists only on that pair: the engine under test runs in the root namespace on one end, the real
/// peer (FRR, GoBGP) in the namespace on the other. Disposing removes the namespace (and with it the veth)
/// even when the test failed.</summary>
public sealed class PeerNamespace : IAsyncDisposable
{
    private readonly NetworkNamespace _namespace;

    private PeerNamespace(NetworkNamespace ns)
    {
        _namespace = ns;
        var pid = Environment.ProcessId;
        var n = ns.Number;
        RootLink = $"es{pid % 100000}r{n}";
        PeerLink = $"es{pid % 100000}p{n}";
        var third = (pid * 7 + n) % 250;
        RootAddress = IPAddress.Parse($"10.231.{third}.1");
        PeerAddress = IPAddress.Parse($"10.231.{third}.2");
        Directory = Path.Combine(Path.GetTempPath(), Name);
    }

    public string Name => _namespace.Name;
    public string RootLink { get; }
    public string PeerLink { get; }
    public IPAddress RootAddress { get; }
    public IPAddress PeerAddress { get; }

    /// <summary>Config, logs and sockets of the daemons in this namespace.</summary>
    public string Directory { get; }

    public static async Task<PeerNamespace> CreateAsync()
    {
        var ns = new PeerNamespace(new NetworkNamespace("evses"));
        try
        {
            System.IO.Directory.CreateDirectory(ns.Directory);
            await Shell.RunAsync("ip", ["link", "add", ns.RootLink, "type", "veth", "peer", "name", ns.PeerLink, "netns", ns.Name]);
            await Shell.RunAsync("ip", ["addr", "add", $"{ns.RootAddress}/30", "dev", ns.RootLink]);
            await Shell.RunAsync("ip", ["link", "set", ns.RootLink, "up"]);
            ns._namespace.Ip("addr", "add", $"{ns.PeerAddress}/30", "dev", ns.PeerLink);
            ns._namespace.Ip("link", "set", ns.PeerLink, "up");
            // A VXLAN VNI (100) in a bridge, so that FRR has something of its own to advertise.
            ns._namespace.Ip("link", "add", "br100", "type", "bridge");
            ns._namespace.Ip("link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", ns.PeerAddress.ToString(), "dstport", "4789", "nolearning");
            ns._namespace.Ip("link", "set", "vxlan100", "master", "br100");
            ns._namespace.Ip("link", "set", "br100", "up");
            ns._namespace.Ip("link", "set", "vxlan100", "up");
            return ns;
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside the namespace: its standard output, or (with <paramref name="allowFailure"/>)
    /// everything it printed whatever its exit code.</summary>
    public async Task<string> ExecAsync(string file, IEnumerable<string> args, bool allowFailure = false)
    {
        var result = await _namespace.TryExecAsync(file, args);
        return allowFailure ? result.Output : result.EnsureSuccess();
    }

    public async ValueTask DisposeAsync()
    {
        _namespace.Dispose();
        await Shell.TryRunAsync("ip", ["link", "del", RootLink]);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in /tmp for a look at the logs; removed with the machine.
        }
    }
}
