using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Capabilities, RFC 5492 section 4: | Capability Code (1) | Capability Length (1) | Value |.
/// A known capability whose value does not parse is kept as an <see cref="UnknownCapability"/>: it is then
/// shown and re-encoded as received, and simply not used.</summary>
internal static class CapabilityCodec
{
    public static Capability Decode(byte code, ReadOnlySpan<byte> v) =>
        TryDecodeKnown(code, v) ?? new UnknownCapability(code, v.ToArray());

    private static Capability? TryDecodeKnown(byte code, ReadOnlySpan<byte> v)
    {
        switch (code)
        {
            case CapabilityCode.Multiprotocol when v.Length == 4:
                // RFC 4760 section 8: | AFI (2) | Reserved (1) | SAFI (1) |
                return new MultiprotocolCapability(new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(v), (Safi)v[3]));
            case CapabilityCode.RouteRefresh when v.IsEmpty:
                return new RouteRefreshCapability();
            case CapabilityCode.EnhancedRouteRefresh when v.IsEmpty:
                return new EnhancedRouteRefreshCapability();
            case CapabilityCode.ExtendedMessage when v.IsEmpty:
                return new ExtendedMessageCapability();
            case CapabilityCode.FourOctetAs when v.Length == 4:
                return new FourOctetAsCapability(BinaryPrimitives.ReadUInt32BigEndian(v));
            case CapabilityCode.GracefulRestart when v.Length >= 2 && (v.Length - 2) % 4 == 0:
            {
                var families = ImmutableArray.CreateBuilder<GracefulRestartFamily>((v.Length - 2) / 4);
                for (var i = 2; i < v.Length; i += 4)
                {
                    families.Add(new GracefulRestartFamily(ReadFamily(v[i..]), v[i + 3]));
                }
                return new GracefulRestartCapability((byte)(v[0] >> 4), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(v) & 0xFFF), families.MoveToImmutable());
            }
            case CapabilityCode.LongLivedGracefulRestart when v.Length % 7 == 0:
            {
                var families = ImmutableArray.CreateBuilder<LongLivedGracefulRestartFamily>(v.Length / 7);
                for (var i = 0; i < v.Length; i += 7)
                {
                    families.Add(new LongLivedGracefulRestartFamily(ReadFamily(v[i..]), v[i + 3], ((uint)v[i + 4] << 16) | ((uint)v[i + 5] << 8) | v[i + 6]));
                }
                return new LongLivedGracefulRestartCapability(families.MoveToImmutable());
            }
            case CapabilityCode.AddPath when v.Length % 4 == 0:
            {
                var families = ImmutableArray.CreateBuilder<AddPathFamily>(v.Length / 4);
                for (var i = 0; i < v.Length; i += 4)
                {
                    if (v[i + 3] is < 1 or > 3)
                    {
                        return null;
                    }
                    families.Add(new AddPathFamily(ReadFamily(v[i..]), (AddPathDirection)v[i + 3]));
                }
                return new AddPathCapability(families.MoveToImmutable());
            }
            case CapabilityCode.Fqdn when v.Length >= 2 && v[0] + 2 <= v.Length && v[0] + 2 + v[v[0] + 1] == v.Length:
                return new FqdnCapability(Encoding.UTF8.GetString(v.Slice(1, v[0])), Encoding.UTF8.GetString(v[(v[0] + 2)..]));
            case CapabilityCode.SoftwareVersion when v.Length >= 1 && v[0] + 1 == v.Length:
                return new SoftwareVersionCapability(Encoding.UTF8.GetString(v[1..]));
            default:
                return null;
        }
    }

    /// <summary>AFI (2) and SAFI (1), as the GR, LLGR and add-path capabilities lay them out.</summary>
    private static AfiSafi ReadFamily(ReadOnlySpan<byte> b) => new((Afi)BinaryPrimitives.ReadUInt16BigEndian(b), (Safi)b[2]);

    private static void WriteFamily(ref WireWriter w, AfiSafi family)
    {
        w.WriteUInt16((ushort)family.Afi);
        w.WriteByte((byte)family.Safi);
    }

    public static void Write(ref WireWriter w, Capability capability)
    {
        w.WriteByte(capability.Code);
        var lengthAt = w.Position;
        w.WriteByte(0);
        var start = w.Position;
        switch (capability)
        {
            case MultiprotocolCapability c:
                w.WriteUInt16((ushort)c.Family.Afi);
                w.WriteByte(0);
                w.WriteByte((byte)c.Family.Safi);
                break;
            case FourOctetAsCapability c:
                w.WriteUInt32(c.Asn);
                break;
            case GracefulRestartCapability c:
                w.WriteUInt16((ushort)((c.RestartFlags << 12) | (c.RestartTime & 0xFFF)));
                foreach (var f in c.Families)
                {
                    WriteFamily(ref w, f.Family);
                    w.WriteByte(f.Flags);
                }
                break;
            case LongLivedGracefulRestartCapability c:
                foreach (var f in c.Families)
                {
                    WriteFamily(ref w, f.Family);
                    w.WriteByte(f.Flags);
                    w.WriteUInt24(f.StaleTime & LongLivedGracefulRestartFamily.MaxStaleTime);
                }
                break;
            case AddPathCapability c:
                foreach (var f in c.Families)
                {
                    WriteFamily(ref w, f.Family);
                    w.WriteByte((byte)f.Direction);
                }
                break;
            case FqdnCapability c:
                WriteShortString(ref w, c.HostName);
                WriteShortString(ref w, c.DomainName);
                break;
            case SoftwareVersionCapability c:
                WriteShortString(ref w, c.Version);
                break;
            case UnknownCapability c:
                w.Write(c.Value.AsSpan());
                break;
        }
        var length = w.Position - start;
        if (length > byte.MaxValue)
        {
            throw new ArgumentException($"capability {capability.Code} value of {length} octets does not fit its 1-octet length", nameof(capability));
        }
        w.PatchByte(lengthAt, (byte)length);
    }

    private static void WriteShortString(ref WireWriter w, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > byte.MaxValue)
        {
            throw new ArgumentException($"'{text}' is longer than 255 octets of UTF-8", nameof(text));
        }
        w.WriteByte((byte)bytes.Length);
        w.Write(bytes);
    }
}
