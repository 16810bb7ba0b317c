using System.Buffers.Binary;
using System.Globalization;

namespace Evpn.Wire.Model;

/// <summary>A 48-bit IEEE MAC address held in the low 48 bits of a ulong, so that it compares,
/// hashes and copies as one machine word.</summary>
public readonly record struct MacAddress(ulong Value) : IComparable<MacAddress>
{
    public const int Length = 6;
    public static readonly MacAddress Zero = new(0);

    public static MacAddress Read(ReadOnlySpan<byte> six) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(six) << 32) | BinaryPrimitives.ReadUInt32BigEndian(six[2..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    public bool IsZero => Value == 0;

    /// <summary>Bit 0 of the first octet: group (multicast/broadcast) address.</summary>
    public bool IsMulticast => ((Value >> 40) & 1) != 0;

    public static bool TryParse(string text, out MacAddress mac)
    {
        mac = Zero;
        var parts = text.Split(':', '-');
        if (parts.Length != 6)
        {
            return false;
        }
        ulong value = 0;
        foreach (var part in parts)
        {
            // AllowHexSpecifier alone: HexNumber also takes blanks around the digits (" 4" read as 04).
            if (part.Length is < 1 or > 2 || !byte.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }
            value = (value << 8) | b;
        }
        mac = new MacAddress(value);
        return true;
    }

    public static MacAddress Parse(string text) =>
        TryParse(text, out var mac) ? mac : throw new FormatException($"'{text}' is not a MAC address (expected six hex octets like 52:54:00:12:34:56)");

    public int CompareTo(MacAddress other) => Value.CompareTo(other.Value);

    public override string ToString() => string.Create(17, Value, static (span, v) =>
    {
        for (var i = 0; i < 6; i++)
        {
            var b = (byte)(v >> (40 - 8 * i));
            span[i * 3] = HexDigit(b >> 4);
            span[i * 3 + 1] = HexDigit(b & 0xF);
            if (i < 5)
            {
                span[i * 3 + 2] = ':';
            }
        }
    });

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
