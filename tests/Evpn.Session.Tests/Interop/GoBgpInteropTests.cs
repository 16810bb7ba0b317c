using Evpn.Session.Fsm;
using Evpn.Session.Options;
using Evpn.Session.Speaker;
using Evpn.Session.Tests.Loopback;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Interop;

/// <summary>The engine (root namespace) against GoBGP 3.10 in a network namespace.</summary>
public class GoBgpInteropTests
{
    [RequiresFact(Requirement.Root, Requirement.GoBgp)]
    public async Task Gobgp_evpn_session_routes_and_end_of_rib_both_ways_route_refresh()
    {
        await using var ns = await PeerNamespace.CreateAsync();
        await using var engine = new SpeakerHost(ns.RootAddress.ToString(), 65001, ns.RootAddress.ToString());
        var vtep = ns.RootAddress.ToString();
        engine.Sink.React = (speaker, e) =>
        {
            switch (e)
            {
                case PeerEstablished up:
                    speaker.TrySendUpdate(up.Peer, TwoSpeakerTests.Type3(vtep));
                    speaker.SendEndOfRib(up.Peer, AfiSafi.L2vpnEvpn);
                    break;
            }
        };
        await using var gobgp = new GoBgpPeer(ns);
        await gobgp.StartAsync(engine.Port);
        var gobgpVtep = ns.PeerAddress.ToString();
        await gobgp.CliAsync("global", "rib", "-a", "evpn", "add", "multicast", gobgpVtep, "etag", "0", "rd", $"{gobgpVtep}:1",
            "rt", "65003:100", "encap", "vxlan", "pmsi", "ingress-repl", "100", gobgpVtep);
        var peer = await engine.AddPeer(new PeerOptions
        {
            Address = Evpn.Wire.Model.PeerAddress.FromSocket(ns.PeerAddress),
            RemoteAs = 65003,
            SourceAddress = ns.RootAddress,
            HoldTime = 9,
            ConnectRetryTime = TimeSpan.FromSeconds(1),
        });

        var up = await engine.Sink.WaitFor<PeerEstablished>(seconds: 40);
        Assert.Equal([AfiSafi.L2vpnEvpn], up.Session.Families.ToArray());
        Assert.NotNull(up.Session.PeerGracefulRestart);
        bool FromGoBgp(UpdateReceived u) => u.Update.MpReach?.Nlri.AsImmutableArray()
            .Any(n => n.Evpn is InclusiveMulticastRoute r && r.OriginatorIp == IpAddr.Parse(gobgpVtep)) == true;
        await engine.Sink.WaitFor<UpdateReceived>(FromGoBgp, seconds: 30);
        await engine.Sink.WaitFor<EndOfRibReceived>(e => e.Family == AfiSafi.L2vpnEvpn, seconds: 30);

        var seen = "";
        await Eventually.UntilAsync(async () => (seen = await gobgp.CliAsync("neighbor", ns.RootAddress.ToString(), "adj-in", "-a", "evpn"))
            .Contains($"[type:multicast][rd:10.0.0.1:1][etag:0][ip:{vtep}]"), "GoBGP has the engine's type-3 route", () => seen);
        await Eventually.UntilAsync(async () => (seen = await gobgp.CliAsync("neighbor", ns.RootAddress.ToString(), "-j"))
            .Contains("\"end_of_rib_received\":true"), "GoBGP received our End-of-RIB", () => seen);

        // Our ROUTE-REFRESH makes GoBGP re-send its table. (GoBGP's CLI has no command that sends one to
        // us: its soft reset in works from its own Adj-RIB-In; the FRR test covers that direction.)
        Assert.True(await engine.Speaker.InvokeAsync(s => s.RequestRouteRefresh(peer, AfiSafi.L2vpnEvpn)));
        await engine.Sink.WaitFor<UpdateReceived>(FromGoBgp, seconds: 20);
        Assert.Equal(BgpState.Established, peer.State);
    }
}
