using System.Buffers.Binary;

namespace Evpn.Wire;

/// <summary>Sequential big-endian writes into a span with a hard limit (the negotiated maximum message
/// length), and back-patching of length fields written before the data they measure.</summary>
internal ref struct WireWriter
{
    private readonly Span<byte> _buffer;
    private readonly int _limit;

    public WireWriter(Span<byte> buffer, int limit)
    {
        _buffer = buffer;
        _limit = Math.Min(limit, buffer.Length);
        Position = 0;
    }

    public int Position { get; private set; }

    public Span<byte> Take(int count)
    {
        if (count > _limit - Position)
        {
            throw new InvalidOperationException($"the message does not fit in {_limit} octets (the negotiated maximum message length)");
        }
        var span = _buffer.Slice(Position, count);
        Position += count;
        return span;
    }

    public void WriteByte(byte value) => Take(1)[0] = value;
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

    public void WriteUInt24(uint value)
    {
        var span = Take(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);
    public void Write(scoped ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    /// <summary>Forgets what was written from <paramref name="position"/> on.</summary>
    public void Rewind(int position) => Position = position;

    public readonly void PatchByte(int position, byte value) => _buffer[position] = value;
    public readonly void PatchUInt16(int position, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[position..], value);

    /// <summary>Moves the bytes written since <paramref name="from"/> one octet further on (to widen a
    /// 1-octet length field into 2 octets after the fact).</summary>
    public void ShiftRightByOne(int from)
    {
        var length = Position - from;
        Take(1);
        _buffer.Slice(from, length).CopyTo(_buffer[(from + 1)..]);
    }
}
