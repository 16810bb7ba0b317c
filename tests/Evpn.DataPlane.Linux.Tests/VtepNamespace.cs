namespace Evpn.DataPlane.Linux.Tests;

/// <summary>A network namespace with a VTEP's devices: per VNI a bridge brVNI (also the SVI, with an
/// address) and a VXLAN device vxVNI enslaved to it, both up. Removed on dispose, even after a failure.</summary>
public sealed class VtepNamespace : IDisposable
{
    private readonly NetworkNamespace _namespace = new("evdp");

    public VtepNamespace(params uint[] vnis)
        : this("10.0.0.1", vnis)
    {
    }

    /// <param name="localVtep">The VXLAN devices' `local` address: IPv4 or IPv6 (an IPv6 underlay).</param>
    public VtepNamespace(string localVtep, params uint[] vnis)
    {
        LocalVtep = localVtep;
        try
        {
            foreach (var vni in vnis)
            {
                AddVni(vni);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name => _namespace.Name;

    /// <summary>The VXLAN devices' local address.</summary>
    public string LocalVtep { get; }

    public static string BridgeOf(uint vni) => $"br{vni}";
    public static string VxlanOf(uint vni) => $"vx{vni}";

    /// <param name="vxlanOptions">More `ip link add ... type vxlan` options, e.g. "maxaddress", "100".</param>
    public void AddVni(uint vni, bool up = true, params string[] vxlanOptions)
    {
        Shell.Ip(Name, "link", "add", BridgeOf(vni), "type", "bridge");
        Shell.Ip(Name, ["link", "add", VxlanOf(vni), "type", "vxlan", "id", vni.ToString(), "local", LocalVtep, "dstport", "4789", "nolearning", .. vxlanOptions]);
        Shell.Ip(Name, "link", "set", VxlanOf(vni), "master", BridgeOf(vni));
        Shell.Ip(Name, "addr", "add", SviAddressOf(vni) + "/16", "dev", BridgeOf(vni));
        if (up)
        {
            Shell.Ip(Name, "link", "set", VxlanOf(vni), "up");
            Shell.Ip(Name, "link", "set", BridgeOf(vni), "up");
        }
    }

    /// <summary>The SVI address of <paramref name="vni"/>'s bridge: 10.(vni mod 250).0.1/16.</summary>
    public static string SviAddressOf(uint vni) => $"10.{vni % 250}.0.1";

    /// <summary>Adds a host: a namespace of its own linked by a veth pair to the bridge of <paramref name="vni"/>,
    /// with <paramref name="mac"/> and <paramref name="address"/> (in the SVI's /16).</summary>
    public HostNamespace AddHost(uint vni, string port, string mac, string address) => new(this, vni, port, mac, address);

    public LinuxDataPlaneOptions Options => new() { NetworkNamespace = Name };

    public void Dispose() => _namespace.Dispose();
}
