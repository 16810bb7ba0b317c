using Evpn.Config.Options;
using Evpn.Core;
using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Daemon.Speaker;

/// <summary>The single owner of evpnd's state while it runs: the BGP speaker's loop calls
/// <see cref="OnSessionEvent"/>, and everything else (data-plane events, timers, management queries,
/// reloads) is posted onto that same loop with <see cref="BgpSpeaker.InvokeAsync{T}"/>, which hands each
/// of them the speaker. After each input the core's outputs are drained: intents to the
/// <see cref="IntentWriter"/>, route changes to the peers.</summary>
/// <remarks>No method here may be called from another thread; nothing here takes a lock.</remarks>
public sealed class EvpnSpeaker : ISessionEventSink
{
    /// <summary>Routes per peer handed to the packer per drain; more waits in the RIB, coalescing.</summary>
    private const int MaxRoutesPerDrain = 8192;

    /// <summary>Peer messages handled while route changes wait for the end of a burst before they go to the peers;
    /// at this many they go anyway, so a steady stream of input still reaches them.</summary>
    private const int MaxMessagesPerHandout = 128;

    private readonly IntentWriter _writer;
    private readonly OutboundSender _outbound;
    private readonly MrtDump _dump;
    private readonly ILogger _log;
    private readonly List<DataPlaneIntent> _intents = [];
    private readonly TableShrinkCollector _shrink = new();
    private bool _drainScheduled;
    private int _messagesSinceHandout;

    public EvpnSpeaker(EvpnConfig config, EvpnCore core, IntentWriter writer, MrtDump dump, ILogger log)
    {
        _dump = dump;
        _outbound = new OutboundSender(dump, log);
        Config = config;
        Core = core;
        _writer = writer;
        _log = log;
    }

    public EvpnConfig Config { get; private set; }
    public EvpnCore Core { get; }

    public void OnSessionEvent(BgpSpeaker speaker, SessionEvent sessionEvent)
    {
        switch (sessionEvent)
        {
            case PeerEstablished e:
                _log.LogInformation("peer {Peer} established: AS {RemoteAs}, families {Families}, hold {HoldTime}s",
                    e.Peer.Address, e.Session.RemoteAs, string.Join(",", e.Session.Families), e.Session.HoldTime);
                if (speaker.SelectionDeferred)
                {
                    Core.DeferSelection();
                }
                Core.PeerUp(new PeerSession(e.Peer.Address, e.Session.RemoteAs, IpAddr.FromV4(e.Session.RemoteId), !e.Session.IsExternal,
                    e.Session.Families, IsRouteReflectorClient(e.Peer), e.Session.Context, e.Session.Context.ReceivesPathId(AfiSafi.L2vpnEvpn)));
                break;
            case UpdateReceived e:
                OnUpdate(speaker, e);
                break;
            case PeerDown e:
                var retain = e.Retained is { } r && r.Families.Contains(AfiSafi.L2vpnEvpn);
                _log.LogWarning("peer {Peer} down: {Reason}; {Routes}", e.Peer.Address, e.Reason,
                    retain ? $"routes kept as stale until {e.Retained!.Until:O} (graceful restart helper)" : "routes removed");
                _outbound.Forget(e.Peer);
                Core.PeerDown(e.Peer.Address, retain);
                break;
            case EndOfRibReceived e:
                _dump.Received(e.Peer, EndOfRib.For(e.Family));
                _log.LogInformation("peer {Peer} sent End-of-RIB for {Family}", e.Peer.Address, e.Family);
                Core.EndOfRibReceived(e.Peer.Address, e.Family);
                break;
            case StaleRoutesExpired e:
                _log.LogWarning("peer {Peer}: stale routes of {Families} expired and are removed", e.Peer.Address, string.Join(",", e.Families));
                if (e.Families.Contains(AfiSafi.L2vpnEvpn))
                {
                    Core.RestartTimerExpired(e.Peer.Address);
                }
                break;
            case RouteRefreshRequested e:
                // The re-send goes out in slices as the peer reads; its last slice carries the EoRR.
                if (e.Family == AfiSafi.L2vpnEvpn)
                {
                    Core.RefreshRequested(e.Peer.Address, e.Family);
                }
                else
                {
                    speaker.CompleteRouteRefresh(e.Peer, e.Family);
                }
                break;
            case RefreshStarted or RefreshEnded:
                // evpnd never asks for an enhanced route refresh, so a peer has no reason to send BoRR/EoRR;
                // its routes are replaced as they arrive.
                _log.LogDebug("{Event} ignored", sessionEvent);
                break;
            case PeerWritable e:
                _outbound.OnWritable(speaker, e.Peer);
                break;
            case MaxPrefixWarning e:
                _log.LogWarning("peer {Peer} sent {Count} prefixes of {Family}, limit {Limit}", e.Peer.Address, e.Count, e.Family, e.Limit);
                break;
            case SelectionDeferralEnded e:
                _log.LogInformation("graceful restart: route selection resumes ({Why})", e.TimedOut ? "deferral timer expired" : "End-of-RIB from every peer");
                Core.EndSelectionDeferral();
                _writer.PostSweep();
                break;
        }
        Drain(speaker);
    }

    /// <summary>The peer's paths the RIB holds (accepted, after policy): what max-prefix counts; evpnd keeps
    /// no other family.</summary>
    public int AcceptedPrefixes(BgpPeer peer, AfiSafi family) =>
        family == AfiSafi.L2vpnEvpn ? Core.Queries.AcceptedPaths(peer.Address) : 0;

    /// <summary>Local MACs, neighbors and VNIs from the data plane.</summary>
    public void OnDataPlaneEvents(BgpSpeaker speaker, IReadOnlyList<DataPlaneEvent> events)
    {
        foreach (var e in events)
        {
            if (e is DataPlaneEvent.ConfiguredVniMissing missing)
            {
                _log.LogWarning("configured VNI {Vni} has no usable VXLAN device: {Reason}", missing.Vni, missing.Reason);
            }
            Core.Apply(e);
        }
        Drain(speaker);
    }

    /// <summary>Periodic (every second): duplicate-detection freeze expiry, MRT dump flush, the collection after a
    /// shrunk table.</summary>
    public void Tick(BgpSpeaker speaker)
    {
        _dump.Flush();
        Core.Tick();
        Drain(speaker);
        if (_shrink.CollectIfSettled(Core.Queries.DestinationCount, writerIdle: _writer.Queued == 0) is { } pause)
        {
            _log.LogDebug("the RIB shrank to {Destinations} destinations: full collection in {Milliseconds:F0} ms", Core.Queries.DestinationCount, pause.TotalMilliseconds);
        }
    }

    /// <summary>A validated new configuration whose core-level changes apply without a restart.</summary>
    public void Reconfigure(BgpSpeaker speaker, EvpnConfig config, CoreOptions core)
    {
        Config = config;
        Core.Reconfigure(core);
        _dump.Reconfigure(config.MrtDump);
        Drain(speaker);
    }

    /// <summary>Operator action (evpnctl): releases duplicate MACs and sends on what that changed.</summary>
    public IReadOnlyList<ClearedDuplicate> ClearDuplicates(BgpSpeaker speaker, uint? vni, MacAddress? mac)
    {
        var cleared = Core.ClearDuplicates(vni, mac);
        Drain(speaker);
        return cleared;
    }

    public bool IsRouteReflectorClient(BgpPeer peer) => NeighborOf(peer)?.RouteReflectorClient == true;

    /// <summary>The configured neighbor a peer comes from: its interface, its address, else the listen range that
    /// accepted it.</summary>
    public NeighborOptions? NeighborOf(BgpPeer peer)
    {
        if (peer.Options.Interface is { } name)
        {
            return Config.Neighbors.FirstOrDefault(n => n.Interface == name);
        }
        var address = peer.Address.Ip;
        return Config.Neighbors.FirstOrDefault(n => n.Address == address)
            ?? Config.Neighbors.FirstOrDefault(n => n.ListenRange is { } range && range.Contains(address));
    }

    public int WaitingUpdates => _outbound.Waiting;

    /// <summary>EVPN paths held: local ones and every peer's (counts the RIB keeps, no walk).</summary>
    public int RouteCount => Core.Queries.PathCount;

    /// <summary>The UPDATE's EVPN routes go to the core; the speaker then learns how many of the peer's routes
    /// the RIB holds, for max-prefix.</summary>
    private void OnUpdate(BgpSpeaker speaker, UpdateReceived e)
    {
        var update = e.Update;
        _dump.Received(e.Peer, update);
        var announced = EvpnRoutes(update.MpReach?.Family, update.MpReach?.Nlri);
        var withdrawn = EvpnRoutes(update.MpUnreach?.Family, update.MpUnreach?.Nlri);
        var peer = e.Peer.Address;
        if (announced.Count > 0 || withdrawn.Count > 0)
        {
            Core.UpdateReceived(peer, announced, update.Attributes, update.MpReach?.NextHop ?? default, withdrawn);
        }
        speaker.ReportAcceptedPrefixes(e.Peer, AfiSafi.L2vpnEvpn, Core.Queries.AcceptedPaths(peer));
    }

    /// <summary>An MP attribute's NLRI when they are EVPN routes (none for another family), with their path identifiers.</summary>
    internal static IReadOnlyList<Nlri> EvpnRoutes(AfiSafi? family, EquatableArray<Nlri>? nlri) =>
        family == AfiSafi.L2vpnEvpn && nlri is { Count: > 0 } list ? list : [];

    /// <summary>Moves the core's outputs on. A large backlog is sent in slices, each its own loop turn, so
    /// keepalives and other peers' messages are handled in between.</summary>
    private void Drain(BgpSpeaker speaker)
    {
        _shrink.Observe(Core.Queries.DestinationCount);
        Core.TakeIntents(_intents);
        if (_intents.Count > 0)
        {
            _writer.Post(_intents.ToArray());
            _intents.Clear();
            if (_writer.Backpressure() is { } room)
            {
                speaker.HoldMessagesUntil(room);
            }
        }
        foreach (var alert in Core.TakeAlerts())
        {
            _log.LogWarning("EVPN {Kind}: VNI {Vni} MAC {Mac}: {Message}", alert.Kind, alert.Vni, alert.Mac, alert.Message);
        }
        // A burst of UPDATEs (originators sending to a reflector) goes out in one slice per peer, not one per message:
        // each slice wakes the writer of every member of an update group.
        if (speaker.MessageWaiting && ++_messagesSinceHandout < MaxMessagesPerHandout)
        {
            return;
        }
        _messagesSinceHandout = 0;
        _outbound.Send(speaker, Core.TakeOutbound(MaxRoutesPerDrain, _outbound.CanTake));
        // A peer that cannot take more is drained again when it reports itself writable (PeerWritable).
        if (Core.HasOutboundWorkFor(_outbound.CanTake) && !_drainScheduled)
        {
            _drainScheduled = true;
            speaker.Post(s =>
            {
                _drainScheduled = false;
                Drain(s);
            });
        }
    }
}
