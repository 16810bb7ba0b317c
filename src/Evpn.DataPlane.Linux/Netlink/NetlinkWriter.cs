using System.Buffers.Binary;

namespace Evpn.DataPlane.Linux.Netlink;

/// <summary>Builds netlink messages back to back in one growable buffer, so a whole batch goes out in
/// one sendmsg(2). Layout: struct nlmsghdr, a family header (ndmsg, ifinfomsg, ...), then 4-aligned
/// attributes (struct rtattr: u16 length, u16 type, payload).</summary>
internal sealed class NetlinkWriter
{
    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;

    public NetlinkWriter(int initialCapacity = 64 * 1024) => _buffer = new byte[initialCapacity];

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Written messages from <paramref name="start"/> to <paramref name="end"/>, writable: a batch is
    /// sent from where it was written, its flags and sequence numbers set just before each (re)send.</summary>
    public Span<byte> Messages(int start, int end) => _buffer.AsSpan(start, end - start);
    public int Length => _length;

    public void Clear()
    {
        _length = 0;
        _messageStart = -1;
    }

    public void BeginMessage(ushort type, ushort flags, uint sequence)
    {
        _messageStart = _length;
        var header = Reserve(Rtnl.NlMsgHdrLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        // nlmsg_len is set by EndMessage; nlmsg_pid 0 lets the kernel fill in our port.
    }

    public void EndMessage()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_messageStart), (uint)(_length - _messageStart));
        _messageStart = -1;
    }

    /// <summary>struct ndmsg: family, pad, pad, ifindex, state, flags, type.</summary>
    public void WriteNdMsg(byte family, int ifIndex, ushort state, byte flags)
    {
        var ndmsg = Reserve(Rtnl.NdMsgLength);
        ndmsg[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(ndmsg[4..], ifIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(ndmsg[8..], state);
        ndmsg[10] = flags;
    }

    /// <summary>struct ifinfomsg: family, pad, type, index, flags, change.</summary>
    public void WriteIfInfoMsg(byte family, int ifIndex)
    {
        var ifinfo = Reserve(Rtnl.IfInfoMsgLength);
        ifinfo[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(ifinfo[4..], ifIndex);
    }

    /// <summary>struct ifaddrmsg (for dump requests): family, prefixlen, flags, scope, index.</summary>
    public void WriteIfAddrMsg(byte family) => Reserve(Rtnl.IfAddrMsgLength)[0] = family;

    /// <summary>struct nhmsg: family, scope, protocol, reserved, flags.</summary>
    public void WriteNhMsg(byte family, byte protocol)
    {
        var nhmsg = Reserve(Rtnl.NhMsgLength);
        nhmsg[0] = family;
        nhmsg[2] = protocol;
    }

    public void WriteAttribute(ushort type, ReadOnlySpan<byte> payload)
    {
        var attribute = Reserve(Rtnl.Align(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        payload.CopyTo(attribute[4..]);
    }

    public void WriteAttributeU8(ushort type, byte value) => WriteAttribute(type, [value]);

    public void WriteAttributeU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    /// <summary>Starts a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        var header = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)(type | Rtnl.NLA_F_NESTED));
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
