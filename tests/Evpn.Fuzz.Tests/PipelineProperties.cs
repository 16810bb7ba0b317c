using CsCheck;
using Evpn.Rib;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Tests;

/// <summary>The pipeline from one peer to others with other capabilities: an UPDATE decoded from a peer with 4-octet
/// AS numbers, extended messages (RFC 8654) and add-path (RFC 7911), through the RIB and export, packed for peers
/// without extended messages, with 2-octet AS numbers, or with add-path. Every message packed fits the receiving
/// peer's maximum length and decodes there without error to the routes exported, or the route is withheld (and
/// then withdrawn); a route is to be withheld only when an UPDATE of it alone would not fit.</summary>
public class PipelineProperties
{
    private const uint LocalAs = 65000;
    private const uint SourceAs = 4_200_000_001;
    private static readonly AfiSafi[] Evpn = [AfiSafi.L2vpnEvpn];

    private static readonly PeerSession Source = new(IpAddr.Parse("10.0.0.11"), SourceAs, IpAddr.Parse("10.0.0.11"), false, Evpn);
    private static readonly DecodeContext FromSource = DecodeContext.FourOctetAs with
    {
        ExtendedMessage = true, AddPathReceive = Evpn, AddPathSend = Evpn, ExternalPeer = true, PeerAsn = SourceAs,
    };

    /// <summary>The peers the routes go to, each with what its session negotiated, as it decodes what we send.</summary>
    private static readonly (PeerSession Session, DecodeContext Context)[] Targets =
    [
        (new(IpAddr.Parse("10.0.0.21"), LocalAs, IpAddr.Parse("10.0.0.21"), true, Evpn), DecodeContext.FourOctetAs),
        (new(IpAddr.Parse("10.0.0.22"), 65022, IpAddr.Parse("10.0.0.22"), false, Evpn), DecodeContext.Default with { ExternalPeer = true, PeerAsn = LocalAs }),
        (new(IpAddr.Parse("10.0.0.23"), LocalAs, IpAddr.Parse("10.0.0.23"), true, Evpn),
            DecodeContext.FourOctetAs with { ExtendedMessage = true, AddPathReceive = Evpn, AddPathSend = Evpn }),
    ];

    private static readonly Gen<EvpnRoute> Route = Gen.OneOf(EvpnRouteGen.Type2, EvpnRouteGen.Type3);

    /// <summary>Attributes from the source: its AS first, then ASNs of either size; an unknown optional transitive
    /// attribute of up to 6,000 octets pushes UPDATEs past 4,096.</summary>
    private static readonly Gen<PathAttributes> Attributes = Gen.Select(Gen.UInt.Array[0, 4], Gen.Int[0, 6000], Gen.UInt[0, 3],
        (asns, size, sequence) => PathAttributes.Empty with
        {
            Origin = Origin.Igp,
            AsPath = new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, asns.Where(a => a is not (0 or LocalAs or 65022)).Prepend(SourceAs).ToArray()) }),
            ExtendedCommunities = new[] { ExtendedCommunity.RouteTargetAs2(65000, 100), ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.MacMobility(sequence, false) },
            Unrecognized = size == 0 ? EquatableArray<RawAttribute>.Empty : new[] { new RawAttribute(0xC0, 0xF1, new byte[size]) },
        });

    [Fact]
    public void What_one_peer_sends_reaches_peers_of_other_capabilities_in_updates_they_can_read_or_is_withheld() =>
        Run(requireWithheldNotToFit: false);

    [Fact]
    public void A_route_is_withheld_only_when_an_update_of_it_alone_would_not_fit() => Run(requireWithheldNotToFit: true);

    private static void Run(bool requireWithheldNotToFit) =>
        Gen.Select(Route.ArrayUnique[1, 40], Attributes).Sample((routes, attributes) =>
        {
            var nextHop = IpAddr.Parse("10.1.0.11");
            var sent = UpdateMessage.Announce(AfiSafi.L2vpnEvpn, nextHop, attributes, routes.Select((r, i) => Nlri.ForEvpn(r, (uint)i + 1)).ToArray());
            var bytes = BgpEncoder.Encode(sent, FromSource);
            var received = BgpDecoder.Decode(bytes, FromSource);
            Assert.True(received.Errors.IsEmpty, $"the source's UPDATE does not decode: {string.Join("; ", received.Errors)}");
            var update = (UpdateMessage)received.Message!;

            var rib = new Rib.Rib(new RibOptions(LocalAs, IpAddr.Parse("10.0.0.1")));
            rib.PeerUp(Source);
            foreach (var (session, _) in Targets)
            {
                rib.PeerUp(session);
            }
            rib.Receive(Source.Address, [.. update.MpReach!.Nlri], update.Attributes, update.MpReach.NextHop);
            rib.ProcessChanges([]);
            foreach (var (session, context) in Targets)
            {
                CheckSentTo(rib, session, context, routes, requireWithheldNotToFit);
            }
        }, iter: 300);

    private static void CheckSentTo(Rib.Rib rib, PeerSession target, DecodeContext context, EvpnRoute[] routes, bool requireWithheldNotToFit)
    {
        var announced = new HashSet<EvpnRoute>();
        var withheld = new HashSet<EvpnRoute>();
        while (rib.TakeOutbound(target.Address) is { } outbound)
        {
            var packed = outbound.ToMessages(context);
            withheld.UnionWith(packed.Withheld);
            foreach (var message in packed.Messages)
            {
                var bytes = BgpEncoder.Encode(message, Unbounded(context));
                Assert.True(bytes.Length <= context.MaxMessageLength, $"to {target.Address}: an UPDATE of {bytes.Length} octets, at most {context.MaxMessageLength}");
                var decoded = BgpDecoder.Decode(bytes, context);
                Assert.True(decoded.Errors.IsEmpty, $"to {target.Address}: {string.Join("; ", decoded.Errors)}");
                if (((UpdateMessage)decoded.Message!).MpReach is { } reach)
                {
                    announced.UnionWith(reach.Nlri.Select(n => n.Evpn!));
                }
            }
            foreach (var group in requireWithheldNotToFit ? outbound.Announcements : [])
            {
                foreach (var route in group.Routes.Where(withheld.Contains))
                {
                    var alone = UpdateMessage.Announce(AfiSafi.L2vpnEvpn, group.NextHop, group.Attributes, new[] { Nlri.ForEvpn(route) });
                    Assert.True(BgpEncoder.Encode(alone, Unbounded(context)).Length > context.MaxMessageLength, $"to {target.Address}: {route} withheld though it fits");
                }
            }
        }
        Assert.False(announced.Overlaps(withheld), $"to {target.Address}: a route both announced and withheld");
        Assert.True(announced.Union(withheld).ToHashSet().SetEquals(routes), $"to {target.Address}: {announced.Count} announced and {withheld.Count} withheld of {routes.Length}");
    }

    /// <summary>The same encoding without the length limit, so that an UPDATE too long for the peer is measured, not refused.</summary>
    private static DecodeContext Unbounded(DecodeContext context) => context with { ExtendedMessage = true };
}
