using CsCheck;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Tests;

/// <summary>Valid EVPN routes of types 1 to 5 (RFC 7432 section 7, RFC 9136 section 3), each with at most one
/// field pushed to the edge of what it may hold: RD types, ESI types, label values and counts, IP lengths and
/// families, MAC values, prefix lengths. Everything generated must encode, decode to itself, and be accepted.</summary>
public static class EvpnRouteGen
{
    /// <summary>One of <paramref name="values"/>, each as likely.</summary>
    public static Gen<T> Values<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    public static readonly Gen<RouteDistinguisher> Rd = Gen.OneOf(
        Gen.Select(Gen.UShort, Gen.UInt, RouteDistinguisher.FromAs2),
        Gen.Select(Gen.UInt, Gen.UShort, RouteDistinguisher.FromIPv4),
        Gen.Select(Gen.UInt, Gen.UShort, RouteDistinguisher.FromAs4));

    /// <summary>RD edges: all zero, the largest of each type, and types RFC 4364 does not define (kept as raw octets).</summary>
    public static readonly Gen<RouteDistinguisher> RdEdge = Values(
        new RouteDistinguisher(0),
        RouteDistinguisher.FromAs2(ushort.MaxValue, uint.MaxValue),
        RouteDistinguisher.FromIPv4(uint.MaxValue, ushort.MaxValue),
        RouteDistinguisher.FromAs4(uint.MaxValue, ushort.MaxValue),
        new RouteDistinguisher(3UL << 48),
        new RouteDistinguisher(ulong.MaxValue));

    public static readonly Gen<EthernetSegmentId> Esi = Gen.Frequency(
        (3, Gen.Const(EthernetSegmentId.Zero)),
        (1, Gen.Select(Gen.Byte[0, 5], Gen.ULong, Gen.UShort, (type, high, low) => new EthernetSegmentId(((ulong)type << 56) | (high >> 8), low))));

    /// <summary>ESI edges (RFC 7432 section 5): every type with all value octets set, MAX-ESI, an undefined type.</summary>
    public static readonly Gen<EthernetSegmentId> EsiEdge = Gen.OneOf(
        Gen.Byte[0, 5].Select(type => new EthernetSegmentId(((ulong)type << 56) | 0x00FF_FFFF_FFFF_FFFF, ushort.MaxValue)),
        Values(new EthernetSegmentId(ulong.MaxValue, ushort.MaxValue), new EthernetSegmentId(0x0600_0000_0000_0000, 1)));

    public static readonly Gen<uint> Tag = Gen.Frequency((3, Gen.Const(0u)), (1, Gen.UInt[1, 4094]));
    public static readonly Gen<uint> TagEdge = Values(uint.MaxValue, 4095u, 1u);

    /// <summary>Labels are 3 octets: a VNI or an MPLS label in the high 20 bits.</summary>
    public static readonly Gen<uint> Label = Gen.UInt[1, 0xFF_FFFF];
    public static readonly Gen<uint> LabelEdge = Values(0u, 0xFF_FFFFu, EvpnLabel.FromMpls(0xF_FFFF));

    /// <summary>Unicast MACs other than zero (a zero, multicast or broadcast MAC in a type-2 route is withdrawn, RFC 7606).</summary>
    public static readonly Gen<MacAddress> Mac = Gen.ULong[1, 0xFFFF_FFFF_FFFF].Select(v => new MacAddress(v & ~(1UL << 40))).Where(m => m.Value != 0);
    public static readonly Gen<MacAddress> MacEdge = Values(new MacAddress(1), new MacAddress(0xFEFF_FFFF_FFFF), new MacAddress(0x0200_0000_0000));

    public static readonly Gen<IpAddr> V4 = Gen.UInt.Select(IpAddr.FromV4);
    public static readonly Gen<IpAddr> V6 = Gen.Select(Gen.ULong, Gen.ULong, (h, l) => IpAddr.FromV6(new UInt128(h, l)));
    public static readonly Gen<IpAddr> Ip = Gen.OneOf(V4, V6);

    /// <summary>Address edges: unspecified and all-ones of both families, and an IPv4-mapped IPv6 address.</summary>
    public static readonly Gen<IpAddr> IpEdge = Values(
        IpAddr.FromV4(0), IpAddr.FromV4(uint.MaxValue), IpAddr.FromV6(UInt128.Zero), IpAddr.FromV6(UInt128.MaxValue),
        IpAddr.Parse("::ffff:10.0.0.1"));

    /// <summary>A field's generator: its edge when <paramref name="field"/> is the one chosen, else its normal values.</summary>
    private static Gen<T> Field<T>(int chosen, int field, Gen<T> normal, Gen<T> edge) => chosen == field ? edge : normal;

    public static readonly Gen<EvpnRoute> Type1 = Gen.Int[0, 4].SelectMany(k =>
        Gen.Select(Field(k, 0, Rd, RdEdge), Field(k, 1, Esi, EsiEdge), Field(k, 2, Tag, TagEdge), Field(k, 3, Label, LabelEdge),
            (rd, esi, tag, label) => (EvpnRoute)new EthernetAutoDiscoveryRoute(rd, esi, tag, label)));

    /// <summary>Type 2: field 4 is the IP (none, IPv4, IPv6, an edge address), field 6 the label count.</summary>
    public static readonly Gen<EvpnRoute> Type2 = Gen.Int[0, 7].SelectMany(k =>
        Gen.Select(
            Gen.Select(Field(k, 0, Rd, RdEdge), Field(k, 1, Esi, EsiEdge), Field(k, 2, Tag, TagEdge), Field(k, 3, Mac, MacEdge)),
            Field(k, 4, Gen.OneOf(Gen.Const((IpAddr?)null), Ip.Select(a => (IpAddr?)a)), IpEdge.Select(a => (IpAddr?)a)),
            Field(k, 5, Label, LabelEdge),
            Field(k, 6, Gen.Frequency((3, Gen.Const((uint?)null)), (1, Label.Select(l => (uint?)l))), LabelEdge.Select(l => (uint?)l)),
            (fixedPart, ip, label1, label2) =>
                (EvpnRoute)new MacIpAdvertisementRoute(fixedPart.Item1, fixedPart.Item2, fixedPart.Item3, fixedPart.Item4, ip, label1, label2)));

    public static readonly Gen<EvpnRoute> Type3 = Gen.Int[0, 3].SelectMany(k =>
        Gen.Select(Field(k, 0, Rd, RdEdge), Field(k, 1, Tag, TagEdge), Field(k, 2, Ip, IpEdge),
            (rd, tag, originator) => (EvpnRoute)new InclusiveMulticastRoute(rd, tag, originator)));

    public static readonly Gen<EvpnRoute> Type4 = Gen.Int[0, 3].SelectMany(k =>
        Gen.Select(Field(k, 0, Rd, RdEdge), Field(k, 1, Esi, EsiEdge), Field(k, 2, Ip, IpEdge),
            (rd, esi, originator) => (EvpnRoute)new EthernetSegmentRoute(rd, esi, originator)));

    /// <summary>Type 5: prefix and gateway of one family (the route's length says which); field 3 pushes the
    /// prefix length to 0 or the family's maximum, field 4 the gateway to an edge address of the family.</summary>
    public static readonly Gen<EvpnRoute> Type5 = Gen.Int[0, 6].SelectMany(k =>
        Gen.Select(
            Gen.Select(Field(k, 0, Rd, RdEdge), Field(k, 1, Esi, EsiEdge), Field(k, 2, Tag, TagEdge), Field(k, 5, Label, LabelEdge)),
            Gen.Bool,
            Gen.Int[0, 128],
            (fixedPart, v6, length) => (fixedPart, v6, length))
        .SelectMany(t =>
        {
            var family = t.v6 ? V6 : V4;
            var max = t.v6 ? 128 : 32;
            var length = k == 3 ? Values(0, max) : Gen.Const(t.length % (max + 1));
            var gateway = k == 4
                ? Values(t.v6 ? IpAddr.FromV6(UInt128.Zero) : IpAddr.FromV4(0), t.v6 ? IpAddr.FromV6(UInt128.MaxValue) : IpAddr.FromV4(uint.MaxValue))
                : family;
            return Gen.Select(family, length, gateway, (prefix, len, gw) =>
                (EvpnRoute)new IpPrefixRoute(t.fixedPart.Item1, t.fixedPart.Item2, t.fixedPart.Item3, prefix, (byte)len, gw, t.fixedPart.Item4));
        }));

    public static readonly Gen<EvpnRoute> Route = Gen.OneOf(Type1, Type2, Type3, Type4, Type5);
}
