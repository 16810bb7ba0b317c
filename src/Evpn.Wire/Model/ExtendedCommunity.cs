using System.Buffers.Binary;

namespace Evpn.Wire.Model;

/// <summary>An 8-octet extended community (RFC 4360) kept as its raw bits, with typed views for the
/// ones EVPN uses. Unknown ones round-trip untouched.</summary>
public readonly record struct ExtendedCommunity(ulong Raw)
{
    public const int Length = 8;

    public byte TypeHigh => (byte)(Raw >> 56);
    public byte SubType => (byte)(Raw >> 48);

    /// <summary>RFC 4360 section 2: bit 6 of the type octet is set for non-transitive communities.</summary>
    public bool IsTransitive => (TypeHigh & 0x40) == 0;

    public static ExtendedCommunity Read(ReadOnlySpan<byte> eight) => new(BinaryPrimitives.ReadUInt64BigEndian(eight));
    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Raw);

    // Route target (sub-type 0x02) in the three RFC 4360 / RFC 5668 forms.
    public static ExtendedCommunity RouteTargetAs2(ushort asn, uint number) => new((0x0002UL << 48) | ((ulong)asn << 32) | number);
    public static ExtendedCommunity RouteTargetIPv4(uint address, ushort number) => new((0x0102UL << 48) | ((ulong)address << 16) | number);
    public static ExtendedCommunity RouteTargetAs4(uint asn, ushort number) => new((0x0202UL << 48) | ((ulong)asn << 16) | number);

    public bool IsRouteTarget => SubType == 0x02 && TypeHigh is 0x00 or 0x01 or 0x02;

    /// <summary>The global administrator of a route target: the AS (types 0 and 2) or the IPv4 address bits (type 1).</summary>
    public uint RouteTargetGlobal => TypeHigh == 0x00 ? (ushort)(Raw >> 32) : (uint)(Raw >> 16);

    /// <summary>The local administrator of a route target: 4 octets for type 0, 2 octets for types 1 and 2.</summary>
    public uint RouteTargetLocal => TypeHigh == 0x00 ? (uint)Raw : (ushort)Raw;

    /// <summary>RFC 9012 section 4.1 (opaque type 0x03, sub-type 0x0c) with tunnel type 8 = VXLAN (RFC 8365 section 5.1.3).</summary>
    public static ExtendedCommunity Encapsulation(ushort tunnelType) => new((0x030CUL << 48) | tunnelType);
    public static readonly ExtendedCommunity VxlanEncapsulation = Encapsulation(TunnelTypes.Vxlan);
    public bool IsEncapsulation => TypeHigh == 0x03 && SubType == 0x0C;
    public ushort EncapsulationTunnelType => (ushort)Raw;

    /// <summary>RFC 7432 section 7.7 MAC Mobility (type 0x06, sub-type 0x00): flags octet (bit 0 = sticky/static), reserved, 4-octet sequence.</summary>
    public static ExtendedCommunity MacMobility(uint sequence, bool sticky) => new((0x0600UL << 48) | ((sticky ? 1UL : 0) << 40) | sequence);
    public bool IsMacMobility => TypeHigh == 0x06 && SubType == 0x00;
    public uint MacMobilitySequence => (uint)Raw;
    public bool MacMobilitySticky => ((Raw >> 40) & 1) != 0;

    /// <summary>RFC 7432 section 7.5 ESI Label (type 0x06, sub-type 0x01): flags (bit 0 = single-active), reserved 2, label 3.</summary>
    public static ExtendedCommunity EsiLabel(bool singleActive, uint label) => new((0x0601UL << 48) | ((singleActive ? 1UL : 0) << 40) | (label & 0xFF_FFFF));
    public bool IsEsiLabel => TypeHigh == 0x06 && SubType == 0x01;
    public bool EsiLabelSingleActive => ((Raw >> 40) & 1) != 0;
    public uint EsiLabelValue => (uint)Raw & 0xFF_FFFF;

    /// <summary>RFC 9135 section 8.1 Router's MAC (type 0x06, sub-type 0x03).</summary>
    public static ExtendedCommunity RoutersMac(MacAddress mac) => new((0x0603UL << 48) | mac.Value);
    public bool IsRoutersMac => TypeHigh == 0x06 && SubType == 0x03;
    public MacAddress RoutersMacAddress => new(Raw & 0xFFFF_FFFF_FFFF);

    /// <summary>RFC 7432 section 7.8 Default Gateway: opaque type 0x03, sub-type 0x0d, value zero.</summary>
    public static readonly ExtendedCommunity DefaultGateway = new(0x030DUL << 48);
    public bool IsDefaultGateway => TypeHigh == 0x03 && SubType == 0x0D;

    public override string ToString()
    {
        if (IsRouteTarget)
        {
            return TypeHigh switch
            {
                0x00 => $"RT:{(ushort)(Raw >> 32)}:{(uint)Raw}",
                0x01 => $"RT:{IpAddr.FromV4((uint)(Raw >> 16))}:{(ushort)Raw}",
                _ => $"RT:{(uint)(Raw >> 16)}:{(ushort)Raw}",
            };
        }
        if (IsEncapsulation)
        {
            return $"ET:{EncapsulationTunnelType}";
        }
        if (IsMacMobility)
        {
            return MacMobilitySticky ? $"MM:{MacMobilitySequence}, sticky MAC" : $"MM:{MacMobilitySequence}";
        }
        if (IsRoutersMac)
        {
            return $"Rmac:{RoutersMacAddress}";
        }
        if (IsDefaultGateway)
        {
            return "Default Gateway";
        }
        if (IsEsiLabel)
        {
            return EsiLabelSingleActive ? $"ESI-label:{EsiLabelValue}, single-active" : $"ESI-label:{EsiLabelValue}";
        }
        return $"0x{Raw:x16}";
    }
}

/// <summary>Tunnel type numbers shared by the encapsulation community (RFC 9012) and PMSI (RFC 6514).</summary>
public static class TunnelTypes
{
    /// <summary>Encapsulation extended community tunnel type for VXLAN.</summary>
    public const ushort Vxlan = 8;
}
