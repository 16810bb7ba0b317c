using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Evpn.Wire.Model;

/// <summary>An IPv4 or IPv6 address as a value type. The codec decodes millions of addresses per
/// second; <see cref="IPAddress"/> is a class and would cost an allocation each.</summary>
public readonly record struct IpAddr : IComparable<IpAddr>
{
    private readonly UInt128 _bits;

    private IpAddr(UInt128 bits, bool isV6)
    {
        _bits = bits;
        IsV6 = isV6;
    }

    public bool IsV6 { get; }
    public bool IsV4 => !IsV6;

    /// <summary>Address length in bits: 32 or 128.</summary>
    public int BitLength => IsV6 ? 128 : 32;
    public int ByteLength => IsV6 ? 16 : 4;

    public uint V4Bits => IsV6 ? throw new InvalidOperationException("not an IPv4 address") : (uint)_bits;
    public UInt128 V6Bits => IsV6 ? _bits : throw new InvalidOperationException("not an IPv6 address");

    public static IpAddr FromV4(uint bits) => new(bits, false);
    public static IpAddr FromV6(UInt128 bits) => new(bits, true);

    /// <summary>Reads 4 or 16 octets in network order.</summary>
    public static IpAddr Read(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => FromV4(BinaryPrimitives.ReadUInt32BigEndian(bytes)),
        16 => FromV6(BinaryPrimitives.ReadUInt128BigEndian(bytes)),
        _ => throw new ArgumentException("an IP address is 4 or 16 octets", nameof(bytes)),
    };

    public void Write(Span<byte> destination)
    {
        if (IsV6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, _bits);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_bits);
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

    public AddressFamily Family => IsV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    public static bool TryParse(string text, out IpAddr address)
    {
        if (IPAddress.TryParse(text, out var parsed))
        {
            address = FromIPAddress(parsed);
            return true;
        }
        address = default;
        return false;
    }

    public static IpAddr Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not an IPv4 or IPv6 address");

    /// <summary>IPv4 sorts before IPv6; within a family, numeric order (RFC 7432 tie-breaks on the lower IP).</summary>
    public int CompareTo(IpAddr other) =>
        IsV6 != other.IsV6 ? IsV6.CompareTo(other.IsV6) : _bits.CompareTo(other._bits);

    public override string ToString() => ToIPAddress().ToString();
}
