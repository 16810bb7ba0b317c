using Evpn.Wire.Model;
using static Evpn.Wire.Tests.Bytes;

namespace Evpn.Wire.Tests;

/// <summary>The RFC 7606 table: every class of malformed UPDATE of sections 3, 4, 5 and 7 for each
/// attribute the codec knows, and the EVPN NLRI errors, with the action each must produce.</summary>
public class MalformedUpdateTests
{
    public sealed record Case(byte[] Message, ErrorAction Action, byte? Subcode = null, DecodeContext? Context = null);

    private static readonly byte[] Type2 = Route(2, Type2());
    private static byte[] Evpn(byte[] attribute) => Update(Concat(EvpnAttributes, MpReachEvpn(Type2), attribute));
    private static byte[] WithoutEvpnAttribute(params byte[][] attributes) => Update(Concat(Concat(attributes), MpReachEvpn(Type2)));

    /// <summary>An external peer in AS 65002, the first AS of <see cref="AsPathAttribute"/>.</summary>
    private static readonly DecodeContext External = DecodeContext.FourOctetAs with { ExternalPeer = true, PeerAsn = 65002 };

    /// <summary>RFC 9012: a VXLAN tunnel TLV (type 8) with one Encapsulation sub-TLV (type 1, 8 octets).</summary>
    private const string TunnelTlv = "0008 000a 01 08 00000000 00000064";

    /// <summary>RFC 5701: a route target with an IPv6 global administrator.</summary>
    private const string Ipv6Ec = "0002 20010db8000000000000000000000001 0064";

    /// <summary>RFC 8669 section 3.1: Label-Index TLV, reserved, flags, label index 100.</summary>
    private const string LabelIndexTlv = "01 0007 00 0000 00000064";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // RFC 4271 section 6.3 / RFC 7606 section 4: the lengths that frame the UPDATE.
        ["withdrawn length beyond the message"] = new(Message(2, Hex("0010 0000")), ErrorAction.SessionReset, UpdateMessageErrorSubcode.MalformedAttributeList),
        ["total attribute length beyond the message"] = new(Message(2, Hex("0000 0010 40010100")), ErrorAction.SessionReset, UpdateMessageErrorSubcode.MalformedAttributeList),
        ["attribute length overruns the attributes"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Type2), Hex("c0 10 10 030c000000000008"))), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["MP_REACH_NLRI length overruns the attributes"] = new(Update(Concat(EvpnAttributes, Hex("90 0e 00 40 0019 46 04 0a000001 00"))), ErrorAction.SessionReset, UpdateMessageErrorSubcode.AttributeLengthError),
        ["fewer than three octets left for an attribute"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Type2), Hex("40 01"))), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAttributeList),
        ["extended length header cut short"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Type2), Hex("d0 10 00"))), ErrorAction.TreatAsWithdraw),

        // RFC 7606 section 3.
        ["attribute flags conflict (ORIGIN optional)"] = new(WithoutEvpnAttribute(Attribute(0xC0, 1, "00"), AsPathAttribute), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeFlagsError),
        ["attribute flags conflict (COMMUNITIES well-known)"] = new(Evpn(Attribute(0x40, 8, "00000001")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeFlagsError),
        ["MP_REACH_NLRI twice"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Type2), MpReachEvpn(Type2))), ErrorAction.SessionReset, UpdateMessageErrorSubcode.MalformedAttributeList),
        ["MP_UNREACH_NLRI twice"] = new(Update(Concat(MpUnreachEvpn(Type2), MpUnreachEvpn(Type2))), ErrorAction.SessionReset, UpdateMessageErrorSubcode.MalformedAttributeList),
        ["ORIGIN twice: later copy discarded"] = new(Evpn(Attribute(0x40, 1, "02")), ErrorAction.AttributeDiscard),
        ["reachable EVPN NLRI without ORIGIN"] = new(WithoutEvpnAttribute(AsPathAttribute), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MissingWellKnownAttribute),
        ["reachable EVPN NLRI without AS_PATH"] = new(WithoutEvpnAttribute(OriginAttribute), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MissingWellKnownAttribute),
        ["NLRI with no attributes"] = new(Update([], Hex("18 0a0100")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MissingWellKnownAttribute),
        ["IPv4 NLRI without NEXT_HOP"] = new(Update(Concat(OriginAttribute, AsPathAttribute), Hex("18 0a0100")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MissingWellKnownAttribute),
        ["MP_UNREACH alone needs no other attribute"] = new(Update(MpUnreachEvpn(Type2)), ErrorAction.None),
        ["unrecognized well-known attribute"] = new(Evpn(Attribute(0x40, 99, "00")), ErrorAction.SessionReset, UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute),
        ["unknown optional non-transitive attribute is dropped"] = new(Evpn(Attribute(0x80, 99, "00")), ErrorAction.None),
        ["unknown optional transitive attribute is kept"] = new(Evpn(Attribute(0xC0, 99, "00")), ErrorAction.None),

        // RFC 7606 section 5.3: the NLRI fields.
        ["NLRI prefix /33"] = new(Update(Concat(OriginAttribute, AsPathAttribute, NextHopAttribute), Hex("21 0a010000 00")), ErrorAction.SessionReset, UpdateMessageErrorSubcode.InvalidNetworkField),
        ["NLRI prefix truncated"] = new(Update(Concat(OriginAttribute, AsPathAttribute, NextHopAttribute), Hex("18 0a01")), ErrorAction.SessionReset, UpdateMessageErrorSubcode.InvalidNetworkField),
        ["withdrawn prefix truncated"] = new(Update(Hex("20 0a01"), [], []), ErrorAction.SessionReset, UpdateMessageErrorSubcode.InvalidNetworkField),

        // RFC 7606 section 7, attribute by attribute.
        ["ORIGIN length 0"] = new(WithoutEvpnAttribute(Attribute(0x40, 1, ""), AsPathAttribute), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["ORIGIN length 2"] = new(WithoutEvpnAttribute(Attribute(0x40, 1, "0000"), AsPathAttribute), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["ORIGIN value 3"] = new(WithoutEvpnAttribute(Attribute(0x40, 1, "03"), AsPathAttribute), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.InvalidOriginAttribute),
        ["AS_PATH segment type 5"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "05 01 0000fdea")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath),
        ["AS_PATH segment of length 0"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "02 00")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath),
        ["AS_PATH segment overrun"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "02 02 0000fdea")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath),
        ["AS_PATH ends inside a segment header"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "02 01 0000fdea 02")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath),
        ["AS_PATH of 2-octet ASes on a 4-octet session"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "02 01 fdea")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath),
        ["NEXT_HOP length 0"] = new(Update(Concat(OriginAttribute, AsPathAttribute, Attribute(0x40, 3, "")), Hex("18 0a0100")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["NEXT_HOP length 5"] = new(Update(Concat(OriginAttribute, AsPathAttribute, Attribute(0x40, 3, "0a00000100")), Hex("18 0a0100")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["MULTI_EXIT_DISC length 3"] = new(Evpn(Attribute(0x80, 4, "000001")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["LOCAL_PREF length 2 from an internal peer"] = new(Evpn(Attribute(0x40, 5, "0064")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["LOCAL_PREF from an external peer is ignored"] = new(Evpn(Attribute(0x40, 5, "0064")), ErrorAction.None, null, External),
        ["ATOMIC_AGGREGATE length 1"] = new(Evpn(Attribute(0x40, 6, "00")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.AttributeLengthError),
        ["AGGREGATOR length 6 on a 4-octet session"] = new(Evpn(Attribute(0xC0, 7, "fdea0a000001")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.AttributeLengthError),
        ["AGGREGATOR length 8 on a 2-octet session"] = new(Update(Concat(OriginAttribute, Attribute(0x40, 2, "02 01 fdea"), MpReachEvpn(Type2), Attribute(0xC0, 7, "0000fdea0a000001"))), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.AttributeLengthError, DecodeContext.Default),
        ["COMMUNITIES length 0"] = new(Evpn(Attribute(0xC0, 8, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["COMMUNITIES length 5"] = new(Evpn(Attribute(0xC0, 8, "0000000100")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["ORIGINATOR_ID length 0"] = new(Evpn(Attribute(0x80, 9, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["CLUSTER_LIST length 0"] = new(Evpn(Attribute(0x80, 10, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["CLUSTER_LIST length 6"] = new(Evpn(Attribute(0x80, 10, "010101010202")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeLengthError),
        ["MP_REACH_NLRI length 0"] = new(Update(Concat(EvpnAttributes, Attribute(0x80, 14, ""))), ErrorAction.SessionReset, UpdateMessageErrorSubcode.AttributeLengthError),
        ["MP_REACH_NLRI cut inside AFI/SAFI"] = new(Update(Concat(EvpnAttributes, Attribute(0x80, 14, "0019"))), ErrorAction.SessionReset, UpdateMessageErrorSubcode.AttributeLengthError),
        ["MP_REACH_NLRI next hop length 5"] = new(Update(Concat(EvpnAttributes, Attribute(0x90, 14, Concat(Hex("0019 46 05 0a00000100 00"), Type2)))), ErrorAction.AfiSafiDisable, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["MP_REACH_NLRI next hop length beyond the attribute"] = new(Update(Concat(EvpnAttributes, Attribute(0x90, 14, "0019 46 10 0a000001"))), ErrorAction.AfiSafiDisable),
        ["MP_UNREACH_NLRI length 1"] = new(Update(Attribute(0x80, 15, "00")), ErrorAction.SessionReset, UpdateMessageErrorSubcode.AttributeLengthError),
        ["EXTENDED_COMMUNITIES length 0"] = new(WithoutEvpnAttribute(OriginAttribute, AsPathAttribute, Attribute(0xC0, 16, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["EXTENDED_COMMUNITIES length 12"] = new(WithoutEvpnAttribute(OriginAttribute, AsPathAttribute, Attribute(0xC0, 16, "030c000000000008 00000000")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["AS4_PATH malformed on a 2-octet session"] = new(Update(Concat(OriginAttribute, Attribute(0x40, 2, "02 01 5ba0"), MpReachEvpn(Type2), Attribute(0xC0, 17, "02 02 fa56ea00"))), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, DecodeContext.Default),
        ["AS4_PATH on a 4-octet session is ignored"] = new(Evpn(Attribute(0xC0, 17, "02 01")), ErrorAction.None),
        ["AS4_AGGREGATOR length 6 on a 2-octet session"] = new(Update(Concat(OriginAttribute, Attribute(0x40, 2, "02 01 fdea"), MpReachEvpn(Type2), Attribute(0xC0, 18, "fdea0a000001"))), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, DecodeContext.Default),
        ["PMSI_TUNNEL length 0"] = new(Evpn(Attribute(0xC0, 22, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["PMSI_TUNNEL length 4"] = new(Evpn(Attribute(0xC0, 22, "00060000")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["LARGE_COMMUNITIES length 0"] = new(Evpn(Attribute(0xC0, 32, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["LARGE_COMMUNITIES length 13"] = new(Evpn(Attribute(0xC0, 32, "000000010000000200000003 00")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),

        // RFC 7607: AS 0 (AS_PATH treat-as-withdraw under RFC 7606 section 7.2, AGGREGATOR discard under 7.7,
        // AS4_PATH and AS4_AGGREGATOR discard under RFC 6793).
        ["AS_PATH holding AS 0"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "02 02 0000fdea 00000000")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath),
        ["AS_PATH holding AS 0 in an AS_SET"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "02 01 0000fdea 01 02 00000000 0000fde8")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath),
        ["AGGREGATOR with AS 0"] = new(Evpn(Attribute(0xC0, 7, "00000000 0a000001")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["AS4_PATH holding AS 0 on a 2-octet session"] = new(Update(Concat(OriginAttribute, Attribute(0x40, 2, "02 01 5ba0"), MpReachEvpn(Type2), Attribute(0xC0, 17, "02 01 00000000"))), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, DecodeContext.Default),
        ["AS4_AGGREGATOR with AS 0 on a 2-octet session"] = new(Update(Concat(OriginAttribute, Attribute(0x40, 2, "02 01 fdea"), MpReachEvpn(Type2), Attribute(0xC0, 18, "00000000 0a000001"))), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, DecodeContext.Default),

        // From an external peer (RFC 5065 section 5.3, RFC 4271 section 6.3, RFC 7606 sections 7.2, 7.9, 7.10).
        ["AS_CONFED_SEQUENCE from an external peer"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "03 01 0000fde8 02 01 0000fdea")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath, External),
        ["AS_CONFED_SET from an external peer"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "02 01 0000fdea 04 01 0000fde8")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath, External),
        ["AS_CONFED_SEQUENCE from an internal peer is used"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "03 01 0000fde8 02 01 0000fdea")), ErrorAction.None),
        ["first AS not the external peer's"] = new(Evpn([]), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath, External with { PeerAsn = 65003 }),
        ["first AS in an AS_SET from an external peer"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "01 01 0000fdea")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath, External),
        ["empty AS_PATH from an external peer"] = new(WithoutEvpnAttribute(OriginAttribute, Attribute(0x40, 2, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAsPath, External),
        ["first AS not the external peer's, enforce-first-as off"] = new(Evpn([]), ErrorAction.None, null, External with { PeerAsn = 65003, Policy = new ReceivePolicy { EnforceFirstAs = false } }),
        ["first AS is the external peer's"] = new(Evpn([]), ErrorAction.None, null, External),
        ["ORIGINATOR_ID from an external peer"] = new(Evpn(Attribute(0x80, 9, "0a000009")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, External),
        ["ORIGINATOR_ID length 0 from an external peer is discarded too"] = new(Evpn(Attribute(0x80, 9, "")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, External),
        ["CLUSTER_LIST from an external peer"] = new(Evpn(Attribute(0x80, 10, "0a000009")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError, External),

        // Known attributes passed on uninterpreted: TUNNEL_ENCAPSULATION (RFC 9012 section 13), IPv6 Address
        // Specific Extended Community (RFC 5701, RFC 7606 section 7.15), PREFIX_SID (RFC 8669 section 6).
        ["TUNNEL_ENCAPSULATION well-formed is kept"] = new(Evpn(Attribute(0xC0, 23, TunnelTlv)), ErrorAction.None),
        ["TUNNEL_ENCAPSULATION length 0"] = new(Evpn(Attribute(0xC0, 23, "")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["TUNNEL_ENCAPSULATION TLV overruns the attribute"] = new(Evpn(Attribute(0xC0, 23, "0008 0010 01 08 00000000 00000064")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["TUNNEL_ENCAPSULATION ends inside a TLV header"] = new(Evpn(Attribute(0xC0, 23, TunnelTlv + " 0008 00")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["TUNNEL_ENCAPSULATION TLV whose sub-TLV overruns it is dropped"] = new(Evpn(Attribute(0xC0, 23, TunnelTlv + " 0002 0005 01 08 000000")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["TUNNEL_ENCAPSULATION optional non-transitive"] = new(Evpn(Attribute(0x80, 23, TunnelTlv)), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.AttributeFlagsError),
        ["IPv6 Address Specific Extended Community length 20 is kept"] = new(Evpn(Attribute(0xC0, 25, Ipv6Ec)), ErrorAction.None),
        ["IPv6 Address Specific Extended Community length 0"] = new(Evpn(Attribute(0xC0, 25, "")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["IPv6 Address Specific Extended Community length 28"] = new(Evpn(Attribute(0xC0, 25, Ipv6Ec + " 0002fde900000064")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["PREFIX_SID Label-Index is kept"] = new(Evpn(Attribute(0xC0, 40, LabelIndexTlv)), ErrorAction.None),
        ["PREFIX_SID length 0"] = new(Evpn(Attribute(0xC0, 40, "")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["PREFIX_SID Label-Index length 6"] = new(Evpn(Attribute(0xC0, 40, "01 0006 00 0000 000064")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["PREFIX_SID Originator SRGB length 7"] = new(Evpn(Attribute(0xC0, 40, LabelIndexTlv + " 03 0007 0000 003e80 0000")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["PREFIX_SID TLV overruns the attribute"] = new(Evpn(Attribute(0xC0, 40, "05 0020 00 0000")), ErrorAction.AttributeDiscard, UpdateMessageErrorSubcode.OptionalAttributeError),

        // The neighbor's `path-attribute` option (FRR's `neighbor X path-attribute discard|treat-as-withdraw`).
        ["attribute type configured treat-as-withdraw"] = new(Evpn(Attribute(0xC0, 8, "00000001")), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.MalformedAttributeList, DecodeContext.FourOctetAs with { Policy = new ReceivePolicy { TreatAsWithdraw = new byte[] { 8 } } }),
        ["attribute type configured discard"] = new(Evpn(Attribute(0xC0, 8, "00")), ErrorAction.None, null, DecodeContext.FourOctetAs with { Policy = new ReceivePolicy { Discard = new byte[] { 8 } } }),

        // EVPN type-2 routes for a MAC no host has: the all-zero MAC (the key of the VNI's flood entry), multicast, broadcast.
        ["EVPN type 2 for the all-zero MAC"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Type2, Route(2, $"{Rd} {Esi0} 00000000 30 000000000000 00 000064")))), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["EVPN type 2 for a multicast MAC"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, $"{Rd} {Esi0} 00000000 30 01005e000001 00 000064")))), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["EVPN type 2 for the broadcast MAC"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, $"{Rd} {Esi0} 00000000 30 ffffffffffff 00 000064")))), ErrorAction.TreatAsWithdraw, UpdateMessageErrorSubcode.OptionalAttributeError),
        ["EVPN withdrawal of the all-zero MAC is a withdrawal"] = new(Update(MpUnreachEvpn(Route(2, $"{Rd} {Esi0} 00000000 30 000000000000 00 000064"))), ErrorAction.None),

        // EVPN NLRI (RFC 7606 sections 5.3 and 5.4; the rule is in EvpnNlriCodec).
        ["EVPN type 1 length 24"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(1, $"{Rd} {Esi0} 00000000 0000")))), ErrorAction.AfiSafiDisable),
        ["EVPN type 2 length 34 (no IP, one label and a stray octet)"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, Type2(labels: "000064 00"))))), ErrorAction.AfiSafiDisable),
        ["EVPN type 2 MAC length 47"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, Type2(macBits: "2f"))))), ErrorAction.AfiSafiDisable),
        ["EVPN type 2 IP length 24"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, Type2(ipBits: "18", ip: "0a0101"))))), ErrorAction.AfiSafiDisable),
        ["EVPN type 2 IP length 32 with an IPv6 address"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, Type2(ipBits: "20", ip: "20010db8000000000000000000000001"))))), ErrorAction.AfiSafiDisable),
        ["EVPN type 2 truncated label"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, Type2(labels: "0000"))))), ErrorAction.AfiSafiDisable),
        ["EVPN type 2 truncated second label"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(2, Type2(labels: "000064 0000"))))), ErrorAction.AfiSafiDisable),
        ["EVPN type 3 IP length 24"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(3, $"{Rd} 00000000 18 0a0000")))), ErrorAction.AfiSafiDisable),
        ["EVPN type 3 length 18"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(3, $"{Rd} 00000000 20 0a000001 00")))), ErrorAction.AfiSafiDisable),
        ["EVPN type 4 IP length 128 with 4 octets"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(4, $"{Rd} {Esi0} 80 0a000001")))), ErrorAction.AfiSafiDisable),
        ["EVPN type 5 prefix /33"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(5, $"{Rd} {Esi0} 00000000 21 0a000000 00000000 001388")))), ErrorAction.AfiSafiDisable),
        ["EVPN type 5 prefix /129"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(5, $"{Rd} {Esi0} 00000000 81 20010db8000000000000000000000000 00000000000000000000000000000000 001388")))), ErrorAction.AfiSafiDisable),
        ["EVPN type 5 length 35"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(5, $"{Rd} {Esi0} 00000000 18 0a000000 00000000 001388 00")))), ErrorAction.AfiSafiDisable),
        ["EVPN route length overruns the attribute"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Hex("02 40"), Hex(Type2())))), ErrorAction.AfiSafiDisable),
        ["EVPN NLRI ends inside a route header"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Type2, Hex("02")))), ErrorAction.AfiSafiDisable),
        ["EVPN withdrawal with a malformed route"] = new(Update(MpUnreachEvpn(Route(2, Type2(macBits: "00")))), ErrorAction.AfiSafiDisable),
        ["End-of-RIB with junk"] = new(Update(Attribute(0x80, 15, "0019 46 ff")), ErrorAction.AfiSafiDisable),
        ["EVPN unknown route type is skipped"] = new(Update(Concat(EvpnAttributes, MpReachEvpn(Route(9, "0102030405"), Type2))), ErrorAction.None),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Malformed_update_gets_the_rfc_7606_action(string name)
    {
        var c = Cases[name];
        var context = c.Context ?? DecodeContext.FourOctetAs;

        var result = BgpDecoder.Decode(c.Message, context);

        Assert.Equal(c.Action, result.Action);
        if (c.Subcode is { } subcode)
        {
            Assert.Equal(subcode, result.Strongest!.Subcode);
            Assert.Equal(NotificationCode.UpdateMessageError, result.Strongest.Code);
        }
        if (c.Action == ErrorAction.SessionReset)
        {
            Assert.Null(result.Message);
            Assert.Equal(Notifications.For(result.Strongest!), result.Notification);
        }
        else
        {
            var update = Assert.IsType<UpdateMessage>(result.Message);
            if (c.Action == ErrorAction.TreatAsWithdraw)
            {
                // The receiver (the session) withdraws what the UPDATE announced: the codec must keep its NLRI.
                Assert.NotEmpty(update.Announced);
            }
            if (c.Action == ErrorAction.AfiSafiDisable)
            {
                Assert.Equal([AfiSafi.L2vpnEvpn], result.DisabledFamilies);
            }
        }
    }

    [Fact]
    public void Unknown_evpn_route_type_is_skipped_and_counted_and_the_next_route_still_decoded()
    {
        var result = BgpDecoder.Decode(Cases["EVPN unknown route type is skipped"].Message, DecodeContext.FourOctetAs);

        Assert.Equal(1, result.SkippedRoutes);
        Assert.IsType<MacIpAdvertisementRoute>(Assert.Single(((UpdateMessage)result.Message!).MpReach!.Nlri).Evpn);
    }

    [Fact]
    public void Discarded_attributes_are_absent_and_the_rest_is_kept()
    {
        var result = BgpDecoder.Decode(Cases["ATOMIC_AGGREGATE length 1"].Message, DecodeContext.FourOctetAs);

        var update = (UpdateMessage)result.Message!;
        Assert.False(update.Attributes.AtomicAggregate);
        Assert.Single(update.MpReach!.Nlri);
        Assert.Equal(Origin.Igp, update.Attributes.Origin);
    }

    [Fact]
    public void As4_path_is_merged_on_a_2_octet_session()
    {
        // AS_PATH 23456 65001, AS4_PATH 4200000000: the last AS of AS_PATH is replaced (RFC 6793 section 4.2.3).
        var message = Update(Concat(OriginAttribute, Attribute(0x40, 2, "02 02 5ba0 fde9"), MpReachEvpn(Type2), Attribute(0xC0, 17, "02 01 fa56ea00")));

        var result = BgpDecoder.Decode(message, DecodeContext.Default);

        Assert.Empty(result.Errors);
        Assert.Equal(new uint[] { 23456, 4200000000 }, ((UpdateMessage)result.Message!).Attributes.AsPath!.Segments.SelectMany(s => s.Asns));
    }

    [Fact]
    public void An_update_whose_only_attribute_was_discarded_is_not_an_end_of_rib()
    {
        var result = BgpDecoder.Decode(Update(Attribute(0x40, 6, "00")), DecodeContext.FourOctetAs);

        Assert.Equal(ErrorAction.AttributeDiscard, result.Action);
        Assert.False(((UpdateMessage)result.Message!).IsEndOfRib(out _));
        Assert.True(((UpdateMessage)BgpDecoder.Decode(Update([]), DecodeContext.FourOctetAs).Message!).IsEndOfRib(out var family));
        Assert.Equal(AfiSafi.Ipv4Unicast, family);
    }

    [Fact]
    public void The_strongest_of_several_errors_wins()
    {
        var message = Update(Concat(OriginAttribute, AsPathAttribute, Attribute(0x40, 6, "00"), Attribute(0xC0, 8, "00"), MpReachEvpn(Route(2, Type2(macBits: "00")))));

        var result = BgpDecoder.Decode(message, DecodeContext.FourOctetAs);

        Assert.Equal(3, result.Errors.Length);
        Assert.Equal(ErrorAction.AfiSafiDisable, result.Action);
    }

    [Fact]
    public void A_configured_discard_drops_the_attribute_and_keeps_the_routes()
    {
        var result = BgpDecoder.Decode(Cases["attribute type configured discard"].Message, Cases["attribute type configured discard"].Context!);

        var update = (UpdateMessage)result.Message!;
        Assert.Empty(update.Attributes.Communities);
        Assert.Single(update.MpReach!.Nlri);
    }

    [Fact]
    public void Originator_id_and_cluster_list_from_an_external_peer_are_not_kept()
    {
        var message = Update(Concat(EvpnAttributes, MpReachEvpn(Type2), Attribute(0x80, 9, "0a000009"), Attribute(0x80, 10, "0a000009")));

        var update = (UpdateMessage)BgpDecoder.Decode(message, External).Message!;

        Assert.Null(update.Attributes.OriginatorId);
        Assert.Empty(update.Attributes.ClusterList);
        Assert.Single(update.MpReach!.Nlri);
    }

    [Fact]
    public void Valid_tunnel_encapsulation_ipv6_extended_communities_and_prefix_sid_are_passed_on_as_received()
    {
        var message = Update(Concat(EvpnAttributes, MpReachEvpn(Type2), Attribute(0xC0, 23, TunnelTlv), Attribute(0xC0, 25, Ipv6Ec), Attribute(0xE0, 40, LabelIndexTlv)));

        var update = (UpdateMessage)BgpDecoder.Decode(message, DecodeContext.FourOctetAs).Message!;

        Assert.Equal(
            [new RawAttribute(0xC0, 23, Hex(TunnelTlv)), new RawAttribute(0xC0, 25, Hex(Ipv6Ec)), new RawAttribute(0xE0, 40, Hex(LabelIndexTlv))],
            update.Attributes.Unrecognized.AsSpan().ToArray());
        Assert.Equal(message, BgpEncoder.Encode(update, DecodeContext.FourOctetAs));
        var outbound = new UpdateMessage(EquatableArray<Nlri>.Empty, update.Attributes, update.MpReach, null, EquatableArray<Nlri>.Empty);
        var again = (UpdateMessage)BgpDecoder.Decode(BgpEncoder.Encode(outbound, DecodeContext.FourOctetAs), DecodeContext.FourOctetAs).Message!;
        Assert.Equal(update.Attributes.Unrecognized, again.Attributes.Unrecognized);
    }

    [Fact]
    public void A_tunnel_encapsulation_tlv_whose_sub_tlvs_do_not_fill_it_is_dropped_and_the_others_kept()
    {
        var result = BgpDecoder.Decode(Cases["TUNNEL_ENCAPSULATION TLV whose sub-TLV overruns it is dropped"].Message, DecodeContext.FourOctetAs);

        var kept = Assert.Single(((UpdateMessage)result.Message!).Attributes.Unrecognized.AsSpan().ToArray());
        Assert.Equal(Hex(TunnelTlv), kept.Value.AsSpan().ToArray());
        Assert.Contains("tunnel type 2", result.Strongest!.Reason);
    }

    [Fact]
    public void Negotiation_takes_the_peer_as_and_the_policy()
    {
        var local = new OpenMessage(4, 65001, 90, 0x0a000001, new[] { new CapabilitiesParameter(new Capability[] { new FourOctetAsCapability(65001) }) });
        var remote = new OpenMessage(4, 23456, 90, 0x0a000002, new[] { new CapabilitiesParameter(new Capability[] { new FourOctetAsCapability(4200000000) }) });
        var policy = new ReceivePolicy { EnforceFirstAs = false };

        var context = DecodeContext.Negotiate(local, remote, policy);

        Assert.True(context.ExternalPeer);
        Assert.Equal(4200000000u, context.PeerAsn);
        Assert.Same(policy, context.Policy);
    }
}
