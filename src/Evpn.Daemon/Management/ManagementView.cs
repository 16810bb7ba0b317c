using System.Globalization;
using System.Runtime.CompilerServices;
using Evpn.Api;
using Evpn.Config.Loading;
using Evpn.Core;
using Evpn.DataPlane;
using Evpn.Daemon.Speaker;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Management;

/// <summary>Answers the management API by running each query on the speaker loop (the owner of the state)
/// and turning the result into the API's documents there, so nothing mutable leaves the loop. Queries take
/// turns with the peers' messages (<see cref="BgpSpeaker.QueryAsync{T}"/>); route and MAC tables are made a
/// slice per turn and streamed, so no answer holds the loop for long, however large the table.</summary>
public sealed class ManagementView(DaemonState state, ConfigReloader reloader) : IManagementView
{
    /// <summary>Route keys per slice: a few milliseconds of the loop.</summary>
    internal const int RouteSlice = 1024;

    /// <summary>MACs read per loop turn by <see cref="Macs"/>.</summary>
    internal const int MacSlice = 1024;

    private DaemonState.Running Parts => state.Parts;

    public Task<SummaryDocument> SummaryAsync(CancellationToken cancellationToken) => OnLoop(cancellationToken, (bgp, evpn) =>
    {
        // Counts kept by the RIB, not a walk of it: monitoring polls the summary, and a walk of a million
        // routes on the speaker loop would slow the convergence it is watching.
        var config = evpn.Config;
        var queries = evpn.Core.Queries;
        return new SummaryDocument(config.Router.RouterId.ToString(), config.Router.Asn, config.Router.LocalVtep.ToString(),
            queries.VniCount, evpn.RouteCount,
            bgp.Peers.OrderBy(p => p.Address.ToString(), StringComparer.Ordinal).Select(p =>
            {
                // PfxRcd as FRR counts it, and as max-prefix does: routes accepted into the Loc-RIB, not those refused.
                return new NeighborSummary(p.Options.Interface ?? p.Address.ToString(), p.Session?.RemoteAs ?? p.Options.RemoteAs, p.AdminDown ? "Idle (Admin)" : p.State.ToString(),
                    UpDown(p), p.Counters.MessagesReceived, p.Counters.UpdatesSent, evpn.AcceptedPrefixes(p, AfiSafi.L2vpnEvpn),
                    queries.RoutesSent(p.Address), Description(evpn, p), p.Options.Interface);
            }).Concat(InterfaceNeighborsWithoutPeer(bgp).Select(n => new NeighborSummary(n.Name, n.Template.RemoteAs, InterfaceState(n),
                "never", 0, 0, 0, 0, InterfaceDescription(evpn, n.Name), n.Name))).ToList());
    });

    public Task<IReadOnlyList<NeighborDetail>> NeighborsAsync(string? address, CancellationToken cancellationToken) =>
        OnLoop<IReadOnlyList<NeighborDetail>>(cancellationToken, (bgp, evpn) => bgp.Peers
            .Where(p => address is null || p.Address.ToString() == address || p.Options.Interface == address)
            .OrderBy(p => p.Address.ToString(), StringComparer.Ordinal)
            .Select(p => Detail(evpn, bgp, p))
            .Concat(InterfaceNeighborsWithoutPeer(bgp).Where(n => address is null || n.Name == address).Select(n => Waiting(evpn, bgp, n)))
            .ToList());

    /// <summary>Interface neighbors whose link is down or whose peer's address is not known yet: shown with why.</summary>
    private static IEnumerable<InterfaceNeighbor> InterfaceNeighborsWithoutPeer(BgpSpeaker bgp) =>
        bgp.InterfaceNeighbors.Where(n => n.Peer is null).OrderBy(n => n.Name, StringComparer.Ordinal);

    private static string InterfaceState(InterfaceNeighbor n) => n.AdminDown ? "Idle (Admin)" : "Idle";

    private static string WaitingReason(InterfaceNeighbor n) =>
        n.IfIndex is null ? $"interface {n.Name} does not exist"
        : !n.LinkUp ? n.LastDownReason ?? $"interface {n.Name} down"
        : "waiting for the peer's link-local address (router advertisement or neighbor table)";

    private static NeighborDetail Waiting(EvpnSpeaker evpn, BgpSpeaker bgp, InterfaceNeighbor n) => new(
        n.Name, n.Template.RemoteAs, n.Template.LocalAs ?? bgp.Options.LocalAs,
        n.Template.RemoteAs == bgp.Options.LocalAs ? "internal" : "external", InterfaceState(n), null, "never",
        n.Template.HoldTime, n.Template.HoldTime / 3, [], [], [], new Dictionary<string, long>(), new Dictionary<string, long>(),
        new Dictionary<string, long>(), WaitingReason(n), null, null, null, InterfaceDescription(evpn, n.Name), n.Name, null);

    public async IAsyncEnumerable<RouteEntry> Routes(RouteFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scan = await OnLoop(cancellationToken, (_, evpn) => evpn.Core.Queries.ScanRoutes(filter)).ConfigureAwait(false);
        while (!scan.IsDone)
        {
            var slice = await OnLoop(cancellationToken, (_, _) => scan.Next(RouteSlice).Select(ApiViews.Route).ToList()).ConfigureAwait(false);
            foreach (var route in slice)
            {
                yield return route;
            }
        }
    }

    public Task<IReadOnlyList<VniEntry>> VnisAsync(CancellationToken cancellationToken) =>
        OnLoop<IReadOnlyList<VniEntry>>(cancellationToken, (_, evpn) => evpn.Core.Queries.Vnis().Select(v => ApiViews.Vni(v, evpn.Config)).ToList());

    public async IAsyncEnumerable<MacAddressEntry> Macs(uint? vni, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var vnis = await OnLoop(cancellationToken, (_, evpn) => VniNumbers(evpn, vni).ToList()).ConfigureAwait(false);
        foreach (var v in vnis)
        {
            // The keys in one turn, sorted here, the entries a slice per turn: a VNI of a million MACs never holds the loop.
            var addresses = await OnLoop(cancellationToken, (_, evpn) => evpn.Core.Queries.MacAddresses(v)).ConfigureAwait(false);
            Array.Sort(addresses);
            for (var start = 0; start < addresses.Length; start += MacSlice)
            {
                var part = new ArraySegment<MacAddress>(addresses, start, Math.Min(MacSlice, addresses.Length - start));
                var slice = await OnLoop(cancellationToken, (_, evpn) => evpn.Core.Queries.Macs(v, part).Select(ApiViews.Mac).ToList()).ConfigureAwait(false);
                foreach (var mac in slice)
                {
                    yield return mac;
                }
            }
        }
    }

    public Task<IReadOnlyList<FloodListEntry>> FloodAsync(uint? vni, CancellationToken cancellationToken) =>
        OnLoop<IReadOnlyList<FloodListEntry>>(cancellationToken, (_, evpn) => VniNumbers(evpn, vni)
            .Select(v => new FloodListEntry(v, evpn.Core.Queries.FloodList(v).Select(FloodVtep).ToList())).ToList());

    /// <summary>A flood-list VTEP; one flooded to with another VNI than the list's says which.</summary>
    private static string FloodVtep(FloodEntry f) => f.HasRemoteVni ? $"{f.Vtep} (vni {f.RemoteVni})" : f.Vtep.ToString();

    public async Task<ExplainDocument> ExplainAsync(MacAddress address, uint? vni, CancellationToken cancellationToken)
    {
        var explanation = await OnLoop(cancellationToken, (_, evpn) =>
        {
            var vnis = vni is { } one ? [one] : evpn.Core.Queries.Vnis().Where(v => evpn.Core.Queries.FindMac(v.Vni, address) is not null).Select(v => v.Vni).ToList();
            return vnis.Count == 0 ? null : evpn.Core.Queries.Explain(address, vnis[0]);
        }).ConfigureAwait(false);
        if (explanation is null)
        {
            return new ExplainDocument(address.ToString(), vni, [], "no VNI knows this MAC", []);
        }
        var installed = await Parts.DataPlane.ReadInstalledAsync(cancellationToken).ConfigureAwait(false);
        var kernel = installed.Fdb.Where(e => e.Mac == address && e.Vni == explanation.Vni).Select(ApiViews.Fdb)
            .Concat(installed.Neighbors.Where(n => n.Mac == address && n.Vni == explanation.Vni).Select(ApiViews.Neighbor))
            .ToList();
        return ApiViews.Explain(explanation, kernel);
    }

    public Task<RouteExplainDocument> ExplainRouteAsync(RouteExplainQuery query, CancellationToken cancellationToken) =>
        OnLoop(cancellationToken, (_, evpn) =>
            ApiViews.ExplainRoute(evpn.Core.Queries.ExplainImport(query.Mac, query.Rd, query.EthernetTag, query.Type, query.Vni)));

    public async Task<AuditDocument> AuditAsync(CancellationToken cancellationToken) =>
        ApiViews.Audit(await Parts.Writer.AuditAsync(cancellationToken).ConfigureAwait(false));

    public Task<ActionResult> ReloadAsync(CancellationToken cancellationToken) => reloader.ReloadAsync(cancellationToken);

    public Task<ClearDuplicatesDocument?> ClearDuplicatesAsync(uint? vni, MacAddress? address, CancellationToken cancellationToken) =>
        Command(cancellationToken, (bgp, evpn) =>
        {
            if (vni is { } one && !evpn.Core.Queries.HasVni(one))
            {
                return null;
            }
            var cleared = evpn.ClearDuplicates(bgp, vni, address);
            return new ClearDuplicatesDocument(ApiViews.ClearedMessage(vni, address, cleared.Count), cleared.Select(ApiViews.Cleared).ToList());
        });

    public Task<ActionResult> NeighborActionAsync(string address, string action, bool soft, CancellationToken cancellationToken) =>
        Command(cancellationToken, (bgp, _) =>
        {
            var peer = bgp.Peers.FirstOrDefault(p => p.Address.ToString() == address);
            if (peer is null && bgp.FindInterfaceNeighbor(address) is { } unnumbered)
            {
                if (InterfaceNeighborAction(bgp, unnumbered, action) is { } done)
                {
                    return done;
                }
                peer = unnumbered.Peer;
            }
            if (peer is null)
            {
                return new ActionResult(false, $"no neighbor {address}", []);
            }
            switch (action)
            {
                case "shutdown":
                    bgp.Shutdown(peer, "shut down by the operator (evpnctl)");
                    return new ActionResult(true, $"neighbor {address} shut down", []);
                case "enable":
                    bgp.Enable(peer);
                    return new ActionResult(true, $"neighbor {address} enabled", []);
                case "clear" when soft:
                    var asked = bgp.RequestRouteRefresh(peer, AfiSafi.L2vpnEvpn);
                    return new ActionResult(asked, asked ? $"route refresh requested from {address}" : $"{address} is not established or does not support route refresh", []);
                default:
                    bgp.Reset(peer, hard: false, "cleared by the operator (evpnctl)");
                    return new ActionResult(true, $"neighbor {address} reset", []);
            }
        });

    /// <summary>Shutdown and enable of an interface neighbor apply whether or not it has a peer now (one found later
    /// starts as the operator left it); clear needs a session. Null: act on its peer like any other.</summary>
    private static ActionResult? InterfaceNeighborAction(BgpSpeaker bgp, InterfaceNeighbor neighbor, string action)
    {
        switch (action)
        {
            case "shutdown":
                bgp.ShutdownInterfaceNeighbor(neighbor, "shut down by the operator (evpnctl)");
                return new ActionResult(true, $"neighbor {neighbor.Name} shut down", []);
            case "enable":
                bgp.EnableInterfaceNeighbor(neighbor);
                return new ActionResult(true, $"neighbor {neighbor.Name} enabled", []);
            default:
                return neighbor.Peer is null ? new ActionResult(false, $"neighbor {neighbor.Name}: {WaitingReason(neighbor)}", []) : null;
        }
    }

    /// <summary>A read-only query, in turns with the peers' messages.</summary>
    private Task<T> OnLoop<T>(CancellationToken cancellationToken, Func<BgpSpeaker, EvpnSpeaker, T> query)
    {
        var parts = Parts;
        return parts.Bgp.QueryAsync(bgp => query(bgp, parts.Evpn)).WaitAsync(cancellationToken);
    }

    /// <summary>A command that changes state: ahead of queued messages and queries, like the other commands.</summary>
    private Task<T> Command<T>(CancellationToken cancellationToken, Func<BgpSpeaker, EvpnSpeaker, T> command)
    {
        var parts = Parts;
        return parts.Bgp.InvokeAsync(bgp => command(bgp, parts.Evpn)).WaitAsync(cancellationToken);
    }

    private static IEnumerable<uint> VniNumbers(EvpnSpeaker evpn, uint? vni) =>
        vni is { } one ? [one] : evpn.Core.Queries.Vnis().Select(v => v.Vni);

    private static string UpDown(BgpPeer peer) => peer.EstablishedSince is { } since
        ? ApiViews.Duration(DateTimeOffset.UtcNow - since)
        : "never";

    private static string? Description(EvpnSpeaker evpn, BgpPeer peer) => evpn.NeighborOf(peer)?.Description;

    private static string? InterfaceDescription(EvpnSpeaker evpn, string name) =>
        evpn.Config.Neighbors.FirstOrDefault(n => n.Interface == name)?.Description;

    private static NeighborDetail Detail(EvpnSpeaker evpn, BgpSpeaker bgp, BgpPeer p)
    {
        var unnumbered = p.Options.Interface is { } name ? bgp.FindInterfaceNeighbor(name) : null;
        var session = p.Session;
        var counters = p.Counters;
        return new NeighborDetail(
            p.Options.Interface ?? p.Address.ToString(), session?.RemoteAs ?? p.Options.RemoteAs, session?.LocalAs ?? bgp.Options.LocalAs,
            p.Options.RemoteAs == bgp.Options.LocalAs ? "internal" : "external",
            p.AdminDown ? "Idle (Admin)" : p.State.ToString(),
            session is null ? null : IpAddr.FromV4(session.RemoteId).ToString(),
            UpDown(p), session?.HoldTime ?? p.Options.HoldTime, (int)(session?.KeepaliveTime.TotalSeconds ?? p.Options.HoldTime / 3),
            session is null ? [] : Capabilities(session.LocalOpen),
            session is null ? [] : Capabilities(session.RemoteOpen),
            session is null ? [] : session.Families.Select(f => f.ToString()).ToList(),
            new Dictionary<string, long> { ["total"] = counters.MessagesReceived, ["updates"] = counters.UpdatesReceived },
            new Dictionary<string, long> { ["updates"] = counters.UpdatesSent },
            new Dictionary<string, long>
            {
                ["attribute-discard"] = counters.AttributesDiscarded,
                ["treat-as-withdraw"] = counters.TreatedAsWithdraw,
                ["unknown-route-type-skipped"] = counters.UnknownRoutesSkipped,
            },
            p.LastDownReason, ApiViews.Notification(p.LastNotificationSent), ApiViews.Notification(p.LastNotificationReceived),
            session?.PeerGracefulRestart is { } gr ? $"peer restart time {gr.RestartTime}s" : null,
            Description(evpn, p), p.Options.Interface,
            unnumbered is null ? null : $"{p.Address} (found by {unnumbered.DiscoveredBy})",
            evpn.Core.Queries.UpdateGroupOf(p.Address) is { } group ? new UpdateGroupEntry(group.Id, group.Key, group.Members) : null);
    }

    private static List<string> Capabilities(OpenMessage open) =>
        open.Parameters.SelectMany(p => p.Capabilities).Select(ApiViews.Capability).ToList();
}
