using Evpn.Wire.Model;

namespace Evpn.DataPlane;

// The packed forms the owned-entry table keeps per installed entry, one per remote MAC (and MAC+IP) of the
// whole table: each holds what its key does not, in fewer octets than the entry it stands for.

/// <summary>Where an owned FDB entry points, the value of the table keyed by (VNI, MAC): 24 octets (the VTEP's
/// words and two flags) where an <see cref="FdbEntry"/> is 40 and repeats the key.</summary>
internal readonly struct FdbTarget
{
    private readonly AddressWords _vtep;
    private readonly bool _isV6;
    private readonly bool _sticky;

    public FdbTarget(FdbEntry entry)
    {
        _vtep = AddressWords.Of(entry.Vtep);
        _isV6 = entry.Vtep.IsV6;
        _sticky = entry.Sticky;
    }

    public FdbEntry ToEntry(uint vni, MacAddress mac) => new(vni, mac, _vtep.ToAddress(_isV6), _sticky);
}

/// <summary>The key of the owned neighbor table, (VNI, IP): 24 octets where <c>(uint, IpAddr)</c> takes 32.</summary>
internal readonly record struct NeighborKey(AddressWords Ip, uint Vni, bool IsV6)
{
    public static NeighborKey Of(uint vni, IpAddr ip) => new(AddressWords.Of(ip), vni, ip.IsV6);

    public NeighborEntry ToEntry(MacAddress mac) => new(Vni, Ip.ToAddress(IsV6), mac);
}
