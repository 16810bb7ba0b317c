using System.Buffers.Binary;

namespace Evpn.Wire.Tests;

/// <summary>Builds BGP messages byte by byte for tests, with the lengths filled in.</summary>
public static class Bytes
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A path attribute; the extended-length form when <paramref name="flags"/> has 0x10.</summary>
    public static byte[] Attribute(byte flags, byte type, byte[] value)
    {
        var extended = (flags & 0x10) != 0;
        var header = extended
            ? new byte[] { flags, type, (byte)(value.Length >> 8), (byte)value.Length }
            : new byte[] { flags, type, (byte)value.Length };
        return Concat(header, value);
    }

    public static byte[] Attribute(byte flags, byte type, string valueHex) => Attribute(flags, type, Hex(valueHex));

    /// <summary>An UPDATE with the given fields; the length fields are computed.</summary>
    public static byte[] Update(byte[] withdrawn, byte[] attributes, byte[] nlri)
    {
        var body = Concat(U16(withdrawn.Length), withdrawn, U16(attributes.Length), attributes, nlri);
        return Message(2, body);
    }

    public static byte[] Update(byte[] attributes, byte[]? nlri = null) => Update([], attributes, nlri ?? []);

    public static byte[] Message(byte type, byte[] body)
    {
        var header = new byte[19];
        header.AsSpan(0, 16).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16), (ushort)(19 + body.Length));
        header[18] = type;
        return Concat(header, body);
    }

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    // Well-formed pieces.
    public static readonly byte[] OriginAttribute = Attribute(0x40, 1, "00");
    public static readonly byte[] AsPathAttribute = Attribute(0x40, 2, "02 01 0000fdea");
    public static readonly byte[] NextHopAttribute = Attribute(0x40, 3, "0a000001");
    public static readonly byte[] VxlanRt = Attribute(0xC0, 16, "030c000000000008 0002fde900000064");

    /// <summary>An EVPN route: type, length, body.</summary>
    public static byte[] Route(byte type, string bodyHex)
    {
        var body = Hex(bodyHex);
        return Concat([type, (byte)body.Length], body);
    }

    public const string Rd = "0001010101010002";
    public const string Esi0 = "00000000000000000000";

    /// <summary>Type-2 body: RD, ESI, tag, MAC length, MAC, IP length, IP, labels.</summary>
    public static string Type2(string macBits = "30", string ipBits = "00", string ip = "", string labels = "000064") =>
        $"{Rd} {Esi0} 00000000 {macBits} aabbcc000001 {ipBits} {ip} {labels}";

    /// <summary>MP_REACH_NLRI for L2VPN/EVPN with IPv4 next hop 10.0.0.1.</summary>
    public static byte[] MpReachEvpn(params byte[][] routes) =>
        Attribute(0x90, 14, Concat(Hex("0019 46 04 0a000001 00"), Concat(routes)));

    public static byte[] MpUnreachEvpn(params byte[][] routes) =>
        Attribute(0x90, 15, Concat(Hex("0019 46"), Concat(routes)));

    /// <summary>ORIGIN, AS_PATH and the VXLAN/RT communities: what an EVPN announcement needs besides MP_REACH.</summary>
    public static byte[] EvpnAttributes => Concat(OriginAttribute, AsPathAttribute, VxlanRt);
}
