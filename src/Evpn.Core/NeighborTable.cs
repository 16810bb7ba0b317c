using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The neighbor entries installed for one MAC-VRF: each IP and the MAC it was installed for (an
/// IP can move between MACs). There is one per remote MAC+IP route, so the common IPv4 entry is kept in
/// <see cref="V4Owners"/>, 12 octets a slot; IPv6 entries, rarer, in a dictionary made on first use.</summary>
internal sealed class NeighborTable
{
    private readonly V4Owners _v4 = new();
    private Dictionary<UInt128, MacAddress>? _v6;

    public bool TryGetOwner(IpAddr ip, out MacAddress mac)
    {
        if (ip.IsV4)
        {
            return _v4.TryGet(ip.V4Bits, out mac);
        }
        mac = default;
        return _v6 is not null && _v6.TryGetValue(ip.V6Bits, out mac);
    }

    public void Set(IpAddr ip, MacAddress mac)
    {
        if (ip.IsV4)
        {
            _v4.Set(ip.V4Bits, mac);
        }
        else
        {
            (_v6 ??= new())[ip.V6Bits] = mac;
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
            _v6?.Remove(ip.V6Bits);
        }
    }
}
