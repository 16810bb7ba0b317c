using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Evpn.Wire.Model;

/// <summary>An IPv4 or IPv6 address as a value type. The codec decodes millions of addresses per
/// second; <see cref="IPAddress"/> is a class and would cost an allocation each.</summary>
/// <remarks>Held as two ulongs and a flag rather than a <see cref="UInt128"/>: UInt128 is 16-octet aligned,
/// which made this struct 32 octets (48 as <c>IpAddr?</c>) where 24 hold it. The RIB keeps one or two per route.</remarks>
public readonly record struct IpAddr : IComparable<IpAddr>
{
    private readonly ulong _high;
    private readonly ulong _low;

    private IpAddr(ulong high, ulong low, bool isV6)
    {
        _high = high;
        _low = low;
        IsV6 = isV6;
    }

    public bool IsV6 { get; }
    public bool IsV4 => !IsV6;

    /// <summary>Address length in bits: 32 or 128.</summary>
    public int BitLength => IsV6 ? 128 : 32;
    public int ByteLength => IsV6 ? 16 : 4;

    public uint V4Bits => IsV6 ? throw new InvalidOperationException("not an IPv4 address") : (uint)_low;
    public UInt128 V6Bits => IsV6 ? new UInt128(_high, _low) : throw new InvalidOperationException("not an IPv6 address");

    /// <summary>The raw halves (IPv4 in the low 32 bits), for types that store an address flattened.</summary>
    internal ulong High => _high;
    internal ulong Low => _low;
    internal static IpAddr FromParts(ulong high, ulong low, bool isV6) => new(high, low, isV6);

    public static IpAddr FromV4(uint bits) => new(0, bits, false);
    public static IpAddr FromV6(UInt128 bits) => new((ulong)(bits >> 64), (ulong)bits, true);

    /// <summary>Reads 4 or 16 octets in network order.</summary>
    public static IpAddr Read(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => FromV4(BinaryPrimitives.ReadUInt32BigEndian(bytes)),
        16 => new IpAddr(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), true),
        _ => throw new ArgumentException("an IP address is 4 or 16 octets", nameof(bytes)),
    };

    public void Write(Span<byte> destination)
    {
        if (IsV6)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
            BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_low);
        }
    }

    public static IpAddr FromIPAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return Read(bytes[..written]);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        Write(bytes);
        return new IPAddress(bytes[..ByteLength]);
    }

    /// <summary>An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>, RFC 4291 section 2.5.5.2) as the IPv4
    /// address it stands for; any other address as it is. Peers may encode an IPv4 VTEP so in 16 octets.</summary>
    public IpAddr Unmapped => IsV6 && _high == 0 && (_low >> 32) == 0xffff ? FromV4((uint)_low) : this;

    public AddressFamily Family => IsV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <summary>Reads an address without a zone: see <see cref="TryParse(ReadOnlySpan{char}, out IpAddr, out uint)"/>.</summary>
    public static bool TryParse(string text, out IpAddr address) =>
        TryParse(text, out address, out var zone) && zone is null;

    /// <summary>The one reader of addresses as text (configuration, management queries, evpnctl arguments).
    /// IPv4 only as four decimal octets without leading zeros: <see cref="IPAddress.TryParse(string, out IPAddress)"/>
    /// follows inet_aton, which reads <c>010.0.0.1</c> as 8.0.0.1 and <c>10.1</c> as 10.0.0.1, so an operator's
    /// typo would select another address. IPv6 as RFC 4291 section 2.2 writes it, without brackets, and an optional
    /// numeric zone (<c>fe80::1%3</c>, RFC 4007 section 11.2): an interface name would be resolved on this host.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpAddr address, out uint? zone)
    {
        address = default;
        zone = null;
        if (!text.Contains(':'))
        {
            if (!TryParseDottedQuad(text, out var bits))
            {
                return false;
            }
            address = FromV4(bits);
            return true;
        }
        var percent = text.IndexOf('%');
        if (percent >= 0)
        {
            if (!uint.TryParse(text[(percent + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return false;
            }
            zone = index;
            text = text[..percent];
        }
        if (text.ContainsAnyExcept(Ipv6TextChars) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }
        address = FromIPAddress(parsed);
        return true;
    }

    private static readonly SearchValues<char> Ipv6TextChars = SearchValues.Create("0123456789abcdefABCDEF:.");

    private static bool TryParseDottedQuad(ReadOnlySpan<char> text, out uint bits)
    {
        bits = 0;
        for (var octet = 0; octet < 4; octet++)
        {
            var end = octet < 3 ? text.IndexOf('.') : text.Length;
            if (end < 0)
            {
                return false;
            }
            var part = text[..end];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            bits = (bits << 8) | value;
            text = octet < 3 ? text[(end + 1)..] : default;
        }
        return true;
    }

    public static IpAddr Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not an IPv4 or IPv6 address");

    /// <summary>IPv4 sorts before IPv6; within a family, numeric order (RFC 7432 tie-breaks on the lower IP).</summary>
    public int CompareTo(IpAddr other) =>
        IsV6 != other.IsV6 ? IsV6.CompareTo(other.IsV6)
        : _high != other._high ? _high.CompareTo(other._high)
        : _low.CompareTo(other._low);

    public override string ToString() => ToIPAddress().ToString();
}
