using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>An IPv4 or IPv6 prefix as carried in unicast NLRI (RFC 4271 section 4.3). The address keeps
/// the octets as received: bits beyond <see cref="Length"/> are not cleared, so a re-encode is exact.</summary>
public readonly record struct IpPrefix(IpAddr Address, byte Length)
{
    public static IpPrefix Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !IpAddr.TryParse(text[..slash], out var address) || !byte.TryParse(text[(slash + 1)..], out var length) || length > address.BitLength)
        {
            throw new FormatException($"'{text}' is not a prefix (expected ADDRESS/LENGTH)");
        }
        return new IpPrefix(address, length);
    }

    public override string ToString() => $"{Address}/{Length}";
}
