using System.Buffers.Binary;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>IPv4/IPv6 unicast NLRI, RFC 4271 section 4.3 and RFC 4760 section 5:
/// | Length in bits (1) | Prefix (ceil(Length / 8) octets) |, preceded by a 4-octet path identifier
/// with add-path (RFC 7911 section 3).</summary>
internal static class PrefixNlriCodec
{
    /// <summary>Decodes a whole NLRI or Withdrawn Routes field. Returns null on success or the reason the
    /// field is malformed (RFC 7606 section 5.3: it cannot be parsed any further).</summary>
    public static string? DecodeAll(ReadOnlySpan<byte> data, bool v6, bool addPath, ref NlriListBuilder prefixes)
    {
        var maxBits = v6 ? 128 : 32;
        Span<byte> address = stackalloc byte[16];
        var offset = 0;
        while (offset < data.Length)
        {
            uint pathId = 0;
            if (addPath)
            {
                if (data.Length - offset < 4)
                {
                    return "prefix truncated inside its path identifier";
                }
                pathId = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
                offset += 4;
            }
            if (offset >= data.Length)
            {
                return "prefix truncated before its length";
            }
            var bits = data[offset++];
            if (bits > maxBits)
            {
                return $"prefix length /{bits} exceeds /{maxBits}";
            }
            var octets = (bits + 7) / 8;
            if (octets > data.Length - offset)
            {
                return $"prefix /{bits} needs {octets} octets, {data.Length - offset} left";
            }
            address.Clear();
            data.Slice(offset, octets).CopyTo(address);
            offset += octets;
            var ip = IpAddr.Read(address[..(v6 ? 16 : 4)]);
            prefixes.Add(Nlri.ForPrefix(new IpPrefix(ip, bits), pathId));
        }
        return null;
    }

    public static int EncodedLength(IpPrefix prefix, bool addPath) => (addPath ? 4 : 0) + 1 + (prefix.Length + 7) / 8;

    public static void Write(ref WireWriter w, in Nlri nlri, bool v6, bool addPath)
    {
        var prefix = nlri.Prefix;
        if (prefix.Address.IsV6 != v6 || prefix.Length > prefix.Address.BitLength)
        {
            throw new ArgumentException($"{prefix} is not a valid {(v6 ? "IPv6" : "IPv4")} prefix", nameof(nlri));
        }
        if (addPath)
        {
            w.WriteUInt32(nlri.PathId);
        }
        w.WriteByte(prefix.Length);
        Span<byte> address = stackalloc byte[16];
        prefix.Address.Write(address);
        w.Write(address[..((prefix.Length + 7) / 8)]);
    }
}
