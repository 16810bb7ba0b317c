using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>RFC 7911 section 5 over a real connection: the engine offers ADD-PATH receive for L2VPN EVPN only when
/// configured, and reads path identifiers only when the peer offered send in its OPEN.</summary>
public class AddPathNegotiationTests
{
    public static TheoryData<bool, AddPathDirection, bool> Offers => new()
    {
        { true, AddPathDirection.Send, true },
        { true, AddPathDirection.Both, true },
        { true, AddPathDirection.Receive, false },
        { true, AddPathDirection.None, false },
        { false, AddPathDirection.Send, false },
    };

    [Theory]
    [MemberData(nameof(Offers))]
    public async Task Path_identifiers_are_read_only_when_we_offer_receive_and_the_peer_offers_send(bool configured, AddPathDirection peerOffers, bool negotiated)
    {
        var (engine, peer, rawAddress) = await RawPeerTests.PassiveEngineAsync(o => o with { AddPathReceive = configured });
        await using (engine)
        {
            await using var raw = await RawPeerTests.ConnectAsync(engine, rawAddress);
            var open = RawBgpPeer.Open(65002, rawAddress);
            if (peerOffers != AddPathDirection.None)
            {
                open = OpenMessage.Create(65002, open.HoldTime, open.BgpIdentifier,
                    [.. open.Capabilities, new AddPathCapability(new[] { new AddPathFamily(AfiSafi.L2vpnEvpn, peerOffers) })]);
            }
            var ours = await raw.HandshakeAsync(open);
            var offered = ours.Find<AddPathCapability>();
            if (configured)
            {
                Assert.Equal(AddPathDirection.Receive, offered!.DirectionFor(AfiSafi.L2vpnEvpn));
                Assert.Single(offered.Families);
            }
            else
            {
                Assert.Null(offered);
            }
            var up = await engine.Sink.WaitFor<PeerEstablished>();
            Assert.Equal(negotiated, up.Session.Context.ReceivesPathId(AfiSafi.L2vpnEvpn));
            Assert.Equal(negotiated, raw.Context.SendsPathId(AfiSafi.L2vpnEvpn));
            // The engine never sends path identifiers: send is not offered.
            Assert.False(up.Session.Context.SendsPathId(AfiSafi.L2vpnEvpn));

            // Two paths of one route, as the raw peer encodes them for what was negotiated.
            var first = TwoSpeakerTests.Type3("10.0.0.9", 65002);
            var route = first.MpReach!.Nlri[0].Evpn!;
            await raw.SendAsync(first with { MpReach = first.MpReach with { Nlri = new[] { Nlri.ForEvpn(route, 1), Nlri.ForEvpn(route, 2) } } });
            var update = await engine.Sink.WaitFor<UpdateReceived>();
            Assert.Null(update.Error);
            var received = update.Update.MpReach!.Nlri;
            Assert.Equal(negotiated ? [1u, 2u] : [0u, 0u], received.Select(n => n.PathId));
            Assert.All(received, n => Assert.Equal(route, n.Evpn));
            Assert.Equal(Evpn.Session.Fsm.BgpState.Established, peer.State);
        }
    }
}
