using System.Buffers.Binary;

namespace Evpn.Wire.Model;

/// <summary>RFC 7432 section 5 Ethernet Segment Identifier: 10 octets (type octet + 9 value octets),
/// held as a ulong (first 8 octets) and a ushort (last 2).</summary>
public readonly record struct EthernetSegmentId(ulong High, ushort Low)
{
    public const int Length = 10;
    public static readonly EthernetSegmentId Zero = default;

    public bool IsZero => High == 0 && Low == 0;
    public byte Type => (byte)(High >> 56);

    public static EthernetSegmentId Read(ReadOnlySpan<byte> ten) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(ten), BinaryPrimitives.ReadUInt16BigEndian(ten[8..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], Low);
    }

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[Length];
        Write(b);
        return string.Join(':', b.ToArray().Select(x => x.ToString("x2")));
    }
}
