using System.Net;
using Evpn.Session.Fsm;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>The speaker loop's guard: an exception while handling one peer's input resets that peer with a Cease
/// and the loop goes on with the others; one outside any peer's handling ends the loop with that exception.</summary>
public class LoopFaultTests
{
    [Fact]
    public async Task An_exception_handling_one_peers_update_resets_that_peer_with_a_cease_and_the_other_goes_on()
    {
        var (engineAddress, faultyAddress) = LoopbackAddresses.NextPair();
        var (_, healthyAddress) = LoopbackAddresses.NextPair();
        var log = new ListLogger();
        await using var engine = new SpeakerHost(engineAddress, 65001, engineAddress, logger: log);
        // The application's handler of UPDATEs fails for one peer only: a defect reached through that peer's input.
        engine.Sink.React = (_, e) =>
        {
            if (e is UpdateReceived u && u.Peer.Address == PeerAddress.Parse(faultyAddress))
            {
                throw new InvalidOperationException("handler failed for this peer");
            }
        };
        var faulty = await engine.AddPeer(Passive(faultyAddress, 65002));
        var healthy = await engine.AddPeer(Passive(healthyAddress, 65003));
        await using var rawFaulty = await RawBgpPeer.ConnectAsync(IPAddress.Parse(faultyAddress), new IPEndPoint(engine.Address, engine.Port));
        await using var rawHealthy = await RawBgpPeer.ConnectAsync(IPAddress.Parse(healthyAddress), new IPEndPoint(engine.Address, engine.Port));
        await rawFaulty.HandshakeAsync(RawBgpPeer.Open(65002, faultyAddress, hold: 90));
        await rawHealthy.HandshakeAsync(RawBgpPeer.Open(65003, healthyAddress, hold: 90));

        await rawFaulty.SendAsync(TwoSpeakerTests.Type3("10.0.0.2", 65002));

        var cease = await rawFaulty.ExpectAsync<NotificationMessage>();
        Assert.Equal((NotificationCode.Cease, CeaseSubcode.AdministrativeReset), (cease.Code, cease.Subcode));
        Assert.Equal("evpnd internal error", cease.ShutdownCommunication);
        Assert.Null(await rawFaulty.ReceiveAsync());
        var down = await engine.Sink.WaitFor<PeerDown>(d => d.Peer == faulty);
        Assert.Equal(cease, down.Notification);
        Assert.StartsWith("internal error: InvalidOperationException: handler failed for this peer", faulty.LastDownReason);
        var logged = Assert.Single(log.Lines, l => l.Contains("internal error while handling", StringComparison.Ordinal));
        Assert.StartsWith("Error: ", logged);
        Assert.Contains(faultyAddress, logged);
        Assert.Contains("[InvalidOperationException: handler failed for this peer]", logged);

        // The loop goes on: the other peer's UPDATE is handled, its session stays up and is kept alive.
        await rawHealthy.SendAsync(TwoSpeakerTests.Type3("10.0.0.3", 65003));
        var update = await engine.Sink.WaitFor<UpdateReceived>(u => u.Peer == healthy);
        Assert.Equal(TwoSpeakerTests.Type3("10.0.0.3", 65003).MpReach!.Nlri, update.Update.MpReach!.Nlri);
        await rawHealthy.SendAsync(KeepaliveMessage.Instance);
        Assert.Equal(BgpState.Established, await engine.Speaker.InvokeAsync(_ => healthy.State));
        Assert.Null(healthy.LastNotificationSent);
    }

    [Fact]
    public async Task An_exception_outside_any_peers_handling_ends_the_loop_with_that_exception()
    {
        var (engineAddress, _) = LoopbackAddresses.NextPair();
        var engine = new SpeakerHost(engineAddress, 65001, engineAddress, restarting: true, deferral: TimeSpan.FromMilliseconds(200));
        await using (engine)
        {
            // The end of the selection deferral (RFC 4724 4.1) is the speaker's own timer, no peer's.
            engine.Sink.React = (_, e) =>
            {
                if (e is SelectionDeferralEnded)
                {
                    throw new InvalidOperationException("core failed");
                }
            };

            var fault = await engine.LoopFaultAsync();

            Assert.Equal("core failed", Assert.IsType<InvalidOperationException>(fault).Message);
        }
    }

    [Fact]
    public async Task A_posted_action_that_throws_ends_the_loop_instead_of_being_lost()
    {
        var (engineAddress, _) = LoopbackAddresses.NextPair();
        var engine = new SpeakerHost(engineAddress, 65001, engineAddress);
        await using (engine)
        {
            engine.Speaker.Post(_ => throw new InvalidOperationException("drain failed"));

            var fault = await engine.LoopFaultAsync();

            Assert.Equal("drain failed", Assert.IsType<InvalidOperationException>(fault).Message);
        }
    }

    private static Options.PeerOptions Passive(string address, uint asn) => new()
    {
        Address = PeerAddress.Parse(address),
        RemoteAs = asn,
        Passive = true,
        HoldTime = 90,
    };
}
