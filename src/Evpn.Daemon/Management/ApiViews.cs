using System.Globalization;
using Evpn.Api;
using Evpn.Config.Options;
using Evpn.Core;
using Evpn.DataPlane;
using Evpn.Session.Fsm;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Management;

/// <summary>The core's and the data plane's views as the management API's documents.</summary>
internal static class ApiViews
{
    public static RouteEntry Route(RouteView view)
    {
        var route = view.Route;
        var rd = route.Rd.ToString();
        var text = route.ToString();
        var prefix = text.StartsWith(rd + " ", StringComparison.Ordinal) ? text[(rd.Length + 1)..] : text;
        var attributes = view.Attributes;
        var (mac, ip) = route is MacIpAdvertisementRoute m ? (m.Mac.ToString(), m.Ip?.ToString()) : (null, null);
        return new RouteEntry(
            (int)route.Type, rd, prefix, view.LabelVni, mac, ip, view.NextHop.ToString(), view.Source, view.IsBest,
            view.BestReason?.ToString(),
            attributes.ExtendedCommunities.Select(c => c.ToString()).ToList(),
            attributes.PmsiTunnel is { } pmsi ? Pmsi(pmsi) : null,
            attributes.AsPath?.ToString(),
            attributes.LocalPref,
            attributes.MultiExitDisc,
            view.IsStale,
            attributes.OriginatorId?.ToString(),
            attributes.ClusterList.Select(c => c.ToString()).ToList(),
            view.NotInstalled,
            Form(view),
            view.PathId);
    }

    private static RouteFormEntry? Form(RouteView view)
    {
        var type2 = view.Route as MacIpAdvertisementRoute;
        if (type2 is null && view.Route is not InclusiveMulticastRoute)
        {
            return null;
        }
        var communities = view.Attributes.ExtendedCommunities;
        return new RouteFormEntry(
            type2?.Label2 is { } label2 ? EvpnLabel.ToVni(label2) : null,
            RouteForms.RoutersMac(view.Attributes)?.ToString(),
            type2 is { Esi.IsZero: false } ? type2.Esi.ToString() : null,
            communities.Any(c => c.IsDefaultGateway),
            communities.Any(c => c.IsMacMobility && c.MacMobilitySticky));
    }

    public static VniEntry Vni(VniView v, EvpnConfig config)
    {
        var configured = config.Evpn.For(v.Vni);
        var state = v.Present ? "up" : v.Configured ? "missing" : "down";
        return new VniEntry(v.Vni, v.Rd.ToString(),
            v.ImportRouteTargets.Select(Rt).ToList(), v.ExportRouteTargets.Select(Rt).ToList(),
            configured.VxlanDevice, configured.Bridge, v.LocalVtep.ToString(), state, v.LocalMacs, v.RemoteMacs, v.FloodVteps);
    }

    public static MacAddressEntry Mac(MacView m) => new(
        m.Vni, m.Mac.ToString(), m.Location.ToString().ToLowerInvariant(), m.Location == MacLocation.Remote ? m.Vtep?.ToString() : null,
        m.LocalPort, m.Ips.Select(i => i.ToString()).ToList(), m.Sequence, m.Sticky, m.Duplicate, m.RemoteVni);

    public static ClearedDuplicateEntry Cleared(ClearedDuplicate c) =>
        new(c.Now.Vni, c.Now.Mac.ToString(), c.DuplicateSince, c.WasFrozen, Mac(c.Now));

    /// <summary>What a clear did, in one sentence; when nothing matched it says so, naming the MAC and VNI asked for.</summary>
    public static string ClearedMessage(uint? vni, MacAddress? mac, int cleared)
    {
        var where = vni is { } n ? $"VNI {n}" : "any VNI";
        return (cleared, mac) switch
        {
            (0, { } m) => $"MAC {m} is not duplicate in {where}: nothing cleared",
            (0, null) => $"no duplicate MACs in {where}: nothing cleared",
            (1, _) => "cleared 1 duplicate MAC",
            _ => $"cleared {cleared} duplicate MACs",
        };
    }

    public static ExplainDocument Explain(MacExplanation e, IReadOnlyList<string> kernel) => new(
        e.Mac.ToString(), e.Vni,
        e.Candidates.Select(c => new ExplainCandidate(
            c.IsLocal ? $"local{(c.LearnedFrom is { } port ? $" ({port})" : string.Empty)}" : c.LearnedFrom ?? "remote",
            c.Route?.Rd.ToString() ?? "-", c.Vtep.ToString(), c.Sequence, c.Sticky, c.IsWinner,
            c.BgpReason is { } bgp ? $"{c.Reason}; best path among {c.BgpCandidates}: {bgp}" : c.Reason.ToString(),
            c.Import)).ToList(),
        e.Summary,
        kernel);

    public static RouteExplainDocument ExplainRoute(IReadOnlyList<RouteImportExplanation> routes) => new(
        routes.Select(r => new RouteImportEntry(r.Route.ToString(), r.Source, r.NextHop.ToString(), r.RouteTargets.Select(rt => rt.ToString()).ToList(), r.LabelVni,
            r.Decisions.OrderBy(d => d.Vni).Select(d => new ImportDecisionEntry(d.Vni, d.Imported,
                CoreQueries.Describe(d.Reason, r.EthernetTag, r.LabelVni), d.ImportRouteTargets.Select(rt => rt.ToString()).ToList(), d.EthernetTag)).ToList(),
            r.Summary, r.PathId)).ToList(),
        routes.Count switch
        {
            0 => "no received type-2 or type-3 route matches",
            1 => "1 received route",
            var n => $"{n} received routes",
        });

    public static AuditDocument Audit(AuditReport r) => new(
        r.IsClean,
        r.MissingFdb.Select(Fdb).Concat(r.MissingFlood.Select(Flood)).Concat(r.MissingNeighbors.Select(Neighbor)).ToList(),
        r.ExtraFdb.Select(Fdb).Concat(r.ExtraFlood.Select(Flood)).Concat(r.ExtraNeighbors.Select(Neighbor)).ToList(),
        r.WrongVtep.Select(w => $"{Fdb(w.Intended)} but the data plane has dst {w.Installed.Vtep}{RemoteVni(w.Installed.HasRemoteVni, w.Installed.RemoteVni)}")
            .Concat(r.WrongMac.Select(w => $"{Neighbor(w.Intended)} but the data plane has lladdr {w.Installed.Mac}")).ToList());

    public static string Capability(Capability c) => c switch
    {
        MultiprotocolCapability mp => $"multiprotocol {mp.Family}",
        RouteRefreshCapability => "route-refresh",
        EnhancedRouteRefreshCapability => "enhanced-route-refresh",
        ExtendedMessageCapability => "extended-message",
        FourOctetAsCapability four => $"4-octet-as {four.Asn}",
        GracefulRestartCapability gr => $"graceful-restart time {gr.RestartTime}s",
        LongLivedGracefulRestartCapability => "long-lived-graceful-restart",
        AddPathCapability a => "add-path " + a.FamiliesText,
        FqdnCapability fqdn => $"hostname {fqdn.Shown}",
        SoftwareVersionCapability v => $"software-version {v.Shown}",
        _ => $"capability {c.Code}",
    };

    /// <summary>A NOTIFICATION as text; an RFC 8538 Hard Reset also shows the NOTIFICATION it carries.</summary>
    public static string? Notification(NotificationMessage? notification) =>
        notification is null ? null
        : Notifications.Unwrap(notification) is var inner && !ReferenceEquals(inner, notification) ? $"{notification} carrying {inner}"
        : notification.ToString();

    /// <summary>FRR's Up/Down column: hh:mm:ss under a day, then 1d02h03m.</summary>
    public static string Duration(TimeSpan t) => t.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays}d{t.Hours:00}h{t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Hours:00}:{t.Minutes:00}:{t.Seconds:00}");

    private static string Rt(ExtendedCommunity c) => c.ToString().StartsWith("RT:", StringComparison.Ordinal) ? c.ToString()[3..] : c.ToString();

    private static string Pmsi(PmsiTunnel p) =>
        p.TunnelType == PmsiTunnel.IngressReplication
            ? $"ingress-replication label {EvpnLabel.ToVni(p.Label)} endpoint {p.Endpoint}"
            : $"tunnel-type {p.TunnelType} label {p.Label}";

    /// <summary>An FDB entry as a line; one sent with another VNI than its own says which (downstream-assigned).</summary>
    public static string Fdb(FdbEntry e) => $"fdb {e.Mac} vni {e.Vni} dst {e.Vtep}{RemoteVni(e.HasRemoteVni, e.RemoteVni)}";
    private static string Flood(FloodEntry e) => $"flood 00:00:00:00:00:00 vni {e.Vni} dst {e.Vtep}{RemoteVni(e.HasRemoteVni, e.RemoteVni)}";
    public static string Neighbor(NeighborEntry e) => $"neighbor {e.Ip} lladdr {e.Mac} vni {e.Vni}";
    private static string RemoteVni(bool differs, uint remoteVni) => differs ? $" remote-vni {remoteVni}" : string.Empty;
}
