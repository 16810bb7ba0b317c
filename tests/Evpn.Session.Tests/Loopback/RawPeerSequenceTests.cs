using Evpn.Session.Fsm;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>A raw peer sends a running speaker random sequences over loopback: valid messages of an Established
/// session (KEEPALIVEs, announcements, withdrawals, End-of-RIB, ROUTE-REFRESH), then either one more announcement or
/// one of the errors of <see cref="NotificationTableTests"/>, all in writes cut at random places. The session ends
/// only with the NOTIFICATION the error calls for, or stays up with every message handled; every wait is bounded,
/// and the speaker's loop never fails. A failure names the seed: EVPN_RAW_PEER_SEED=seed replays the run.</summary>
public class RawPeerSequenceTests
{
    /// <summary>Sequences per run: each is a new session, tens of milliseconds.</summary>
    private const int Sequences = 24;

    private static readonly RouteDistinguisher Rd = RouteDistinguisher.Parse("10.0.0.2:1");

    [Fact]
    public async Task Random_message_sequences_end_only_with_the_notification_their_error_calls_for()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("EVPN_RAW_PEER_SEED"), out var given) ? given : Random.Shared.Next();
        var errors = NotificationTableTests.All.ToList();
        for (var i = 0; i < Sequences; i++)
        {
            var random = new Random(seed + i);
            // One sequence in four is valid throughout; the others end with an error of the table.
            var error = random.Next(4) == 0 ? (KeyValuePair<string, NotificationTableTests.Row>?)null : errors[random.Next(errors.Count)];
            var log = new List<string>();
            try
            {
                await RunAsync(random, error?.Value, log);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"seed {seed}, sequence {i} ({error?.Key ?? "valid"}), sent: {string.Join("; ", log)}\n{e}");
            }
        }
    }

    private static async Task RunAsync(Random random, NotificationTableTests.Row? error, List<string> log)
    {
        var row = error ?? new NotificationTableTests.Row(BgpState.Established, _ => [], default, 0, [], "");
        var (engine, peer, rawAddress) = await NotificationTableTests.EngineForAsync(row);
        await using (engine)
        {
            await using var raw = await RawPeerTests.ConnectAsync(engine, rawAddress);
            var addresses = await NotificationTableTests.IntoStateAsync(engine, peer, raw, rawAddress, row);
            var bytes = new List<byte>();
            // Valid messages come before an error only in Established: in the states before, any message is one.
            var valid = row.State == BgpState.Established ? random.Next(8) : 0;
            for (var m = 0; m < valid; m++)
            {
                var (what, message) = ValidMessage(random);
                log.Add(what);
                bytes.AddRange(BgpEncoder.Encode(message, addresses.Context));
            }
            // The last announcement names an originator no earlier message names.
            var lastRoute = IpAddr.Parse("10.8.0.1");
            var last = Announcement(lastRoute);
            if (error is null)
            {
                log.Add($"announce {lastRoute}");
                bytes.AddRange(BgpEncoder.Encode(last, addresses.Context));
            }
            else
            {
                log.Add("the error");
                bytes.AddRange(error.Bytes(addresses));
            }
            foreach (var chunk in Cut(random, bytes.ToArray()))
            {
                await raw.SendRawAsync(chunk);
            }

            if (error is not null)
            {
                var notification = await raw.ExpectAsync<NotificationMessage>();
                Assert.Equal((error.Code, error.Subcode), (notification.Code, notification.Subcode));
                Assert.Equal(error.Data, notification.Data.ToArray());
                Assert.Null(await raw.ReceiveAsync());
                Assert.Equal(notification, await engine.Speaker.InvokeAsync(_ => peer.LastNotificationSent));
                return;
            }
            // The last announcement handled means every message before it was: the session must still be up.
            await engine.Sink.WaitFor<UpdateReceived>(u => u.Peer == peer && u.Error is null
                && u.Update.MpReach is { } reach && reach.Nlri.Any(n => n.Evpn is InclusiveMulticastRoute r && r.OriginatorIp == lastRoute));
            Assert.Equal(BgpState.Established, await engine.Speaker.InvokeAsync(_ => peer.State));
            Assert.Null(await engine.Speaker.InvokeAsync(_ => peer.LastNotificationSent));
        }
    }

    private static (string What, BgpMessage Message) ValidMessage(Random random)
    {
        var host = random.Next(1, 255);
        return random.Next(5) switch
        {
            0 => ("KEEPALIVE", KeepaliveMessage.Instance),
            1 => ($"announce 10.9.0.{host}", Announcement(IpAddr.Parse($"10.9.0.{host}"))),
            2 => ($"withdraw 10.9.0.{host}", UpdateMessage.Withdraw(AfiSafi.L2vpnEvpn, new[] { Nlri.ForEvpn(new InclusiveMulticastRoute(Rd, 0, IpAddr.Parse($"10.9.0.{host}"))) })),
            3 => ("End-of-RIB", EndOfRib.For(AfiSafi.L2vpnEvpn)),
            _ => ("ROUTE-REFRESH", new RouteRefreshMessage(AfiSafi.L2vpnEvpn)),
        };
    }

    private static UpdateMessage Announcement(IpAddr originator)
    {
        var route = new InclusiveMulticastRoute(Rd, 0, originator);
        var attributes = PathAttributes.Empty with
        {
            Origin = Origin.Igp,
            AsPath = new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, new[] { 65002u }) }),
            ExtendedCommunities = new[] { ExtendedCommunity.RouteTargetAs2(65002, 100), ExtendedCommunity.VxlanEncapsulation },
            PmsiTunnel = PmsiTunnel.IngressReplicationTo(originator, 100),
        };
        return UpdateMessage.Announce(AfiSafi.L2vpnEvpn, originator, attributes, new[] { Nlri.ForEvpn(route) });
    }

    /// <summary>The bytes in one to four writes cut at random places, so messages and headers straddle reads.</summary>
    private static IEnumerable<byte[]> Cut(Random random, byte[] bytes)
    {
        var cuts = Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(1, Math.Max(2, bytes.Length))).Append(0).Append(bytes.Length)
            .Distinct().Order().ToList();
        for (var i = 1; i < cuts.Count; i++)
        {
            yield return bytes[cuts[i - 1]..cuts[i]];
        }
    }
}
