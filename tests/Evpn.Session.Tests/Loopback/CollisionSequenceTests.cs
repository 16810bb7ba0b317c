using System.Net;
using System.Net.Sockets;
using Evpn.Session.Fsm;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>RFC 4271 section 6.8 through a running speaker: a raw peer answers the speaker's outbound connection and
/// opens an inbound one as well, and the two OPEN exchanges interleave at random (the order of connecting, OPENs and
/// KEEPALIVEs across the two, with or without waiting for the speaker in between), with a BGP identifier above or
/// below the speaker's. After every step the speaker has reported at most one session Established, and never a session
/// lost (the raw peer does nothing wrong); at the end exactly one connection carries the Established session and the
/// other got Cease / Connection Collision Resolution (6/7) and was closed. When both OPENs arrived before any
/// KEEPALIVE the higher identifier's connection stays; when the session was seen Established before the second OPEN
/// was sent, the Established connection stays. A failure names the seed: EVPN_COLLISION_SEED=seed replays the run.</summary>
public class CollisionSequenceTests
{
    /// <summary>Sequences per run: each is a new speaker and two connections, tens of milliseconds.</summary>
    private const int Sequences = 24;

    private enum Step { Connect, Open, Keepalive }

    [Fact]
    public async Task Random_interleavings_of_two_connections_for_one_peer_leave_one_session_and_cease_7_for_the_other()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("EVPN_COLLISION_SEED"), out var given) ? given : Random.Shared.Next();
        for (var i = 0; i < Sequences; i++)
        {
            var random = new Random(seed + i);
            var log = new List<string>();
            try
            {
                await RunAsync(random, log);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}, sequence {i}: {string.Join("; ", log)}\n{e}");
            }
        }
    }

    /// <summary>One of the raw peer's two connections to the speaker, as the raw peer sees it.</summary>
    private sealed class Side(string name)
    {
        public string Name { get; } = name;
        public RawBgpPeer? Raw { get; set; }
        public OpenMessage? EngineOpen { get; set; }
        public bool OpenSent { get; set; }
        public NotificationMessage? Notification { get; set; }
        public bool Closed { get; set; }
        public bool Lost => Notification is not null || Closed;
        public override string ToString() => Name;
    }

    private static async Task RunAsync(Random random, List<string> log)
    {
        // The speaker's identifier is its 127.x address: 200.0.0.1 is above it, 1.0.0.1 below.
        var rawHigher = random.Next(2) == 0;
        var rawId = rawHigher ? "200.0.0.1" : "1.0.0.1";
        log.Add($"raw identifier {rawId}");
        await using var active = await ActiveEngine.StartAsync();
        var (engine, peer, listener, rawAddress) = active;
        // Every session event in the order the speaker reported it, on its loop (none comes before Established).
        var events = new List<SessionEvent>();
        engine.Sink.React = (_, e) =>
        {
            lock (events)
            {
                events.Add(e);
            }
        };
        var inbound = new Side("inbound");
        var outbound = new Side("outbound");
        try
        {
            var ours = RawBgpPeer.Open(65002, rawId);
            var establishedBeforeSecondOpen = false;
            Side? establishedSeen = null;
            var keepaliveBeforeBothOpens = false;
            foreach (var (side, step) in Interleave(random, inbound, outbound))
            {
                var other = side == inbound ? outbound : inbound;
                log.Add($"{side} {step}");
                switch (step)
                {
                    case Step.Connect when side == inbound:
                        side.Raw = await RawPeerTests.ConnectAsync(engine, rawAddress);
                        break;
                    case Step.Connect:
                        side.Raw = await RawBgpPeer.AcceptAsync(listener);
                        break;
                    case Step.Open:
                        // A peer sends its OPEN once the speaker's arrived; the speaker may instead end the connection.
                        side.EngineOpen ??= await ReadUntilAsync(side, m => m is OpenMessage) as OpenMessage;
                        if (side.EngineOpen is { } theirs)
                        {
                            if (other.OpenSent && establishedSeen == other)
                            {
                                establishedBeforeSecondOpen = true;
                            }
                            await SendAsync(side, ours);
                            side.OpenSent = true;
                            side.Raw!.Context = DecodeContext.Negotiate(ours, theirs);
                        }
                        break;
                    case Step.Keepalive:
                        if (side.OpenSent && !side.Lost)
                        {
                            keepaliveBeforeBothOpens |= !other.OpenSent;
                            await SendAsync(side, KeepaliveMessage.Instance);
                        }
                        break;
                }
                // Half the time the raw peer waits for the speaker's answer to the step before going on.
                if (random.Next(2) == 0 && !side.Lost)
                {
                    var answered = await AnswerAsync(engine, peer, side, step);
                    log.Add($"waited: {answered}");
                    if (answered == "Established")
                    {
                        establishedSeen = side;
                    }
                }
                CheckOneSession(events);
            }

            // Every step is taken, so the speaker has both OPENs coming: it ends Established on one connection with
            // the collision resolved (no candidate left).
            IPEndPoint? remote = null;
            await Eventually.UntilAsync(async () =>
            {
                var (state, connection, candidate) = await engine.Speaker.InvokeAsync(_ => (peer.State, peer.Connection?.Remote, peer.Candidate));
                remote = connection;
                return state == BgpState.Established && candidate is null;
            }, "the session Established and the collision resolved", () => $"{peer.State} on {remote}", TimeSpan.FromSeconds(15));
            var survivor = Is(inbound, remote) ? inbound : Is(outbound, remote) ? outbound
                : throw new Xunit.Sdk.XunitException($"the session runs on {remote}, neither of the raw peer's connections");
            var loser = survivor == inbound ? outbound : inbound;
            log.Add($"survivor {survivor}");
            if (!loser.Lost)
            {
                await ReadUntilAsync(loser, m => m is NotificationMessage);
            }
            Assert.NotNull(loser.Notification);
            Assert.Equal((NotificationCode.Cease, CeaseSubcode.ConnectionCollisionResolution), (loser.Notification.Code, loser.Notification.Subcode));
            if (!loser.Closed)
            {
                await ReadUntilAsync(loser, _ => false);
            }
            Assert.True(loser.Closed);
            Assert.Null(survivor.Notification);
            Assert.False(survivor.Closed);
            CheckOneSession(events);
            // RFC 4271 section 6.8: with both OPENs in before any KEEPALIVE the higher identifier's connection stays
            // (the one the raw peer opened when its identifier is higher); a collision with an Established session
            // closes the new connection.
            if (!keepaliveBeforeBothOpens)
            {
                Assert.Equal(rawHigher ? inbound : outbound, survivor);
            }
            if (establishedBeforeSecondOpen)
            {
                Assert.Equal(establishedSeen, survivor);
            }
        }
        finally
        {
            await DisposeAsync(inbound);
            await DisposeAsync(outbound);
        }
    }

    /// <summary>The raw peer's steps on each connection, in order (connect, OPEN, KEEPALIVE), the two merged at random.</summary>
    private static List<(Side Side, Step Step)> Interleave(Random random, Side inbound, Side outbound)
    {
        var steps = new List<(Side, Step)>();
        int a = 0, b = 0;
        while (a < 3 || b < 3)
        {
            if (b == 3 || (a < 3 && random.Next(2) == 0))
            {
                steps.Add((inbound, (Step)a++));
            }
            else
            {
                steps.Add((outbound, (Step)b++));
            }
        }
        return steps;
    }

    /// <summary>The speaker's answer to <paramref name="step"/> on <paramref name="side"/>: its OPEN to a new connection,
    /// its KEEPALIVE to an OPEN, the session Established on this connection after a KEEPALIVE; or the connection ended.</summary>
    private static async Task<string> AnswerAsync(SpeakerHost engine, BgpPeer peer, Side side, Step step)
    {
        switch (step)
        {
            case Step.Connect:
                side.EngineOpen = await ReadUntilAsync(side, m => m is OpenMessage) as OpenMessage;
                return side.EngineOpen is null ? "ended" : "OPEN";
            case Step.Open when side.OpenSent:
                return await ReadUntilAsync(side, m => m is KeepaliveMessage) is null ? "ended" : "KEEPALIVE";
            case Step.Keepalive when side.OpenSent:
                // The speaker has handled the KEEPALIVE once the session is Established on this connection or the
                // connection is no longer the peer's (its NOTIFICATION is read later): asked on its loop until then.
                var answer = "";
                await Eventually.UntilAsync(async () =>
                {
                    var (state, connection, candidate) = await engine.Speaker.InvokeAsync(_ => (peer.State, peer.Connection?.Remote, peer.Candidate?.Remote));
                    answer = state == BgpState.Established && Is(side, connection) ? "Established"
                        : !Is(side, connection) && !Is(side, candidate) ? "dropped" : "";
                    return answer != "";
                }, $"the KEEPALIVE on the {side} connection handled");
                return answer;
            default:
                return "nothing to wait for";
        }
    }

    /// <summary>Reads <paramref name="side"/> until a message <paramref name="wanted"/> (returned), a NOTIFICATION or the
    /// end of the connection (recorded on the side, null returned). A reset after the NOTIFICATION is an end too.</summary>
    private static async Task<BgpMessage?> ReadUntilAsync(Side side, Func<BgpMessage, bool> wanted)
    {
        while (!side.Closed)
        {
            BgpMessage? message;
            try
            {
                message = await side.Raw!.ReceiveAsync();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                message = null;
            }
            if (message is null)
            {
                side.Closed = true;
                return null;
            }
            if (message is NotificationMessage notification)
            {
                Assert.Null(side.Notification);
                side.Notification = notification;
            }
            if (wanted(message))
            {
                return message;
            }
            if (side.Notification is not null && message is not NotificationMessage)
            {
                Assert.Fail($"{side}: {message} after the NOTIFICATION");
            }
        }
        return null;
    }

    /// <summary>Sends on a connection the speaker may have closed meanwhile: the NOTIFICATION, if any, is read later.</summary>
    private static async Task SendAsync(Side side, BgpMessage message)
    {
        try
        {
            await side.Raw!.SendAsync(message);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
        }
    }

    /// <summary>At every point: at most one Established session reported, and no session lost.</summary>
    private static void CheckOneSession(List<SessionEvent> events)
    {
        lock (events)
        {
            Assert.True(events.OfType<PeerEstablished>().Count() <= 1, $"two sessions Established: {string.Join(", ", events.Select(e => e.GetType().Name))}");
            Assert.Empty(events.OfType<PeerDown>());
        }
    }

    /// <summary>Whether the speaker's connection to <paramref name="remote"/> is the raw peer's <paramref name="side"/>.</summary>
    private static bool Is(Side side, IPEndPoint? remote) => side.Raw is { } raw && raw.LocalEndPoint.Equals(remote);

    private static async Task DisposeAsync(Side side)
    {
        if (side.Raw is { } raw)
        {
            await raw.DisposeAsync();
        }
    }
}
