using System.Net;

namespace Evpn.Session.Tests.Interop;

/// <summary>A network namespace <c>evses-PID-N</c> joined to the root namespace by a veth pair with a /30
/// that exists only on that pair: the engine under test runs in the root namespace on one end, the real
/// peer (FRR, GoBGP) in the namespace on the other. Disposing removes the namespace (and with it the veth)
/// even when the test failed.</summary>
public sealed class PeerNamespace : IAsyncDisposable
{
    private static int _counter;

    private PeerNamespace(int n)
    {
        var pid = Environment.ProcessId;
        Name = $"evses-{pid}-{n}";
        RootLink = $"es{pid % 100000}r{n}";
        PeerLink = $"es{pid % 100000}p{n}";
        var third = (pid * 7 + n) % 250;
        RootAddress = IPAddress.Parse($"10.231.{third}.1");
        PeerAddress = IPAddress.Parse($"10.231.{third}.2");
        Directory = Path.Combine(Path.GetTempPath(), Name);
    }

    public string Name { get; }
    public string RootLink { get; }
    public string PeerLink { get; }
    public IPAddress RootAddress { get; }
    public IPAddress PeerAddress { get; }

    /// <summary>Config, logs and sockets of the daemons in this namespace.</summary>
    public string Directory { get; }

    public static async Task<PeerNamespace> CreateAsync()
    {
        var ns = new PeerNamespace(Interlocked.Increment(ref _counter));
        try
        {
            System.IO.Directory.CreateDirectory(ns.Directory);
            await Shell.Ip("netns", "add", ns.Name);
            await Shell.Ip("link", "add", ns.RootLink, "type", "veth", "peer", "name", ns.PeerLink, "netns", ns.Name);
            await Shell.Ip("addr", "add", $"{ns.RootAddress}/30", "dev", ns.RootLink);
            await Shell.Ip("link", "set", ns.RootLink, "up");
            await Shell.Ip("-n", ns.Name, "addr", "add", $"{ns.PeerAddress}/30", "dev", ns.PeerLink);
            await Shell.Ip("-n", ns.Name, "link", "set", ns.PeerLink, "up");
            await Shell.Ip("-n", ns.Name, "link", "set", "lo", "up");
            // A VXLAN VNI (100) in a bridge, so that FRR has something of its own to advertise.
            await Shell.Ip("-n", ns.Name, "link", "add", "br100", "type", "bridge");
            await Shell.Ip("-n", ns.Name, "link", "add", "vxlan100", "type", "vxlan", "id", "100", "local", ns.PeerAddress.ToString(),
                "dstport", "4789", "nolearning");
            await Shell.Ip("-n", ns.Name, "link", "set", "vxlan100", "master", "br100");
            await Shell.Ip("-n", ns.Name, "link", "set", "br100", "up");
            await Shell.Ip("-n", ns.Name, "link", "set", "vxlan100", "up");
            return ns;
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside the namespace.</summary>
    public Task<string> ExecAsync(string file, IEnumerable<string> args, double seconds = 20, bool allowFailure = false) =>
        Shell.RunAsync("ip", ["netns", "exec", Name, file, .. args], seconds, allowFailure);

    public async ValueTask DisposeAsync()
    {
        await Shell.RunAsync("ip", ["netns", "del", Name], allowFailure: true);
        await Shell.RunAsync("ip", ["link", "del", RootLink], allowFailure: true);
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
