using System.Diagnostics.Metrics;
using Evpn.Api;
using Evpn.Core;
using Evpn.Daemon.Speaker;
using Evpn.Rib;
using Evpn.Session.Fsm;
using Evpn.Session.Speaker;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Metrics;

/// <summary>BGP and EVPN state as Prometheus series. The state belongs to the speaker loop, so a scrape
/// first takes a snapshot there (<see cref="RefreshAsync"/>, at most once a second: see <see cref="MetricsPage"/>);
/// the observable instruments read only that immutable snapshot.</summary>
public sealed class SpeakerMetrics : IDisposable
{
    private readonly Meter _meter = new("Evpn.Daemon.Speaker");
    private readonly TimeProvider _time;
    private Snapshot _snapshot = Snapshot.Empty;

    public SpeakerMetrics(TimeProvider time)
    {
        _time = time;
        _meter.CreateObservableGauge("evpnd.build.info", () => new Measurement<int>(1,
            new KeyValuePair<string, object?>("version", BuildVersion.Version), new KeyValuePair<string, object?>("commit", BuildVersion.Commit ?? "unknown")),
            description: "Always 1; the labels say which evpnd runs");
        _meter.CreateObservableGauge("evpn.bgp.sessions", () => Current.Sessions.Select(s =>
            new Measurement<int>(s.Value, new KeyValuePair<string, object?>("state", s.Key))), description: "BGP sessions by FSM state");
        _meter.CreateObservableGauge("evpn.bgp.peer.state", () => Current.Peers.Select(p => new Measurement<int>(p.State, Peer(p))),
            description: "FSM state per peer, numbered as BGP4-MIB's bgpPeerState (RFC 4273): 1 idle, 2 connect, 3 active, 4 opensent, 5 openconfirm, 6 established");
        _meter.CreateObservableGauge("evpn.bgp.peer.uptime", () => Current.Peers.Select(p => new Measurement<double>(p.UptimeSeconds, Peer(p))),
            unit: "s", description: "Time since the session with the peer reached Established; 0 while it is not");
        _meter.CreateObservableCounter("evpn.bgp.messages.received", () => Current.Peers.Select(p =>
            new Measurement<long>(p.MessagesReceived, Peer(p))), description: "BGP messages received per peer");
        _meter.CreateObservableCounter("evpn.bgp.updates.received", () => Current.Peers.Select(p =>
            new Measurement<long>(p.UpdatesReceived, Peer(p))), description: "BGP UPDATEs received per peer");
        _meter.CreateObservableCounter("evpn.bgp.updates.sent", () => Current.Peers.Select(p =>
            new Measurement<long>(p.UpdatesSent, Peer(p))), description: "BGP UPDATEs sent per peer");
        _meter.CreateObservableCounter("evpn.bgp.update.errors", () => Current.Peers.SelectMany(p => new[]
        {
            new Measurement<long>(p.AttributesDiscarded, Peer(p), Action("attribute-discard")),
            new Measurement<long>(p.TreatedAsWithdraw, Peer(p), Action("treat-as-withdraw")),
            new Measurement<long>(p.UnknownRoutesSkipped, Peer(p), Action("unknown-route-type-skipped")),
        }), description: "UPDATE errors per peer by RFC 7606 action");
        _meter.CreateObservableGauge("evpn.bgp.prefixes.received", () => Current.Peers.Select(p =>
            new Measurement<int>(p.PrefixesReceived, Peer(p))), description: "EVPN routes received per peer");
        _meter.CreateObservableGauge("evpn.routes", () => Current.RoutesByType.Select(r =>
            new Measurement<int>(r.Value, new KeyValuePair<string, object?>("type", r.Key))), description: "Loc-RIB EVPN paths by route type");
        _meter.CreateObservableGauge("evpn.macs", () => Current.Vnis.SelectMany(v => new[]
        {
            new Measurement<int>(v.LocalMacs, Vni(v), new KeyValuePair<string, object?>("location", "local")),
            new Measurement<int>(v.RemoteMacs, Vni(v), new KeyValuePair<string, object?>("location", "remote")),
        }), description: "MACs per VNI, local and remote");
        _meter.CreateObservableGauge("evpn.flood.vteps", () => Current.Vnis.Select(v =>
            new Measurement<int>(v.FloodVteps, Vni(v))), description: "Remote VTEPs in each VNI's flood list");
        _meter.CreateObservableGauge("evpn.bgp.peer.update_group", () => Current.Peers.Where(p => p.UpdateGroup is not null)
            .Select(p => new Measurement<int>(p.UpdateGroup!.Value, Peer(p))), description: "The update group the peer is in (evpn_bgp_update_group_members has its members)");
        _meter.CreateObservableGauge("evpn.bgp.update_group.members", () => Current.Groups.Select(g =>
            new Measurement<int>(g.Members, Group(g), new KeyValuePair<string, object?>("shares", g.Key))),
            description: "Peers per update group: they share one Adj-RIB-Out and the same packed UPDATEs");
        _meter.CreateObservableCounter("evpn.bgp.update_group.splits", () => Current.Groups.Select(g => new Measurement<long>(g.Splits, Group(g))),
            description: "Members that fell behind their update group's stream and caught up from the group's table");
        _meter.CreateObservableGauge("evpn.outbound.waiting", () => Current.WaitingUpdates,
            description: "UPDATEs waiting for a slow peer's write queue");
        _meter.CreateObservableCounter("evpn.bgp.connections.refused", () => Current.Refused.Select(r =>
            new Measurement<long>(r.Value, new KeyValuePair<string, object?>("reason", r.Key))),
            description: "Accepted connections closed at once: no such neighbor, listen range at its limit, neighbor shut down");
    }

    private Snapshot Current => Volatile.Read(ref _snapshot);

    /// <summary>Takes a fresh snapshot on the speaker loop; a scrape calls it before rendering.</summary>
    public async Task RefreshAsync(DaemonState state, CancellationToken cancellationToken)
    {
        if (state.IsRunning)
        {
            var parts = state.Parts;
            var snapshot = await parts.Bgp.QueryAsync(bgp => Take(bgp, parts.Evpn, _time.GetUtcNow())).WaitAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _snapshot, snapshot);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static Snapshot Take(BgpSpeaker bgp, EvpnSpeaker evpn, DateTimeOffset now)
    {
        var peers = bgp.Peers.Select(p => new PeerSample(p.Address.ToString(), MibState(p.State),
            p.EstablishedSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0,
            p.Counters.MessagesReceived, p.Counters.UpdatesReceived,
            p.Counters.UpdatesSent, p.Counters.AttributesDiscarded, p.Counters.TreatedAsWithdraw, p.Counters.UnknownRoutesSkipped,
            evpn.AcceptedPrefixes(p, AfiSafi.L2vpnEvpn), evpn.Core.Queries.UpdateGroupOf(p.Address)?.Id)).ToList();
        var sessions = bgp.Peers.GroupBy(p => p.State.ToString()).ToDictionary(g => g.Key, g => g.Count());
        // Counts the RIB keeps: a scrape must not walk the Loc-RIB on the speaker loop.
        var routes = evpn.Core.Queries.PathCountsByType()
            .ToDictionary(kv => ((int)kv.Key).ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value);
        var refused = Enum.GetValues<RefusedConnection>().ToDictionary(RefusedReason, r => bgp.RefusedConnections[r]);
        return new Snapshot(sessions, peers, routes, evpn.Core.Queries.Vnis(), evpn.WaitingUpdates, refused, evpn.Core.Queries.UpdateGroups());
    }

    private static string RefusedReason(RefusedConnection reason) => reason switch
    {
        RefusedConnection.NotConfigured => "not-configured",
        RefusedConnection.RangeFull => "listen-limit",
        _ => "shutdown",
    };

    /// <summary>RFC 4273, bgpPeerState.</summary>
    private static int MibState(BgpState state) => state switch
    {
        BgpState.Idle => 1,
        BgpState.Connect => 2,
        BgpState.Active => 3,
        BgpState.OpenSent => 4,
        BgpState.OpenConfirm => 5,
        _ => 6,
    };

    private static KeyValuePair<string, object?> Peer(PeerSample p) => new("peer", p.Address);
    private static KeyValuePair<string, object?> Vni(VniView v) => new("vni", v.Vni);
    private static KeyValuePair<string, object?> Group(UpdateGroupSummary g) => new("update_group", g.Id);
    private static KeyValuePair<string, object?> Action(string action) => new("action", action);

    /// <param name="State">BGP4-MIB's numbering (<see cref="MibState"/>).</param>
    private sealed record PeerSample(string Address, int State, double UptimeSeconds, long MessagesReceived, long UpdatesReceived, long UpdatesSent,
        long AttributesDiscarded, long TreatedAsWithdraw, long UnknownRoutesSkipped, int PrefixesReceived, int? UpdateGroup);

    private sealed record Snapshot(IReadOnlyDictionary<string, int> Sessions, IReadOnlyList<PeerSample> Peers,
        IReadOnlyDictionary<string, int> RoutesByType, IReadOnlyList<VniView> Vnis, int WaitingUpdates,
        IReadOnlyDictionary<string, long> Refused, IReadOnlyList<UpdateGroupSummary> Groups)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, int>(), [], new Dictionary<string, int>(), [], 0, new Dictionary<string, long>(), []);
    }
}
