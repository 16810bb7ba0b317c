namespace Evpn.DataPlane.Linux.Tests;

/// <summary>A host behind a local bridge port: its own namespace, a veth pair whose other end is a port of
/// the VTEP's bridge. Removed on dispose.</summary>
public sealed class HostNamespace : IDisposable
{
    public HostNamespace(VtepNamespace vtep, uint vni, string port, string mac, string address)
    {
        Name = vtep.Name + "-h" + port;
        Port = port;
        Shell.Run("ip", "netns", "add", Name);
        try
        {
            Shell.Ip(vtep.Name, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", Name);
            Shell.Ip(Name, "link", "set", "eth0", "address", mac);
            Shell.Ip(Name, "addr", "add", address + "/16", "dev", "eth0");
            Shell.Ip(Name, "link", "set", "eth0", "up");
            Shell.Ip(vtep.Name, "link", "set", port, "master", VtepNamespace.BridgeOf(vni));
            Shell.Ip(vtep.Name, "link", "set", port, "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }
    public string Port { get; }

    /// <summary>Sends traffic to <paramref name="target"/>: one ICMP echo (the answer does not matter;
    /// the frames teach the bridge the host's MAC and the SVI its ARP entry).</summary>
    public void Ping(string target) => Shell.TryRun("ip", "netns", "exec", Name, "ping", "-c", "1", "-W", "2", target);

    public void Dispose() => Shell.TryRun("ip", "netns", "del", Name);
}
