namespace Evpn.Wire;

/// <summary>Path attribute type codes the codec interprets (IANA BGP Path Attributes registry).</summary>
public static class AttributeType
{
    public const byte Origin = 1;
    public const byte AsPath = 2;
    public const byte NextHop = 3;
    public const byte MultiExitDisc = 4;
    public const byte LocalPref = 5;
    public const byte AtomicAggregate = 6;
    public const byte Aggregator = 7;
    public const byte Communities = 8;
    public const byte OriginatorId = 9;
    public const byte ClusterList = 10;
    public const byte MpReachNlri = 14;
    public const byte MpUnreachNlri = 15;
    public const byte ExtendedCommunities = 16;
    public const byte As4Path = 17;
    public const byte As4Aggregator = 18;
    public const byte PmsiTunnel = 22;
    public const byte TunnelEncapsulation = 23;
    public const byte Ipv6AddressSpecificExtendedCommunities = 25;
    public const byte LargeCommunities = 32;
    public const byte PrefixSid = 40;
}

/// <summary>Attribute flag bits, RFC 4271 section 4.3.</summary>
public static class AttributeFlags
{
    public const byte Optional = 0x80;
    public const byte Transitive = 0x40;
    public const byte Partial = 0x20;
    public const byte ExtendedLength = 0x10;
}

/// <summary>How one attribute appeared on the wire: its flags octet and type code, in message order.
/// The encoder follows it so that a received UPDATE re-encodes byte for byte (attribute order and the
/// extended-length bit differ between implementations).</summary>
public readonly record struct AttributeHeader(byte Flags, byte TypeCode);
