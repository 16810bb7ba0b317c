using System.Buffers.Binary;
using System.Globalization;

namespace Evpn.Wire.Model;

/// <summary>RFC 4364 section 4.2 route distinguisher: 2-octet type + 6-octet value, kept as the
/// 8 raw octets in one ulong.</summary>
/// <remarks>
///   Type 0: 2-octet ASN : 4-octet number. Type 1: IPv4 address : 2-octet number (EVPN auto RD,
///   RFC 7432 section 7.9). Type 2: 4-octet ASN : 2-octet number. Never parse a VNI out of an RD.
/// </remarks>
public readonly record struct RouteDistinguisher(ulong Raw) : IComparable<RouteDistinguisher>
{
    public const int Length = 8;

    public ushort Type => (ushort)(Raw >> 48);

    public static RouteDistinguisher Read(ReadOnlySpan<byte> eight) => new(BinaryPrimitives.ReadUInt64BigEndian(eight));
    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Raw);

    public static RouteDistinguisher FromAs2(ushort asn, uint number) => new(((ulong)asn << 32) | number);
    public static RouteDistinguisher FromIPv4(uint address, ushort number) => new((1UL << 48) | ((ulong)address << 16) | number);
    public static RouteDistinguisher FromAs4(uint asn, ushort number) => new((2UL << 48) | ((ulong)asn << 16) | number);

    /// <summary>Parses "ASN:NN" (type 0, or type 2 when the ASN exceeds 65535) or "A.B.C.D:NN" (type 1).</summary>
    public static bool TryParse(string text, out RouteDistinguisher rd)
    {
        rd = default;
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var left = text[..colon];
        var right = text[(colon + 1)..];
        if (left.Contains('.'))
        {
            if (!IpAddr.TryParse(left, out var ip) || !ip.IsV4
                || !ushort.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var n16))
            {
                return false;
            }
            rd = FromIPv4(ip.V4Bits, n16);
            return true;
        }
        if (!uint.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
        {
            return false;
        }
        if (asn <= ushort.MaxValue && uint.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var n32))
        {
            rd = FromAs2((ushort)asn, n32);
            return true;
        }
        if (ushort.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            rd = FromAs4(asn, n);
            return true;
        }
        return false;
    }

    public static RouteDistinguisher Parse(string text) =>
        TryParse(text, out var rd) ? rd : throw new FormatException($"'{text}' is not a route distinguisher (expected ASN:NN or A.B.C.D:NN)");

    public int CompareTo(RouteDistinguisher other) => Raw.CompareTo(other.Raw);

    public override string ToString() => Type switch
    {
        0 => $"{(ushort)(Raw >> 32)}:{(uint)Raw}",
        1 => $"{IpAddr.FromV4((uint)(Raw >> 16))}:{(ushort)Raw}",
        2 => $"{(uint)(Raw >> 16)}:{(ushort)Raw}",
        _ => $"type{Type}:{Raw & 0xFFFF_FFFF_FFFF:x12}",
    };
}
