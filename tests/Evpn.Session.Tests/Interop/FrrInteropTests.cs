using Evpn.Session.Fsm;
using Evpn.Session.Options;
using Evpn.Session.Speaker;
using Evpn.Session.Tests.Loopback;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Interop;

/// <summary>The engine (root namespace) against FRR 8.4 bgpd in a network namespace.</summary>
public class FrrInteropTests
{
    /// <summary>Namespace, engine and FRR, with the engine answering like the daemon would: initial table and
    /// End-of-RIB when the session comes up, the table again on a route refresh.</summary>
    private sealed class Lab : IAsyncDisposable
    {
        public required PeerNamespace Ns { get; init; }
        public required SpeakerHost Engine { get; init; }
        public required FrrPeer Frr { get; init; }
        public required BgpPeer Peer { get; init; }

        public static async Task<Lab> StartAsync(string? password = null)
        {
            var ns = await PeerNamespace.CreateAsync();
            SpeakerHost? engine = null;
            FrrPeer? frr = null;
            try
            {
                engine = new SpeakerHost(ns.RootAddress.ToString(), 65001, ns.RootAddress.ToString());
                var vtep = ns.RootAddress.ToString();
                engine.Sink.React = (speaker, e) =>
                {
                    switch (e)
                    {
                        case PeerEstablished up:
                            speaker.TrySendUpdate(up.Peer, TwoSpeakerTests.Type3(vtep));
                            speaker.SendEndOfRib(up.Peer, AfiSafi.L2vpnEvpn);
                            break;
                        case RouteRefreshRequested refresh:
                            speaker.TrySendUpdate(refresh.Peer, TwoSpeakerTests.Type3(vtep));
                            speaker.CompleteRouteRefresh(refresh.Peer, refresh.Family);
                            break;
                    }
                };
                frr = new FrrPeer(ns);
                await frr.StartAsync(engine.Port, password is null ? [] : [$"password {password}"]);
                var peer = await engine.AddPeer(new PeerOptions
                {
                    Address = Evpn.Wire.Model.PeerAddress.FromSocket(ns.PeerAddress),
                    RemoteAs = 65002,
                    SourceAddress = ns.RootAddress,
                    HoldTime = 9,
                    Password = password,
                    ConnectRetryTime = TimeSpan.FromSeconds(1),
                    IdleHold = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5)),
                });
                return new Lab { Ns = ns, Engine = engine, Frr = frr, Peer = peer };
            }
            catch
            {
                if (frr is not null)
                {
                    await frr.DisposeAsync();
                }
                if (engine is not null)
                {
                    await engine.DisposeAsync();
                }
                await ns.DisposeAsync();
                throw;
            }
        }

        public Task WaitFrrSeesOurRouteAsync() => Eventually.UntilAsync(
            async () => (await Frr.VtyshAsync("show bgp l2vpn evpn")).Contains($"[3]:[0]:[32]:[{Ns.RootAddress}]"),
            "FRR has the engine's type-3 route");

        public async ValueTask DisposeAsync()
        {
            await Frr.DisposeAsync();
            await Engine.DisposeAsync();
            await Ns.DisposeAsync();
        }
    }

    private static bool IsFrrType3(UpdateReceived update, Lab lab) =>
        update.Update.MpReach?.Nlri.AsImmutableArray().Any(n => n.Evpn is InclusiveMulticastRoute r && r.OriginatorIp == IpAddr.FromIPAddress(lab.Ns.PeerAddress)) == true;

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Frr_evpn_session_end_of_rib_both_ways_route_refresh_both_ways()
    {
        await using var lab = await Lab.StartAsync();
        var up = await lab.Engine.Sink.WaitFor<PeerEstablished>(seconds: 40);
        Assert.Contains(AfiSafi.L2vpnEvpn, up.Session.Families);
        Assert.True(up.Session.RouteRefresh);
        Assert.True(up.Session.FourOctetAs);
        Assert.NotNull(up.Session.PeerGracefulRestart);

        await lab.Engine.Sink.WaitFor<UpdateReceived>(u => IsFrrType3(u, lab), seconds: 30);
        await lab.Engine.Sink.WaitFor<EndOfRibReceived>(e => e.Family == AfiSafi.L2vpnEvpn, seconds: 30);
        await lab.WaitFrrSeesOurRouteAsync();
        var neighbor = await lab.Frr.VtyshAsync($"show bgp neighbors {lab.Ns.RootAddress}");
        Assert.Contains("End-of-RIB received: L2VPN EVPN", neighbor);

        // We ask FRR to re-send: with enhanced route refresh it brackets the table with BoRR / EoRR.
        Assert.True(await lab.Engine.Speaker.InvokeAsync(s => s.RequestRouteRefresh(lab.Peer, AfiSafi.L2vpnEvpn)));
        await lab.Engine.Sink.WaitFor<RefreshStarted>(seconds: 20);
        await lab.Engine.Sink.WaitFor<UpdateReceived>(u => IsFrrType3(u, lab), seconds: 20);
        await lab.Engine.Sink.WaitFor<RefreshEnded>(seconds: 20);

        // FRR asks us to re-send.
        await lab.Frr.VtyshAsync($"clear bgp l2vpn evpn {lab.Ns.RootAddress} soft in");
        await lab.Engine.Sink.WaitFor<RouteRefreshRequested>(r => r.Family == AfiSafi.L2vpnEvpn, seconds: 20);
        Assert.Equal(BgpState.Established, lab.Peer.State);
    }

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Frr_with_tcp_md5_password_establishes()
    {
        await using var lab = await Lab.StartAsync(password: "evpnd-md5-secret");
        await lab.Engine.Sink.WaitFor<PeerEstablished>(seconds: 40);
        await Eventually.UntilAsync(async () => await lab.Frr.NeighborStateAsync() == "Established", "FRR Established");
    }

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Frr_bgpd_killed_and_restarted_routes_kept_stale_then_refreshed()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Engine.Sink.WaitFor<PeerEstablished>(seconds: 40);
        await lab.Engine.Sink.WaitFor<UpdateReceived>(u => IsFrrType3(u, lab), seconds: 30);
        await lab.Engine.Sink.WaitFor<EndOfRibReceived>(seconds: 30);

        await lab.Frr.KillBgpdAsync();
        var down = await lab.Engine.Sink.WaitFor<PeerDown>(seconds: 20);
        Assert.NotNull(down.Retained);
        Assert.Equal([AfiSafi.L2vpnEvpn], down.Retained!.Families.ToArray());

        await lab.Frr.StartBgpdAsync();
        var up = await lab.Engine.Sink.WaitFor<PeerEstablished>(seconds: 40);
        Assert.True(up.Session.PeerGracefulRestart!.RestartState);
        await lab.Engine.Sink.WaitFor<UpdateReceived>(u => IsFrrType3(u, lab), seconds: 30);
        await lab.Engine.Sink.WaitFor<EndOfRibReceived>(seconds: 30);
        Assert.DoesNotContain(lab.Engine.Sink.Seen, e => e is StaleRoutesExpired);
    }

    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Frr_admin_shutdown_shows_our_message_in_show_bgp_neighbor()
    {
        await using var lab = await Lab.StartAsync();
        await lab.Engine.Sink.WaitFor<PeerEstablished>(seconds: 40);
        await Eventually.UntilAsync(async () => await lab.Frr.NeighborStateAsync() == "Established", "FRR Established");
        await lab.Engine.Speaker.InvokeAsync(s => s.Shutdown(lab.Peer, "evpnd maintenance window 42"));
        // FRR 8.4 keeps the RFC 9003 communication as lastShutdownDescription (text output shows only the code).
        var shown = "";
        await Eventually.UntilAsync(async () =>
        {
            var json = await lab.Frr.JsonAsync($"show bgp neighbors {lab.Ns.RootAddress} json");
            shown = json.ToJsonString();
            return json[lab.Ns.RootAddress.ToString()]?["lastShutdownDescription"]?.GetValue<string>() == "evpnd maintenance window 42";
        }, "FRR showing the shutdown communication", () => shown);
        Assert.Equal(BgpState.Idle, lab.Peer.State);
    }
}
