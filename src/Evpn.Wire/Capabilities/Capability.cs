using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Capability codes, IANA "Capability Codes" registry.</summary>
public static class CapabilityCode
{
    public const byte Multiprotocol = 1;
    public const byte RouteRefresh = 2;
    public const byte ExtendedMessage = 6;
    public const byte GracefulRestart = 64;
    public const byte FourOctetAs = 65;
    public const byte AddPath = 69;
    public const byte EnhancedRouteRefresh = 70;
    public const byte LongLivedGracefulRestart = 71;
    public const byte Fqdn = 73;
    public const byte SoftwareVersion = 75;
}

/// <summary>One capability of an OPEN message (RFC 5492 section 4). Immutable, value equality.</summary>
public abstract record Capability
{
    public abstract byte Code { get; }
}

/// <summary>A capability the codec does not interpret, kept as its raw value so it can be shown and re-sent.</summary>
public sealed record UnknownCapability(byte UnknownCode, EquatableArray<byte> Value) : Capability
{
    public override byte Code => UnknownCode;
}

/// <summary>RFC 4760 section 8: multiprotocol extensions for one AFI/SAFI.</summary>
public sealed record MultiprotocolCapability(AfiSafi Family) : Capability
{
    public override byte Code => CapabilityCode.Multiprotocol;
}

/// <summary>RFC 2918 section 2: route refresh.</summary>
public sealed record RouteRefreshCapability : Capability
{
    public override byte Code => CapabilityCode.RouteRefresh;
}

/// <summary>RFC 7313 section 2: enhanced route refresh (BoRR/EoRR markers).</summary>
public sealed record EnhancedRouteRefreshCapability : Capability
{
    public override byte Code => CapabilityCode.EnhancedRouteRefresh;
}

/// <summary>RFC 8654 section 3: messages up to 65535 octets.</summary>
public sealed record ExtendedMessageCapability : Capability
{
    public override byte Code => CapabilityCode.ExtendedMessage;
}

/// <summary>RFC 6793 section 3: support for 4-octet AS numbers, carrying the speaker's AS.</summary>
public sealed record FourOctetAsCapability(uint Asn) : Capability
{
    public override byte Code => CapabilityCode.FourOctetAs;
}
