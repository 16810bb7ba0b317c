using System.Net;
using Evpn.Session.Fsm;
using Evpn.Session.Options;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>The speaker's timers driven by <see cref="FakeTimeProvider"/> over a real loopback
/// connection: time moves only when the test says so.</summary>
public class ManualTimeSpeakerTests
{
    private readonly FakeTimeProvider _time = new();

    private async Task<(SpeakerHost Engine, BgpPeer Peer, RawBgpPeer Raw, string RawAddress)> StartAsync(TimeSpan? delayOpen = null)
    {
        var (engineAddress, rawAddress) = LoopbackAddresses.NextPair();
        var engine = new SpeakerHost(engineAddress, 65001, engineAddress, time: _time);
        var peer = await engine.AddPeer(new PeerOptions
        {
            Address = PeerAddress.Parse(rawAddress),
            RemoteAs = 65002,
            Passive = true,
            HoldTime = 9,
            DelayOpenTime = delayOpen,
        });
        var raw = await RawBgpPeer.ConnectAsync(IPAddress.Parse(rawAddress), new IPEndPoint(engine.Address, engine.Port));
        return (engine, peer, raw, rawAddress);
    }

    /// <summary>Waits (bounded, real time) for the loop to reach <paramref name="state"/>: inputs are handled
    /// asynchronously even though timers only fire on <see cref="FakeTimeProvider.Advance"/>.</summary>
    private static Task WaitForState(BgpPeer peer, BgpState state) =>
        Eventually.UntilAsync(() => peer.State == state, $"the peer in {state}", () => $"{peer.State}");

    private static Task WaitForMessagesReceived(SpeakerHost engine, BgpPeer peer, long count) =>
        Eventually.UntilAsync(async () => await engine.Speaker.InvokeAsync(_ => peer.Counters.MessagesReceived) >= count,
            $"the engine to read {count} messages", () => $"{peer.Counters.MessagesReceived} read");

    /// <summary>The peer's state once the loop has handled every input queued before this call (timer expiries
    /// included): what the loop made of them, not a look taken while they may still wait.</summary>
    private static Task<BgpState> StateAfterQueuedInputs(SpeakerHost engine, BgpPeer peer) =>
        engine.Speaker.InvokeAsync(_ => peer.State);

    /// <summary>Holds the engine's messages until <paramref name="until"/> and sends two KEEPALIVEs, which
    /// wait; returns how many messages the engine had taken before.</summary>
    private static async Task<long> HoldAndSendTwoKeepalivesAsync(SpeakerHost engine, BgpPeer peer, RawBgpPeer raw, Task until)
    {
        var before = await engine.Speaker.InvokeAsync(s =>
        {
            s.HoldMessagesUntil(until);
            return peer.Counters.MessagesReceived;
        });
        await raw.SendAsync(KeepaliveMessage.Instance);
        await raw.SendAsync(KeepaliveMessage.Instance);
        return before;
    }

    [Fact]
    public async Task Hold_timer_expires_exactly_after_the_negotiated_hold_time()
    {
        var (engine, peer, raw, rawAddress) = await StartAsync();
        await using (engine)
        await using (raw)
        {
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress, hold: 9));
            await WaitForState(peer, BgpState.Established);
            _time.Advance(TimeSpan.FromSeconds(3));
            await raw.ExpectAsync<KeepaliveMessage>();
            _time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(BgpState.Established, await StateAfterQueuedInputs(engine, peer));
            _time.Advance(TimeSpan.FromSeconds(1));
            var notification = await raw.ExpectAsync<NotificationMessage>();
            Assert.Equal(NotificationCode.HoldTimerExpired, notification.Code);
            await WaitForState(peer, BgpState.Idle);
        }
    }

    [Fact]
    public async Task Received_keepalives_push_the_hold_timer_back()
    {
        var (engine, peer, raw, rawAddress) = await StartAsync();
        await using (engine)
        await using (raw)
        {
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress, hold: 9));
            await WaitForState(peer, BgpState.Established);
            for (var i = 0; i < 6; i++)
            {
                _time.Advance(TimeSpan.FromSeconds(3));
                var received = await engine.Speaker.InvokeAsync(_ => peer.Counters.MessagesReceived);
                await raw.SendAsync(KeepaliveMessage.Instance);
                await raw.ExpectAsync<KeepaliveMessage>();
                // Time must not move on before the engine has read our KEEPALIVE: two unread ones and the
                // manual clock would expire the hold timer that real time never would.
                await WaitForMessagesReceived(engine, peer, received + 1);
            }
            Assert.Equal(BgpState.Established, peer.State);
        }
    }

    [Fact]
    public async Task Held_messages_wait_until_resumed_while_commands_and_timers_run_on()
    {
        var (engine, peer, raw, rawAddress) = await StartAsync();
        await using (engine)
        await using (raw)
        {
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress, hold: 9));
            await WaitForState(peer, BgpState.Established);
            var resume = new TaskCompletionSource();
            var before = await HoldAndSendTwoKeepalivesAsync(engine, peer, raw, resume.Task);
            // The keepalive timer (3 s of 9) is a control input: it fires and is answered while messages wait.
            _time.Advance(TimeSpan.FromSeconds(3));
            await raw.ExpectAsync<KeepaliveMessage>();
            Assert.Equal(before, await engine.Speaker.InvokeAsync(_ => peer.Counters.MessagesReceived));
            resume.SetResult();
            await WaitForMessagesReceived(engine, peer, before + 2);
            Assert.Equal(BgpState.Established, peer.State);
        }
    }

    [Fact]
    public async Task A_hold_asked_for_before_a_message_went_through_since_the_last_one_is_not_made()
    {
        var (engine, peer, raw, rawAddress) = await StartAsync();
        await using (engine)
        await using (raw)
        {
            await raw.HandshakeAsync(RawBgpPeer.Open(65002, rawAddress, hold: 9));
            await WaitForState(peer, BgpState.Established);
            var first = new TaskCompletionSource();
            var before = await HoldAndSendTwoKeepalivesAsync(engine, peer, raw, first.Task);
            // The first hold ends and a second is asked for at once, before any message was taken: not made.
            var never = new TaskCompletionSource();
            await engine.Speaker.InvokeAsync(s =>
            {
                first.SetResult();
                s.HoldMessagesUntil(never.Task);
            });
            await WaitForMessagesReceived(engine, peer, before + 2);
        }
    }

    [Fact]
    public async Task Delay_open_waits_for_the_peers_open_and_answers_it()
    {
        var (engine, peer, raw, rawAddress) = await StartAsync(delayOpen: TimeSpan.FromSeconds(5));
        await using (engine)
        await using (raw)
        {
            await WaitForState(peer, BgpState.Active);
            await raw.SendAsync(RawBgpPeer.Open(65002, rawAddress, hold: 9));
            await raw.ExpectAsync<OpenMessage>();
            await raw.ExpectAsync<KeepaliveMessage>();
            await WaitForState(peer, BgpState.OpenConfirm);
        }
    }

    [Fact]
    public async Task Delay_open_sends_open_when_the_timer_expires()
    {
        var (engine, peer, raw, rawAddress) = await StartAsync(delayOpen: TimeSpan.FromSeconds(5));
        await using (engine)
        await using (raw)
        {
            // The delay-open timer starts when the loop takes the connection: time moves on only after that.
            await Eventually.UntilAsync(async () => await engine.Speaker.InvokeAsync(_ => peer.RemoteEndPoint is not null),
                "the engine to take the raw peer's connection");
            Assert.Equal(BgpState.Active, peer.State);
            _time.Advance(TimeSpan.FromSeconds(5));
            await raw.ExpectAsync<OpenMessage>();
            await WaitForState(peer, BgpState.OpenSent);
        }
    }
}
