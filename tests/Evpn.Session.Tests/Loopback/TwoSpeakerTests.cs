using System.Collections.Immutable;
using Evpn.Session.Fsm;
using Evpn.Session.Options;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>Two evpnd session engines over loopback TCP.</summary>
public class TwoSpeakerTests
{
    private static readonly RouteDistinguisher Rd = RouteDistinguisher.Parse("10.0.0.1:1");

    internal static UpdateMessage Type3(string vtep, uint originAs = 65001, uint vni = 100)
    {
        var ip = IpAddr.Parse(vtep);
        var route = new InclusiveMulticastRoute(Rd, 0, ip);
        var attributes = PathAttributes.Empty with
        {
            Origin = Origin.Igp,
            AsPath = new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, new[] { originAs }) }),
            ExtendedCommunities = new[] { ExtendedCommunity.RouteTargetAs2((ushort)originAs, vni), ExtendedCommunity.VxlanEncapsulation },
            PmsiTunnel = PmsiTunnel.IngressReplicationTo(ip, vni),
        };
        return UpdateMessage.Announce(AfiSafi.L2vpnEvpn, ip, attributes, new[] { Nlri.ForEvpn(route) });
    }

    /// <summary>Two speakers peered with each other, both reporting the session up. B only listens unless
    /// <paramref name="bothActive"/>: with both sides connecting, a collision can drop the first session after
    /// both reported it up (RFC 4271 6.8: one side resolves it in OpenConfirm while the other is already
    /// Established), and a test acting on that session or waiting for the next PeerDown would see the
    /// collision instead of what it tests.</summary>
    private static async Task<(SpeakerHost A, SpeakerHost B, BgpPeer AtA, BgpPeer AtB)> EstablishAsync(
        Func<PeerOptions, PeerOptions>? tuneA = null, Func<PeerOptions, PeerOptions>? tuneB = null, uint asA = 65001, uint asB = 65002,
        bool bothActive = false)
    {
        var (addressA, addressB) = LoopbackAddresses.NextPair();
        var a = new SpeakerHost(addressA, asA, addressA);
        var b = new SpeakerHost(addressB, asB, addressB);
        var atA = await a.AddPeer((tuneA ?? (o => o))(a.PeerFor(b)));
        var atB = await b.AddPeer((tuneB ?? (o => o))(b.PeerFor(a) with { Passive = !bothActive }));
        await a.Sink.WaitFor<PeerEstablished>();
        await b.Sink.WaitFor<PeerEstablished>();
        return (a, b, atA, atB);
    }

    [Fact]
    public async Task Establish_negotiates_evpn_and_exchanges_routes_and_end_of_rib()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        await using (b)
        {
            Assert.Equal(BgpState.Established, atA.State);
            var session = atA.Session!;
            Assert.Equal([AfiSafi.L2vpnEvpn], session.Families.ToArray());
            Assert.True(session.FourOctetAs);
            Assert.True(session.RouteRefresh);
            Assert.True(session.EnhancedRouteRefresh);
            Assert.True(session.ExtendedMessage);
            Assert.Equal(65002u, session.RemoteAs);
            Assert.Equal((ushort)9, session.HoldTime);
            // The configured source address is the connection's local end on both sides.
            Assert.Equal(a.Address, atA.LocalEndPoint!.Address);
            Assert.Equal(a.Address, atB.RemoteEndPoint!.Address);

            Assert.True(await a.Speaker.InvokeAsync(s => s.TrySendUpdate(atA, Type3("10.0.0.1"))));
            Assert.True(await a.Speaker.InvokeAsync(s => s.SendEndOfRib(atA, AfiSafi.L2vpnEvpn)));
            var update = await b.Sink.WaitFor<UpdateReceived>();
            Assert.Equal(Type3("10.0.0.1").MpReach!.Nlri, update.Update.MpReach!.Nlri);
            Assert.Null(update.Error);
            var eor = await b.Sink.WaitFor<EndOfRibReceived>();
            Assert.Equal(AfiSafi.L2vpnEvpn, eor.Family);
            Assert.Equal(1, await b.Speaker.InvokeAsync(_ => b.Sink.AcceptedPrefixes(atB, AfiSafi.L2vpnEvpn)));
        }
    }

    [Fact]
    public async Task Route_refresh_resends_the_table_between_borr_and_eorr()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        await using (b)
        {
            a.Sink.React = (speaker, e) =>
            {
                if (e is RouteRefreshRequested r)
                {
                    speaker.TrySendUpdate(r.Peer, Type3("10.0.0.7"));
                    speaker.CompleteRouteRefresh(r.Peer, r.Family);
                }
            };
            Assert.True(await b.Speaker.InvokeAsync(s => s.RequestRouteRefresh(atB, AfiSafi.L2vpnEvpn)));
            await a.Sink.WaitFor<RouteRefreshRequested>(r => r.Family == AfiSafi.L2vpnEvpn);
            await b.Sink.WaitFor<RefreshStarted>();
            await b.Sink.WaitFor<UpdateReceived>();
            await b.Sink.WaitFor<RefreshEnded>();
            Assert.Equal(BgpState.Established, atA.State);
        }
    }

    [Fact]
    public async Task Admin_shutdown_sends_the_communication_and_stays_down_until_enabled()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        await using (b)
        {
            await a.Speaker.InvokeAsync(s => s.Shutdown(atA, "maintenance window 42"));
            var down = await b.Sink.WaitFor<PeerDown>();
            Assert.Equal("maintenance window 42", down.Notification!.ShutdownCommunication);
            // Both sides set the N bit (RFC 8538): a plain Cease keeps A's routes stale at B for a while.
            Assert.NotNull(down.Retained);
            Assert.Equal(BgpState.Idle, atA.State);
            Assert.True(atA.AdminDown);

            await a.Speaker.InvokeAsync(s => s.Enable(atA));
            await a.Sink.WaitFor<PeerEstablished>();
            await b.Sink.WaitFor<PeerEstablished>();
        }
    }

    [Fact]
    public async Task Admin_shutdown_as_hard_reset_makes_the_peer_drop_our_routes()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        await using (b)
        {
            await a.Speaker.InvokeAsync(s => s.Shutdown(atA, "decommissioned", hardReset: true));
            var down = await b.Sink.WaitFor<PeerDown>();
            Assert.Equal(CeaseSubcode.HardReset, down.Notification!.Subcode);
            Assert.Equal("decommissioned", Notifications.Unwrap(down.Notification).ShutdownCommunication);
            Assert.Null(down.Retained);
        }
    }

    [Fact]
    public async Task Max_prefix_closes_with_cease_1_carrying_family_and_limit()
    {
        var limits = ImmutableDictionary<AfiSafi, MaxPrefixOptions>.Empty.Add(AfiSafi.L2vpnEvpn, new MaxPrefixOptions(2, 50));
        var (a, b, atA, atB) = await EstablishAsync(tuneB: o => o with { MaxPrefix = limits });
        await using (a)
        await using (b)
        {
            await a.Speaker.InvokeAsync(s =>
            {
                s.TrySendUpdate(atA, Type3("10.0.0.1"));
                s.TrySendUpdate(atA, Type3("10.0.0.2"));
                s.TrySendUpdate(atA, Type3("10.0.0.3"));
            });
            var warning = await b.Sink.WaitFor<MaxPrefixWarning>();
            Assert.Equal(2u, warning.Limit);
            var down = await a.Sink.WaitFor<PeerDown>();
            var cease = Notifications.Unwrap(down.Notification!);
            Assert.Equal(NotificationCode.Cease, cease.Code);
            Assert.Equal(CeaseSubcode.MaximumPrefixesReached, cease.Subcode);
            Assert.Equal(new byte[] { 0, 25, 70, 0, 0, 0, 2 }, cease.Data.ToArray());
            Assert.Null(down.Retained);
            Assert.True(atB.AdminDown);
        }
    }

    [Fact]
    public async Task Max_prefix_with_restart_interval_comes_back_by_itself()
    {
        var limits = ImmutableDictionary<AfiSafi, MaxPrefixOptions>.Empty
            .Add(AfiSafi.L2vpnEvpn, new MaxPrefixOptions(1, 100, TimeSpan.FromSeconds(1)));
        var (a, b, atA, atB) = await EstablishAsync(tuneB: o => o with { MaxPrefix = limits });
        await using (a)
        await using (b)
        {
            await a.Speaker.InvokeAsync(s =>
            {
                s.TrySendUpdate(atA, Type3("10.0.0.1"));
                s.TrySendUpdate(atA, Type3("10.0.0.2"));
            });
            await b.Sink.WaitFor<PeerDown>();
            Assert.False(atB.AdminDown);
            await b.Sink.WaitFor<PeerEstablished>();
        }
    }

    [Fact]
    public async Task Graceful_restart_peer_gone_without_notification_routes_kept_stale_then_swept_at_end_of_rib()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        {
            await b.Speaker.InvokeAsync(s => s.TrySendUpdate(atB, Type3("10.0.0.2", 65002)));
            await a.Sink.WaitFor<UpdateReceived>();
            // B "restarts": its process ends, TCP closes without a NOTIFICATION.
            await b.DisposeAsync();
            var down = await a.Sink.WaitFor<PeerDown>(d => d.Retained is not null);
            Assert.Equal([AfiSafi.L2vpnEvpn], down.Retained!.Families.ToArray());

            // B comes back (on a new port: the same address connects in) with the Restart State and
            // Forwarding State bits set, re-sends its table and End-of-RIB.
            await using var b2 = new SpeakerHost(b.Address.ToString(), 65002, b.Address.ToString(), restarting: true);
            var atB2 = await b2.AddPeer(b2.PeerFor(a));
            var up = await a.Sink.WaitFor<PeerEstablished>(e => e.Session.PeerGracefulRestart?.RestartState == true);
            Assert.Same(atA, up.Peer);
            await b2.Sink.WaitFor<PeerEstablished>();
            Assert.True(b2.Speaker.SelectionDeferred);
            await b2.Speaker.InvokeAsync(s =>
            {
                s.TrySendUpdate(atB2, Type3("10.0.0.2", 65002));
                s.SendEndOfRib(atB2, AfiSafi.L2vpnEvpn);
            });
            await a.Speaker.InvokeAsync(s => s.SendEndOfRib(atA, AfiSafi.L2vpnEvpn));
            await a.Sink.WaitFor<UpdateReceived>();
            await a.Sink.WaitFor<EndOfRibReceived>();
            Assert.DoesNotContain(a.Sink.Seen, e => e is StaleRoutesExpired);
            await b2.Sink.WaitFor<SelectionDeferralEnded>(e => !e.TimedOut);
            Assert.False(b2.Speaker.SelectionDeferred);
        }
    }

    [Fact]
    public async Task Graceful_restart_peer_does_not_come_back_stale_routes_expire_after_its_restart_time()
    {
        var (a, b, atA, atB) = await EstablishAsync(tuneB: o => o with { GracefulRestart = new GracefulRestartOptions { RestartTime = 1 } });
        await using (a)
        {
            await b.DisposeAsync();
            var down = await a.Sink.WaitFor<PeerDown>();
            Assert.NotNull(down.Retained);
            var expired = await a.Sink.WaitFor<StaleRoutesExpired>(seconds: 10);
            Assert.Equal([AfiSafi.L2vpnEvpn], expired.Families.ToArray());
        }
    }

    [Fact]
    public async Task Hard_reset_tells_the_graceful_peer_to_drop_routes_then_the_session_returns()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        await using (b)
        {
            await a.Speaker.InvokeAsync(s => s.Reset(atA, hard: true));
            var down = await b.Sink.WaitFor<PeerDown>();
            Assert.Equal(CeaseSubcode.HardReset, down.Notification!.Subcode);
            Assert.Null(down.Retained);
            await b.Sink.WaitFor<PeerEstablished>();
        }
    }

    [Fact]
    public async Task Soft_reset_with_notification_bit_keeps_routes_stale()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        await using (b)
        {
            await a.Speaker.InvokeAsync(s => s.Reset(atA, hard: false, "soft"));
            var down = await b.Sink.WaitFor<PeerDown>();
            Assert.Equal(CeaseSubcode.AdministrativeReset, down.Notification!.Subcode);
            Assert.NotNull(down.Retained);
            await b.Sink.WaitFor<PeerEstablished>();
        }
    }

    [Fact]
    public async Task Tcp_md5_same_password_establishes()
    {
        var (a, b, atA, atB) = await EstablishAsync(o => o with { Password = "s3cret" }, o => o with { Password = "s3cret" });
        await using (a)
        await using (b)
        {
            Assert.Equal(BgpState.Established, atA.State);
        }
    }

    [Fact]
    public async Task Tcp_md5_wrong_password_never_connects()
    {
        var failuresBefore = KernelTcpCounters.Read(KernelTcpCounters.Md5Failure);
        var (addressA, addressB) = LoopbackAddresses.NextPair();
        await using var a = new SpeakerHost(addressA, 65001, addressA);
        await using var b = new SpeakerHost(addressB, 65002, addressB);
        var atA = await a.AddPeer(a.PeerFor(b) with { Password = "one" });
        var atB = await b.AddPeer(b.PeerFor(a) with { Password = "two" });
        // Both sides connect; each one's SYN, signed with its own password, is dropped by the other's kernel.
        await Eventually.UntilAsync(() => KernelTcpCounters.Read(KernelTcpCounters.Md5Failure) >= failuresBefore + 2,
            "the kernel to drop both sides' connection attempts for their MD5 signatures",
            () => $"{KernelTcpCounters.Md5Failure} {KernelTcpCounters.Read(KernelTcpCounters.Md5Failure) - failuresBefore} since the start");
        Assert.NotEqual(BgpState.Established, atA.State);
        Assert.NotEqual(BgpState.Established, atB.State);
        Assert.DoesNotContain(a.Sink.Seen, e => e is PeerEstablished);
    }

    [Fact]
    public async Task Gtsm_one_hop_peers_establish()
    {
        var (a, b, atA, atB) = await EstablishAsync(o => o with { TtlSecurityHops = 1 }, o => o with { TtlSecurityHops = 1 });
        await using (a)
        await using (b)
        {
            Assert.Equal(BgpState.Established, atB.State);
        }
    }

    [Fact]
    public async Task Gtsm_peer_sending_with_ttl_1_is_dropped_by_the_kernel()
    {
        var (addressA, addressB) = LoopbackAddresses.NextPair();
        await using var a = new SpeakerHost(addressA, 65001, addressA);
        await using var b = new SpeakerHost(addressB, 65002, addressB);
        var dropsBefore = KernelTcpCounters.Read(KernelTcpCounters.MinTtlDrop);
        var atA = await a.AddPeer(a.PeerFor(b) with { TtlSecurityHops = 1, Passive = true });
        var atB = await b.AddPeer(b.PeerFor(a));
        await Eventually.UntilAsync(() => KernelTcpCounters.Read(KernelTcpCounters.MinTtlDrop) > dropsBefore,
            "the kernel to drop B's connection attempt for its TTL below A's minimum");
        Assert.NotEqual(BgpState.Established, atA.State);
        Assert.DoesNotContain(a.Sink.Seen, e => e is PeerEstablished);
    }

    [Fact]
    public async Task Dynamic_neighbor_from_the_configured_range_is_accepted()
    {
        var (addressA, addressB) = LoopbackAddresses.NextPair();
        var template = new PeerOptions { Address = IpAddr.Parse("0.0.0.0"), RemoteAs = 65002, HoldTime = 9 };
        var prefix = IpAddr.Parse(addressB);
        await using var a = new SpeakerHost(addressA, 65001, addressA, tune: o => o with
        {
            DynamicNeighbors = [new DynamicNeighborRange(prefix, 24, template)],
        });
        await using var b = new SpeakerHost(addressB, 65002, addressB);
        await b.AddPeer(b.PeerFor(a));
        var up = await a.Sink.WaitFor<PeerEstablished>();
        Assert.True(up.Peer.IsDynamic);
        Assert.Equal(new PeerAddress(prefix), up.Peer.Address);
    }

    [Fact]
    public async Task Restarting_selection_deferral_waits_for_the_dynamic_neighbors_of_the_previous_run()
    {
        var (addressA, addressB) = LoopbackAddresses.NextPair();
        var addressC = addressB[..addressB.LastIndexOf('.')] + ".3";
        var template = new PeerOptions { Address = IpAddr.Parse("0.0.0.0"), RemoteAs = 65001, HoldTime = 9 };
        await using var a = new SpeakerHost(addressA, 65001, addressA, restarting: true, tune: o => o with
        {
            DynamicNeighbors = [new DynamicNeighborRange(IpAddr.Parse(addressB), 24, template)],
            RestartingWith = [PeerAddress.Parse(addressC)],
        });
        await using var b = new SpeakerHost(addressB, 65001, addressB);
        await using var c = new SpeakerHost(addressC, 65001, addressC);

        var atB = await b.AddPeer(b.PeerFor(a));
        await b.Sink.WaitFor<PeerEstablished>();
        await b.Speaker.InvokeAsync(s => s.SendEndOfRib(atB, AfiSafi.L2vpnEvpn));
        await a.Sink.WaitFor<EndOfRibReceived>(e => e.Peer.Address == PeerAddress.Parse(addressB));

        Assert.True(await a.Speaker.InvokeAsync(s => s.SelectionDeferred));
        Assert.DoesNotContain(a.Sink.Seen, e => e is SelectionDeferralEnded);

        var atC = await c.AddPeer(c.PeerFor(a));
        await c.Sink.WaitFor<PeerEstablished>();
        await c.Speaker.InvokeAsync(s => s.SendEndOfRib(atC, AfiSafi.L2vpnEvpn));

        await a.Sink.WaitFor<SelectionDeferralEnded>(e => !e.TimedOut);
    }

    [Fact]
    public async Task Both_sides_active_converge_on_one_session()
    {
        var (a, b, atA, atB) = await EstablishAsync(bothActive: true);
        await using (a)
        await using (b)
        {
            // A collision may close the first session after both reported it up: wait until both sides are
            // Established on one TCP connection, the two ends of which each side sees the other way round.
            await Eventually.UntilAsync(
                () => atA.State == BgpState.Established && atB.State == BgpState.Established
                    && Equals(atA.LocalEndPoint, atB.RemoteEndPoint) && Equals(atA.RemoteEndPoint, atB.LocalEndPoint),
                "A and B Established on one connection",
                () => $"A {atA.State} {atA.LocalEndPoint}->{atA.RemoteEndPoint}, B {atB.State} {atB.LocalEndPoint}->{atB.RemoteEndPoint}");
            Assert.Equal(atA.Session!.LocalOpen.BgpIdentifier, atB.Session!.RemoteId);
        }
    }

    [Fact]
    public async Task Passive_peer_is_reached_by_the_active_one()
    {
        var (a, b, atA, atB) = await EstablishAsync();
        await using (a)
        await using (b)
        {
            Assert.Equal(BgpState.Established, atB.State);
            // B accepted the connection on its listening port; it never connected out.
            Assert.Equal(b.Port, atB.LocalEndPoint!.Port);
            Assert.Equal(b.Port, atA.RemoteEndPoint!.Port);
        }
    }

    [Fact]
    public async Task Ibgp_with_ipv4_unicast_negotiates_both_families()
    {
        ImmutableArray<AfiSafi> both = [AfiSafi.L2vpnEvpn, AfiSafi.Ipv4Unicast];
        var (a, b, atA, atB) = await EstablishAsync(o => o with { Families = both }, o => o with { Families = both }, 65001, 65001);
        await using (a)
        await using (b)
        {
            Assert.False(atA.Session!.IsExternal);
            Assert.Equal(both.ToHashSet(), atA.Session.Families.ToHashSet());
        }
    }
}
