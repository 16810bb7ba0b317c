using System.Buffers.Binary;

namespace Evpn.DataPlane.Linux.Netlink;

/// <summary>One netlink message inside a received datagram.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        Payload = payload;
    }

    public ushort Type { get; }
    public ushort Flags { get; }
    public uint Sequence { get; }

    /// <summary>What follows struct nlmsghdr, up to nlmsg_len.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For NLMSG_ERROR: the (negative) errno, 0 for an acknowledgement; the sequence number of the
    /// request it answers is in the embedded header, which is also <see cref="Sequence"/>. A message too short
    /// to hold the errno reads as EIO: the request's outcome is unknown, so it counts as failed.</summary>
    public int ErrorCode => Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(Payload) : -Errno.EIO;

    /// <summary>For NLMSG_ERROR with extended ack: the kernel's message text, if any.</summary>
    public string? ExtendedAckMessage()
    {
        if ((Flags & Rtnl.NLM_F_ACK_TLVS) == 0 || Payload.Length < 4 + Rtnl.NlMsgHdrLength)
        {
            return null;
        }
        // With NETLINK_CAP_ACK the original request is cut to its header, so the TLVs follow it; the
        // header's own nlmsg_len still says the full length, which is why it is not used here.
        foreach (var attribute in new AttributeReader(Payload[(4 + Rtnl.NlMsgHdrLength)..]))
        {
            if (attribute.Type == Rtnl.NLMSGERR_ATTR_MSG)
            {
                return System.Text.Encoding.UTF8.GetString(attribute.Payload.TrimEnd((byte)0));
            }
        }
        return null;
    }
}

/// <summary>Walks the messages of one datagram; stops at the first malformed length (no exception).</summary>
internal ref struct NetlinkReader
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkReader(ReadOnlySpan<byte> datagram)
    {
        _rest = datagram;
        Current = default;
    }

    public NetlinkMessage Current { get; private set; }

    public readonly NetlinkReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < Rtnl.NlMsgHdrLength)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < Rtnl.NlMsgHdrLength || length > _rest.Length)
        {
            _rest = default;
            return false;
        }
        Current = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            _rest[Rtnl.NlMsgHdrLength..(int)length]);
        var next = Rtnl.Align((int)length);
        _rest = next >= _rest.Length ? default : _rest[next..];
        return true;
    }
}

internal readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort type, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Payload = payload;
    }

    /// <summary>The attribute type without the nested/byte-order flag bits.</summary>
    public ushort Type { get; }
    public ReadOnlySpan<byte> Payload { get; }

    public byte U8 => Payload.Length >= 1 ? Payload[0] : (byte)0;
    public ushort U16BigEndian => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : (ushort)0;
    public uint U32 => Payload.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Payload) : 0;
    public string String => System.Text.Encoding.UTF8.GetString(Payload.TrimEnd((byte)0));
}

/// <summary>Walks struct rtattr entries; stops at the first malformed length.</summary>
internal ref struct AttributeReader
{
    private ReadOnlySpan<byte> _rest;

    public AttributeReader(ReadOnlySpan<byte> attributes)
    {
        _rest = attributes;
        Current = default;
    }

    public NetlinkAttribute Current { get; private set; }

    public readonly AttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < 4)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
        {
            _rest = default;
            return false;
        }
        var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & Rtnl.NLA_TYPE_MASK);
        Current = new NetlinkAttribute(type, _rest[4..length]);
        var next = Rtnl.Align(length);
        _rest = next >= _rest.Length ? default : _rest[next..];
        return true;
    }
}
