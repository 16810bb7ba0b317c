using System.Net;
using System.Net.Sockets;
using Evpn.Session.Fsm;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>The engine against a scripted peer: OPEN errors, hold timer, Send Hold Timer, collision, RFC 7606.</summary>
public class RawPeerTests
{
    internal static async Task<(SpeakerHost Engine, BgpPeer Peer, string RawAddress)> PassiveEngineAsync(
        Func<Options.PeerOptions, Options.PeerOptions>? tune = null, uint remoteAs = 65002, ListLogger? logger = null,
        Func<Options.SpeakerOptions, Options.SpeakerOptions>? speaker = null)
    {
        var (engineAddress, rawAddress) = LoopbackAddresses.NextPair();
        var engine = new SpeakerHost(engineAddress, 65001, engineAddress, tune: speaker, logger: logger);
        var options = new Options.PeerOptions
        {
            Address = PeerAddress.Parse(rawAddress),
            RemoteAs = remoteAs,
            Passive = true,
            HoldTime = 9,
            IdleHold = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)),
        };
        var peer = await engine.AddPeer((tune ?? (o => o))(options));
        return (engine, peer, rawAddress);
    }

    internal static Task<RawBgpPeer> ConnectAsync(SpeakerHost engine, string rawAddress, int? receiveBuffer = null) =>
        RawBgpPeer.ConnectAsync(IPAddress.Parse(rawAddress), new IPEndPoint(engine.Address, engine.Port), receiveBuffer);

    public static TheoryData<string, byte, byte[]?> BadOpens => new()
    {
        { "version", OpenMessageErrorSubcode.UnsupportedVersionNumber, new byte[] { 0, 4 } },
        { "as", OpenMessageErrorSubcode.BadPeerAs, null },
        { "hold", OpenMessageErrorSubcode.UnacceptableHoldTime, null },
        { "zero-id", OpenMessageErrorSubcode.BadBgpIdentifier, null },
        { "no-evpn", OpenMessageErrorSubcode.UnsupportedCapability, new byte[] { 1, 4, 0, 25, 0, 70 } },
    };

    [Theory]
    [MemberData(nameof(BadOpens))]
    public async Task Bad_open_is_answered_with_the_matching_notification(string what, byte subcode, byte[]? data)
    {
        var (engine, peer, rawAddress) = await PassiveEngineAsync();
        await using (engine)
        {
            await using var raw = await ConnectAsync(engine, rawAddress);
            var open = RawBgpPeer.Open(65002, rawAddress);
            open = what switch
            {
                "version" => open with { Version = 3 },
                "as" => RawBgpPeer.Open(65003, rawAddress),
                "hold" => open with { HoldTime = 2 },
                "zero-id" => open with { BgpIdentifier = 0 },
                _ => RawBgpPeer.Open(65002, rawAddress, 9, AfiSafi.Ipv6Unicast),
            };
            await raw.SendAsync(open);
            var notification = await raw.ExpectAsync<NotificationMessage>();
            Assert.Equal(NotificationCode.OpenMessageError, notification.Code);
            Assert.Equal(subcode, notification.Subcode);
            if (data is not null)
            {
                Assert.Equal(data, notification.Data.ToArray());
            }
            Assert.Null(await raw.ReceiveAsync());
            Assert.NotEqual(BgpState.Established, peer.State);
        }
    }

    [Fact]
    public async Task Same_identifier_inside_the_as_is_a_bad_bgp_identifier()
    {
        var (engine, _, rawAddress) = await PassiveEngineAsync(remoteAs: 65001);
        await using (engine)
        {
            await using var raw = await ConnectAsync(engine, rawAddress);
            await raw.SendAsync(RawBgpPeer.Open(65001, engine.Address.ToString()));
            var notification = await raw.ExpectAsync<NotificationMessage>();
            Assert.Equal(OpenMessageErrorSubcode.BadBgpIdentifier, notification.Subcode);
        }
    }

    [Fact]
    public async Task Ipv6_transport_establishes()
    {
        await using var engine = new SpeakerHost("::1", 65001, "10.66.66.1");
        var peer = await engine.AddPeer(new Options.PeerOptions { Address = PeerAddress.Parse("::1"), RemoteAs = 65002, Passive = true, HoldTime = 9 });
        await using var raw = await RawBgpPeer.ConnectAsync(IPAddress.IPv6Loopback, new IPEndPoint(IPAddress.IPv6Loopback, engine.Port));
        await raw.HandshakeAsync(RawBgpPeer.Open(65002, "10.66.66.2"));
        var up = await engine.Sink.WaitFor<PeerEstablished>();
        Assert.Equal(PeerAddress.Parse("::1"), up.Peer.Address);
        Assert.Equal(BgpState.Established, peer.State);
    }

    [Fact]
    public async Task Silent_peer_hold_timer_expires_with_notification_4()
    {
        var (engine, peer, rawAddress) = await PassiveEngineAsync(o => o with { HoldTime = 3 });
        await using (engine)
        {
            await using var raw = await ConnectAsync(engine, rawAddress);
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress, hold: 3));
            await engine.Sink.WaitFor<PeerEstablished>();
            var notification = await raw.ExpectAsync<NotificationMessage>(seconds: 10);
            Assert.Equal(NotificationCode.HoldTimerExpired, notification.Code);
            var down = await engine.Sink.WaitFor<PeerDown>();
            Assert.Equal("hold timer expired", down.Reason);
            Assert.Null(down.Retained);
        }
    }

    /// <summary>RFC 7313: requests that arrive while a re-send is under way restart it (the daemon's Adj-RIB-Out
    /// coalesces them); the peer sees one BoRR, then one EoRR when the re-send completes.</summary>
    [Fact]
    public async Task Refresh_requests_during_a_refresh_get_one_borr_and_one_eorr()
    {
        var (engine, peer, rawAddress) = await PassiveEngineAsync();
        await using (engine)
        {
            await using var raw = await ConnectAsync(engine, rawAddress);
            var plain = RawBgpPeer.Open(65002, rawAddress);
            await raw.HandshakeAsync(OpenMessage.Create(65002, plain.HoldTime, plain.BgpIdentifier, [.. plain.Capabilities, new EnhancedRouteRefreshCapability()]));
            await engine.Sink.WaitFor<PeerEstablished>();

            for (var i = 0; i < 3; i++)
            {
                await raw.SendAsync(new RouteRefreshMessage(AfiSafi.L2vpnEvpn));
                await engine.Sink.WaitFor<RouteRefreshRequested>();
            }
            await engine.Speaker.InvokeAsync(s => s.CompleteRouteRefresh(peer, AfiSafi.L2vpnEvpn));

            var markers = new List<RouteRefreshSubtype>();
            while (markers.Count < 2)
            {
                markers.Add((await raw.ExpectAsync<RouteRefreshMessage>()).Subtype);
            }
            Assert.Equal([RouteRefreshSubtype.BeginningOfRefresh, RouteRefreshSubtype.EndOfRefresh], markers);
        }
    }

    [Fact]
    public async Task Peer_that_stops_reading_is_dropped_by_send_hold_timer()
    {
        var (engine, peer, rawAddress) = await PassiveEngineAsync(o => o with { SendHoldTime = TimeSpan.FromSeconds(2), HoldTime = 240 });
        await using (engine)
        {
            var sent = 0;
            engine.Sink.React = (speaker, e) =>
            {
                if (e is PeerEstablished or PeerWritable)
                {
                    while (speaker.TrySendUpdate(peer, TwoSpeakerTests.Type3($"10.{sent / 65536 % 256}.{sent / 256 % 256}.{sent % 256}")))
                    {
                        sent++;
                    }
                }
            };
            await using var raw = await ConnectAsync(engine, rawAddress, receiveBuffer: 4096);
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress, hold: 240));
            // From here on the peer never reads again.
            var down = await engine.Sink.WaitFor<PeerDown>(seconds: 30);
            Assert.Equal("send hold timer expired", down.Reason);
            Assert.True(sent > 1000);
        }
    }

    [Theory]
    [InlineData("200.0.0.1", true)]
    [InlineData("0.0.0.1", false)]
    public async Task Collision_keeps_the_connection_of_the_higher_identifier(string rawRouterId, bool keepInbound)
    {
        await using var active = await ActiveEngine.StartAsync();
        var (engine, peer, listener, rawAddress) = active;
        // The engine connects out and sends its OPEN; the raw peer then connects in as well.
        await using var outbound = await RawBgpPeer.AcceptAsync(listener);
        await outbound.ExpectAsync<OpenMessage>();
        await using var inbound = await ConnectAsync(engine, rawAddress);
        await inbound.ExpectAsync<OpenMessage>();
        var open = RawBgpPeer.Open(65002, rawRouterId);
        await inbound.SendAsync(open);

        var (kept, dumped) = keepInbound ? (inbound, outbound) : (outbound, inbound);
        var cease = await dumped.ExpectAsync<NotificationMessage>();
        Assert.Equal(NotificationCode.Cease, cease.Code);
        Assert.Equal(CeaseSubcode.ConnectionCollisionResolution, cease.Subcode);
        if (!keepInbound)
        {
            await kept.SendAsync(open);
        }
        await kept.ExpectAsync<KeepaliveMessage>();
        await kept.SendAsync(KeepaliveMessage.Instance);
        await engine.Sink.WaitFor<PeerEstablished>();
        Assert.Equal(BgpState.Established, peer.State);
    }

    [Fact]
    public async Task A_collision_with_an_established_session_closes_the_new_connection_whatever_the_identifiers()
    {
        await using var active = await ActiveEngine.StartAsync();
        var (engine, peer, listener, rawAddress) = active;
        // The raw peer's identifier is the higher: without the Established session its inbound connection would stay.
        var open = RawBgpPeer.Open(65002, "200.0.0.1");
        await using var outbound = await RawBgpPeer.AcceptAsync(listener);
        await outbound.ExpectAsync<OpenMessage>();
        await outbound.SendAsync(open);
        await outbound.ExpectAsync<KeepaliveMessage>();
        // The second connection arrives in OpenConfirm, and its OPEN only once the first is Established.
        await using var inbound = await ConnectAsync(engine, rawAddress);
        await inbound.ExpectAsync<OpenMessage>();
        await outbound.SendAsync(KeepaliveMessage.Instance);
        await engine.Sink.WaitFor<PeerEstablished>();
        await inbound.SendAsync(open);

        var cease = await inbound.ExpectAsync<NotificationMessage>();
        Assert.Equal((NotificationCode.Cease, CeaseSubcode.ConnectionCollisionResolution), (cease.Code, cease.Subcode));
        Assert.Null(await inbound.ReceiveAsync());
        Assert.Equal((BgpState.Established, outbound.LocalEndPoint), await engine.Speaker.InvokeAsync(_ => (peer.State, peer.RemoteEndPoint)));
    }

    [Fact]
    public async Task Invalid_origin_is_treated_as_withdraw_counted_each_time_logged_once_and_the_session_stays_up()
    {
        var log = new ListLogger();
        var (engine, peer, rawAddress) = await PassiveEngineAsync(logger: log);
        await using (engine)
        {
            await using var raw = await ConnectAsync(engine, rawAddress);
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress));
            await engine.Sink.WaitFor<PeerEstablished>();
            var bytes = BgpEncoder.Encode(TwoSpeakerTests.Type3("10.0.0.9", 65002), raw.Context);
            var origin = bytes.AsSpan().IndexOf(new byte[] { 0x40, 0x01, 0x01, 0x00 });
            Assert.True(origin > 0);
            bytes[origin + 3] = 7;
            await raw.SendRawAsync(bytes);
            await raw.SendRawAsync(bytes);
            var first = await engine.Sink.WaitFor<UpdateReceived>();
            Assert.Equal(ErrorAction.TreatAsWithdraw, first.Error!.Action);
            Assert.Null(first.Update.MpReach);
            Assert.Single(first.Update.MpUnreach!.Nlri);
            await engine.Sink.WaitFor<UpdateReceived>();
            Assert.Equal(2, peer.Counters.TreatedAsWithdraw);
            Assert.Equal(BgpState.Established, peer.State);
            Assert.Single(log.Lines, l => l.Contains("TreatAsWithdraw") && l.Contains(rawAddress));
        }
    }

    [Fact]
    public async Task The_update_check_the_speaker_was_built_with_makes_a_well_formed_update_treat_as_withdraw()
    {
        var refusal = new BgpError(ErrorAction.TreatAsWithdraw, NotificationCode.UpdateMessageError, UpdateMessageErrorSubcode.InvalidNextHopAttribute,
            EquatableArray<byte>.Empty, "next hop refused by the receiver");
        var (engine, peer, rawAddress) = await PassiveEngineAsync(speaker: o => o with { UpdateCheck = u => u.MpReach is null ? null : refusal });
        await using (engine)
        {
            await using var raw = await ConnectAsync(engine, rawAddress);
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress));
            await engine.Sink.WaitFor<PeerEstablished>();
            await raw.SendAsync(TwoSpeakerTests.Type3("10.0.0.9", 65002));
            var received = await engine.Sink.WaitFor<UpdateReceived>();
            Assert.Same(refusal, received.Error);
            Assert.Null(received.Update.MpReach);
            Assert.Single(received.Update.MpUnreach!.Nlri);
            Assert.Equal(1, peer.Counters.TreatedAsWithdraw);
            Assert.Equal(BgpState.Established, peer.State);
        }
    }

    [Fact]
    public async Task Malformed_attribute_list_resets_the_session_with_notification_3()
    {
        var (engine, peer, rawAddress) = await PassiveEngineAsync();
        await using (engine)
        {
            await using var raw = await ConnectAsync(engine, rawAddress);
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress));
            await engine.Sink.WaitFor<PeerEstablished>();
            var bytes = BgpEncoder.Encode(TwoSpeakerTests.Type3("10.0.0.9", 65002), raw.Context);
            // Withdrawn Routes Length at 19..20, Total Path Attribute Length at 21..22: claim one octet more.
            bytes[22]++;
            await raw.SendRawAsync(bytes);
            var notification = await raw.ExpectAsync<NotificationMessage>();
            Assert.Equal(NotificationCode.UpdateMessageError, notification.Code);
            var down = await engine.Sink.WaitFor<PeerDown>();
            Assert.Equal(notification, down.Notification);
        }
    }
}
