using Evpn.Wire.Model;

namespace Evpn.Wire.Mrt;

/// <summary>MRT record types and BGP4MP subtypes, RFC 6396 section 4 and RFC 8050 (add-path subtypes).</summary>
public static class MrtTypes
{
    public const ushort Bgp4Mp = 16;
    public const ushort Bgp4MpEt = 17;

    public const ushort StateChange = 0;
    public const ushort Message = 1;
    public const ushort MessageAs4 = 4;
    public const ushort StateChangeAs4 = 5;
    public const ushort MessageLocal = 6;
    public const ushort MessageAs4Local = 7;
    public const ushort MessageAddPath = 8;
    public const ushort MessageAs4AddPath = 9;
    public const ushort MessageLocalAddPath = 10;
    public const ushort MessageAs4LocalAddPath = 11;
}

/// <summary>One MRT record (RFC 6396 section 2): its time, type and subtype, its body, and for BGP4MP and
/// BGP4MP_ET records the parsed peer header.</summary>
public sealed record MrtRecord(DateTimeOffset Timestamp, ushort Type, ushort Subtype, EquatableArray<byte> Body)
{
    /// <summary>The BGP4MP peer header and message or state change, when this is such a record.</summary>
    public Bgp4MpEntry? Bgp4Mp { get; init; }
}

/// <summary>The common part of BGP4MP message and state-change records (RFC 6396 section 4.4).</summary>
/// <param name="PeerAs">The peer's AS.</param>
/// <param name="LocalAs">The recording speaker's AS.</param>
/// <param name="InterfaceIndex">Interface index, 0 when unknown.</param>
/// <param name="PeerIp">The peer's address.</param>
/// <param name="LocalIp">The recording speaker's address.</param>
/// <param name="Message">The BGP message, header included; empty for a state change.</param>
/// <param name="OldState">For a state change: the old FSM state (RFC 6396 section 4.4.1).</param>
/// <param name="NewState">For a state change: the new FSM state.</param>
public sealed record Bgp4MpEntry(
    uint PeerAs,
    uint LocalAs,
    ushort InterfaceIndex,
    IpAddr PeerIp,
    IpAddr LocalIp,
    EquatableArray<byte> Message,
    ushort OldState = 0,
    ushort NewState = 0)
{
    /// <summary>The message was sent by the recording speaker (the _LOCAL subtypes).</summary>
    public bool Local { get; init; }

    /// <summary>The message's AS numbers are 4 octets (the _AS4 subtypes).</summary>
    public bool FourOctetAs { get; init; }

    /// <summary>RFC 8050: the message's NLRI carry add-path identifiers.</summary>
    public bool AddPath { get; init; }

    public bool IsStateChange => Message.IsEmpty;

    /// <summary>The context to decode <see cref="Message"/> with.</summary>
    public DecodeContext DecodeContext => new()
    {
        FourOctetAsn = FourOctetAs,
        AddPathReceive = AddPath ? new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn } : EquatableArray<AfiSafi>.Empty,
        ExtendedMessage = true,
    };
}
