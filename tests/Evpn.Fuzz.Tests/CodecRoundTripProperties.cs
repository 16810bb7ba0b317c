using CsCheck;
using Evpn.Fuzz.Targets;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Tests;

/// <summary>Every message kind the codec knows, generated valid, encodes and decodes back to itself without
/// error under every decode context of the fuzz harness; the bytes also pass the harness's own checks.</summary>
public class CodecRoundTripProperties
{
    private static readonly Gen<DecodeContext> Context = Gen.Int[0, BgpMessageTarget.Contexts.Length - 1].Select(i => BgpMessageTarget.Contexts[i]);

    private static readonly Gen<PathAttributes> EvpnAttributes = Gen.Select(
        Gen.Enum<Origin>(),
        Gen.UInt[1, 4_000_000_000].Array[0, 4],
        Gen.Select(Gen.UShort, Gen.UInt, ExtendedCommunity.RouteTargetAs2).Array[1, 3],
        Gen.Select(Gen.UInt, Gen.Bool, (seq, sticky) => ExtendedCommunity.MacMobility(seq, sticky)).Array[0, 1],
        (origin, path, targets, mobility) => new PathAttributes
        {
            Origin = origin,
            AsPath = path.Length == 0 ? AsPath.Empty : new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, path) }),
            ExtendedCommunities = targets.Append(ExtendedCommunity.VxlanEncapsulation).Concat(mobility).ToArray(),
        });

    /// <summary>What an external peer sends starts with its AS (RFC 4271 section 6.3, enforce-first-as).</summary>
    private static PathAttributes From(DecodeContext context, PathAttributes attributes) =>
        context.ExternalPeer ? attributes with { AsPath = (attributes.AsPath ?? AsPath.Empty).Prepend(context.PeerAsn) } : attributes;

    /// <summary>Path identifiers are on the wire only under add-path; without it they are always 0.</summary>
    private static Gen<EquatableArray<Nlri>> Nlri(Gen<EvpnRoute> routes, bool addPath) =>
        Gen.Select(routes, addPath ? Gen.UInt : Gen.Const(0u), (r, id) => Wire.Nlri.ForEvpn(r, id)).Array[1, 20].Select(a => (EquatableArray<Nlri>)a);

    private static void RoundTrip(BgpMessage message, DecodeContext context)
    {
        var bytes = BgpEncoder.Encode(message, context);
        var result = BgpDecoder.Decode(bytes, context);
        Assert.True(result.Errors.IsEmpty, $"{message} decodes with {result}");
        Assert.Equal(message, result.Message);
        new BgpMessageTarget().Run([(byte)Array.IndexOf(BgpMessageTarget.Contexts, context), .. bytes]);
    }

    [Fact]
    public void Evpn_announcements_of_every_route_type_with_one_field_at_its_edge_round_trip() =>
        Gen.Select(Context, EvpnAttributes, Gen.OneOf(EvpnRouteGen.V4, EvpnRouteGen.V6), Gen.Int[1, 5])
            .SelectMany(t => Nlri(t.Item4 switch
            {
                1 => EvpnRouteGen.Type1,
                2 => EvpnRouteGen.Type2,
                3 => EvpnRouteGen.Type3,
                4 => EvpnRouteGen.Type4,
                _ => EvpnRouteGen.Type5,
            }, t.Item1.ReceivesPathId(AfiSafi.L2vpnEvpn)).Select(nlri => (t.Item1, t.Item2, t.Item3, nlri)))
            .Sample(t => RoundTrip(UpdateMessage.Announce(AfiSafi.L2vpnEvpn, t.Item3, From(t.Item1, t.Item2), t.nlri), t.Item1), iter: 3000);

    [Fact]
    public void Evpn_withdrawals_round_trip() =>
        Context.SelectMany(c => Nlri(EvpnRouteGen.Route, c.ReceivesPathId(AfiSafi.L2vpnEvpn)).Select(nlri => (c, nlri)))
            .Sample(t => RoundTrip(UpdateMessage.Withdraw(AfiSafi.L2vpnEvpn, t.nlri), t.c), iter: 2000);

    [Fact]
    public void Ip_unicast_announcements_and_withdrawals_round_trip()
    {
        // Bits past the prefix length are not on the wire: only the masked prefix can round trip.
        var v4 = Gen.Select(Gen.UInt, Gen.Int[0, 32], (a, l) => new IpPrefix(IpAddr.FromV4(l == 0 ? 0 : a & (uint.MaxValue << (32 - l))), (byte)l));
        var v6 = Gen.Select(Gen.UInt128, Gen.Int[0, 128], (a, l) => new IpPrefix(IpAddr.FromV6(l == 0 ? 0 : a & (UInt128.MaxValue << (128 - l))), (byte)l));
        Gen.Select(Context, Gen.Bool, Gen.Bool, EvpnAttributes).SelectMany(t =>
        {
            var family = t.Item2 ? AfiSafi.Ipv6Unicast : AfiSafi.Ipv4Unicast;
            var id = t.Item1.ReceivesPathId(family) ? Gen.UInt : Gen.Const(0u);
            return Gen.Select(t.Item2 ? v6 : v4, id, (p, i) => Wire.Nlri.ForPrefix(p, i)).Array[1, 30]
                .Select(nlri => (t.Item1, family, t.Item3, t.Item4, nlri));
        }).Sample(t =>
        {
            var nextHop = t.family == AfiSafi.Ipv6Unicast ? IpAddr.Parse("fd00::1") : IpAddr.Parse("10.0.0.1");
            RoundTrip(t.Item3 ? UpdateMessage.Withdraw(t.family, t.nlri) : UpdateMessage.Announce(t.family, nextHop, From(t.Item1, t.Item4), t.nlri), t.Item1);
        }, iter: 2000);
    }

    private static readonly Gen<AfiSafi> Family = EvpnRouteGen.Values(AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn);

    private static readonly Gen<Capability> Capability = Gen.OneOf(
        Family.Select(f => (Capability)new MultiprotocolCapability(f)),
        Gen.UInt.Select(asn => (Capability)new FourOctetAsCapability(asn)),
        Gen.Const((Capability)new RouteRefreshCapability()),
        Gen.Const((Capability)new EnhancedRouteRefreshCapability()),
        Gen.Const((Capability)new ExtendedMessageCapability()),
        Gen.Select(Family, Gen.Int[1, 3], (f, d) => new AddPathFamily(f, (AddPathDirection)d)).Array[1, 3]
            .Where(a => a.DistinctBy(x => x.Family).Count() == a.Length)
            .Select(a => (Capability)new AddPathCapability(a)),
        Gen.Select(Gen.Byte[128, 255], Gen.Byte.Array[0, 20], (code, value) => (Capability)new UnknownCapability(code, value)));

    [Fact]
    public void Open_keepalive_notification_and_route_refresh_round_trip()
    {
        var open = Gen.Select(Gen.UShort[1, 65535], EvpnRouteGen.Values<ushort>(0, 3, 90, 180, 65535), Gen.UInt[1, uint.MaxValue], Capability.Array[0, 8],
            (asn, hold, id, caps) => (BgpMessage)OpenMessage.Create(asn, hold, id, caps));
        var notification = Gen.Select(Gen.Byte[1, 8], Gen.Byte, Gen.Byte.Array[0, 100],
            (code, subcode, data) => (BgpMessage)new NotificationMessage((NotificationCode)code, subcode, data))
            .Where(n => ((NotificationMessage)n).Code != NotificationCode.Cease);
        var refresh = Gen.Select(Family, Gen.Byte[0, 2], (f, s) => (BgpMessage)new RouteRefreshMessage(f, (RouteRefreshSubtype)s));
        Gen.Select(Context, Gen.OneOf(open, notification, refresh, Gen.Const((BgpMessage)KeepaliveMessage.Instance)))
            .Sample(t => RoundTrip(t.Item2, t.Item1), iter: 3000);
    }
}
