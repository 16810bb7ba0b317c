using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The neighbor entries installed for one MAC-VRF: each IP and the MAC it was installed for (an
/// IP can move between MACs). IPv4 and IPv6 are kept apart so that the common IPv4 entry is keyed by its
/// 4 octets: with one entry per remote MAC+IP route, a 16-octet key would cost 8 more octets a route.</summary>
internal sealed class NeighborTable
{
    private readonly Dictionary<uint, MacAddress> _v4 = new();
    private readonly Dictionary<UInt128, MacAddress> _v6 = new();

    public bool TryGetOwner(IpAddr ip, out MacAddress mac) =>
        ip.IsV4 ? _v4.TryGetValue(ip.V4Bits, out mac) : _v6.TryGetValue(ip.V6Bits, out mac);

    public void Set(IpAddr ip, MacAddress mac)
    {
        if (ip.IsV4)
        {
            _v4[ip.V4Bits] = mac;
        }
        else
        {
            _v6[ip.V6Bits] = mac;
        }
    }

    public void Remove(IpAddr ip)
    {
        if (ip.IsV4)
        {
            _v4.Remove(ip.V4Bits);
        }
        else
        {
            _v6.Remove(ip.V6Bits);
        }
    }
}
