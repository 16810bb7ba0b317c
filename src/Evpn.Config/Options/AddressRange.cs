using System.Globalization;

namespace Evpn.Config.Options;

/// <summary>An address prefix such as 10.0.0.0/24, used for neighbor listen ranges. The address is kept
/// with its host bits cleared.</summary>
public readonly record struct AddressRange
{
    public AddressRange(IpAddr address, int length)
    {
        if (length < 0 || length > address.BitLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"a prefix length is 0..{address.BitLength}");
        }
        Address = Mask(address, length);
        Length = length;
    }

    public IpAddr Address { get; }
    public int Length { get; }

    public bool Contains(IpAddr address) => address.IsV6 == Address.IsV6 && Mask(address, Length) == Address;

    /// <summary>True when the two prefixes share at least one address.</summary>
    public bool Overlaps(AddressRange other) =>
        other.Address.IsV6 == Address.IsV6 && (Contains(other.Address) || other.Contains(Address));

    /// <summary>Parses "A.B.C.D/N" or "X:Y::/N". Host bits must be zero: "10.0.0.1/24" is almost always a typo.</summary>
    public static bool TryParse(string text, out AddressRange prefix)
    {
        prefix = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !IpAddr.TryParse(text[..slash], out var address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > address.BitLength
            || Mask(address, length) != address)
        {
            return false;
        }
        prefix = new AddressRange(address, length);
        return true;
    }

    private static IpAddr Mask(IpAddr address, int length)
    {
        if (address.IsV6)
        {
            var mask = length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);
            return IpAddr.FromV6(address.V6Bits & mask);
        }
        var mask4 = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return IpAddr.FromV4(address.V4Bits & mask4);
    }

    public override string ToString() => $"{Address}/{Length}";
}
