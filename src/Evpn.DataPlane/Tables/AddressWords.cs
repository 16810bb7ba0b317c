using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tables;

/// <summary>An IP address as its two 64-bit words, without the family flag: <see cref="IpAddr"/> pads its
/// one-octet flag to 8, so a table entry that keeps the flag among its own saves those 8 octets.</summary>
internal readonly record struct AddressWords(ulong High, ulong Low)
{
    public static AddressWords Of(IpAddr address) =>
        address.IsV6 ? new((ulong)(address.V6Bits >> 64), (ulong)address.V6Bits) : new(0, address.V4Bits);

    public IpAddr ToAddress(bool isV6) => isV6 ? IpAddr.FromV6(new UInt128(High, Low)) : IpAddr.FromV4((uint)Low);
}
