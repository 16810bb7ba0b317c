using System.Globalization;
using System.Text;
using Evpn.Api;

namespace Evpn.Cli.Management;

/// <summary>The human form of each management API document, FRR-like so that operators who know
/// <c>show bgp l2vpn evpn</c> read it without a legend. Every show command prints through here.</summary>
public static class Views
{
    /// <summary>Like FRR's <c>show bgp l2vpn evpn summary</c>. UpdSent counts UPDATEs, not all messages:
    /// that is what evpnd counts. State/PfxRcd is the prefix count when Established, the state otherwise.</summary>
    public static string Summary(SummaryDocument summary)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"BGP router identifier {summary.RouterId}, local AS number {summary.As}, local VTEP {summary.LocalVtep ?? "-"}\n");
        text.Append(CultureInfo.InvariantCulture, $"VNIs {summary.Vnis}, EVPN routes {summary.RoutesTotal}\n\n");
        var table = new Table(
            new Column("Neighbor"), new Column("V", Align.Right), new Column("AS", Align.Right),
            new Column("MsgRcvd", Align.Right), new Column("UpdSent", Align.Right), new Column("Up/Down", Align.Right),
            new Column("State/PfxRcd", Align.Right), new Column("PfxSnt", Align.Right), new Column("Desc"));
        foreach (var peer in summary.Peers)
        {
            table.AddRow(peer.Neighbor, "4", Number(peer.RemoteAs), Number(peer.MsgRcvd), Number(peer.UpdSent), peer.UpDown,
                peer.State == "Established" ? Number(peer.PfxRcd) : peer.State, Number(peer.PfxSnt), peer.Desc ?? "N/A");
        }
        text.Append(table).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Total number of neighbors {summary.Peers.Count}\n");
        return text.ToString();
    }

    /// <summary>Like FRR's <c>show bgp neighbors</c>: one block per neighbor.</summary>
    public static string Neighbors(IReadOnlyList<NeighborDetail> neighbors)
    {
        if (neighbors.Count == 0)
        {
            return "No neighbors configured\n";
        }
        var text = new StringBuilder();
        foreach (var n in neighbors)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }
            text.Append(CultureInfo.InvariantCulture, $"BGP neighbor is {n.Neighbor}, remote AS {n.RemoteAs}, local AS {n.LocalAs}, {n.Type} link\n");
            if (n.Interface is { } ifname)
            {
                text.Append(CultureInfo.InvariantCulture, $"  Interface {ifname}, peer {n.InterfacePeer ?? "not found yet"}\n");
            }
            if (n.Description is { } description)
            {
                text.Append(CultureInfo.InvariantCulture, $"  Description: {description}\n");
            }
            var since = n.State == "Established" ? $", up for {n.UpDown}" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"  BGP state = {n.State}{since}\n");
            if (n.UpdateGroup is { } group)
            {
                text.Append(CultureInfo.InvariantCulture, $"  Update group {group.Id} ({group.Shares}), {group.Members} member(s)\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"  Remote router ID {n.RemoteRouterId ?? "-"}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Hold time {n.HoldTime}s, keepalive interval {n.KeepaliveTime}s\n");
            text.Append(CultureInfo.InvariantCulture, $"  Capabilities advertised: {List(n.CapabilitiesAdvertised)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Capabilities received: {List(n.CapabilitiesReceived)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Address families negotiated: {List(n.FamiliesNegotiated)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Graceful restart: {n.GracefulRestart ?? "not negotiated"}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Messages received: {Counters(n.MessagesReceived)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Messages sent: {Counters(n.MessagesSent)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  UPDATE errors (RFC 7606): {Counters(n.UpdateErrors)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Last error: {Notification(n.LastError)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Last NOTIFICATION sent: {Notification(n.LastNotificationSent)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Last NOTIFICATION received: {Notification(n.LastNotificationReceived)}\n");
        }
        return text.ToString();
    }

    /// <summary>Like FRR's <c>show bgp l2vpn evpn</c>: routes grouped by route distinguisher, the status
    /// (<c>*</c> valid, <c>&gt;</c> best, <c>S</c> stale) first, the extended communities on the line below.</summary>
    public static string Routes(IReadOnlyList<RouteEntry> routes)
    {
        var text = new StringBuilder();
        text.Append("Status codes: * valid, > best, S stale\n");
        text.Append("EVPN type-2 prefix: [2]:[EthTag]:[MAClen]:[MAC]:[IPlen]:[IP]\n");
        text.Append("EVPN type-3 prefix: [3]:[EthTag]:[IPlen]:[OrigIP]\n\n");
        var table = new Table(
            new Column("   "), new Column("Network"), new Column("Next Hop"), new Column("VNI", Align.Right),
            new Column("From"), new Column("LocPrf", Align.Right), new Column("Metric", Align.Right), new Column("Path"));
        foreach (var group in routes.GroupBy(r => r.Rd))
        {
            table.AddLine($"Route Distinguisher: {group.Key}");
            foreach (var route in group)
            {
                table.AddRow(Status(route), route.Prefix, route.NextHop ?? "-", route.Vni is { } vni ? Number(vni) : "-",
                    route.Source, route.LocalPref is { } pref ? Number(pref) : null, route.Med is { } med ? Number(med) : null,
                    string.IsNullOrEmpty(route.AsPath) ? "i" : route.AsPath + " i");
                if (route.ExtendedCommunities.Count > 0)
                {
                    table.AddLine($"                    {string.Join(' ', route.ExtendedCommunities)}");
                }
                if (FormLine(route.Form) is { } form)
                {
                    table.AddLine($"                    {form}");
                }
                if (route.PathId is { } pathId)
                {
                    table.AddLine($"                    add-path rx path-id {Number(pathId)}");
                }
                if (route.NotInstalled is { } why)
                {
                    table.AddLine($"                    not installed: {why}");
                }
            }
        }
        text.Append(table);
        var prefixes = routes.Select(r => (r.Rd, r.Prefix)).Distinct().Count();
        text.Append(CultureInfo.InvariantCulture, $"\nDisplayed {prefixes} prefixes ({routes.Count} paths)\n");
        return text.ToString();
    }

    /// <summary>Like FRR's <c>show evpn vni</c>.</summary>
    public static string Vnis(IReadOnlyList<VniEntry> vnis)
    {
        var table = new Table(
            new Column("VNI", Align.Right), new Column("State"), new Column("RD"), new Column("Import RTs"), new Column("Export RTs"),
            new Column("VxLAN IF"), new Column("Bridge"), new Column("Local MACs", Align.Right), new Column("Remote MACs", Align.Right),
            new Column("Remote VTEPs", Align.Right));
        foreach (var v in vnis)
        {
            table.AddRow(Number(v.Vni), v.State, v.Rd, string.Join(',', v.ImportRts), string.Join(',', v.ExportRts),
                v.VxlanDevice ?? "-", v.Bridge ?? "-", Number(v.LocalMacs), Number(v.RemoteMacs), Number(v.RemoteVteps));
        }
        return $"{table}\nNumber of VNIs: {vnis.Count}\n";
    }

    /// <summary>Like FRR's <c>show evpn mac vni all</c>: local MACs with their port, remote ones with their VTEP.</summary>
    public static string Macs(IReadOnlyList<MacAddressEntry> macs)
    {
        var table = new Table(
            new Column("VNI", Align.Right), new Column("MAC"), new Column("Type"), new Column("Intf/Remote VTEP"), new Column("Seq", Align.Right),
            new Column("Sticky"), new Column("Duplicate"), new Column("IPs"));
        foreach (var m in macs)
        {
            table.AddRow(Number(m.Vni), m.Mac, m.Type, RemoteVtep(m) ?? m.Interface ?? "-", Number(m.Sequence),
                m.Sticky ? "yes" : "no", m.Duplicate ? "yes" : "no", m.Ips.Count == 0 ? "-" : string.Join(',', m.Ips));
        }
        return $"{table}\nNumber of MACs: {macs.Count}\n";
    }

    /// <summary>A remote MAC's VTEP, with the VNI frames to it carry when that is not the MAC's own.</summary>
    private static string? RemoteVtep(MacAddressEntry m) => m.RemoteVni is { } vni && m.RemoteVtep is { } vtep ? $"{vtep} vni {Number(vni)}" : m.RemoteVtep;

    /// <summary>What <c>clear duplicates</c> released: the message, then each MAC, since when it was duplicate, and
    /// where it is served now (the columns of <see cref="Macs"/>).</summary>
    public static string ClearedDuplicates(ClearDuplicatesDocument document)
    {
        if (document.Cleared.Count == 0)
        {
            return document.Message + "\n";
        }
        var table = new Table(
            new Column("VNI", Align.Right), new Column("MAC"), new Column("Duplicate since"), new Column("Was frozen"), new Column("Type"),
            new Column("Intf/Remote VTEP"), new Column("Seq", Align.Right));
        foreach (var c in document.Cleared)
        {
            table.AddRow(Number(c.Vni), c.Mac, c.DuplicateSince.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), c.WasFrozen ? "yes" : "no",
                c.Now.Type, c.Now.RemoteVtep ?? c.Now.Interface ?? "-", Number(c.Now.Sequence));
        }
        return $"{document.Message}\n{table}";
    }

    /// <summary>Each VNI's flood list: the remote VTEPs BUM traffic is replicated to (ingress replication).</summary>
    public static string Flood(IReadOnlyList<FloodListEntry> flood)
    {
        var table = new Table(new Column("VNI", Align.Right), new Column("VTEPs", Align.Right), new Column("Remote VTEPs"));
        foreach (var f in flood)
        {
            table.AddRow(Number(f.Vni), Number(f.RemoteVteps.Count), f.RemoteVteps.Count == 0 ? "-" : string.Join(' ', f.RemoteVteps));
        }
        return table.ToString();
    }

    /// <summary>Every candidate for a MAC, the winner marked, the reason beside it, then what the data plane holds.</summary>
    public static string Explain(ExplainDocument explain)
    {
        var text = new StringBuilder();
        var where = explain.Vni is { } vni ? $" in VNI {vni}" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"MAC {explain.Mac}{where}: {explain.Verdict}\n");
        if (explain.Candidates.Count > 0)
        {
            var table = new Table(new Column("Best"), new Column("Source"), new Column("RD"), new Column("VTEP"), new Column("Seq", Align.Right),
                new Column("Sticky"), new Column("Reason"), new Column("Imported because"));
            foreach (var c in explain.Candidates)
            {
                table.AddRow(c.Best ? ">" : null, c.Source, c.Rd, c.Vtep ?? "-", Number(c.Sequence), c.Sticky ? "yes" : "no", c.Reason, c.Import ?? "-");
            }
            text.Append('\n').Append(table);
        }
        text.Append("\nData plane:\n");
        text.Append(explain.Kernel.Count == 0 ? "  nothing installed for this MAC\n" : string.Concat(explain.Kernel.Select(k => $"  {k}\n")));
        return text.ToString();
    }

    /// <summary>Per received route: its key, what selects a VNI on it, one line per VNI considered, the verdict.</summary>
    public static string ExplainRoute(RouteExplainDocument explain)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{explain.Verdict}\n");
        foreach (var route in explain.Routes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{route.Route} from {route.Source}{PathIdText(route.PathId)} via {route.NextHop}\n");
            text.Append(CultureInfo.InvariantCulture,
                $"  route targets {(route.RouteTargets.Count == 0 ? "none" : string.Join(", ", route.RouteTargets))}; label {(route.LabelVni is { } l ? $"VNI {l}" : "not a VXLAN VNI")}\n");
            text.Append(CultureInfo.InvariantCulture, $"  {route.Verdict}\n");
            if (route.Vnis.Count > 0)
            {
                var table = new Table(new Column("VNI", Align.Right), new Column("Imported"), new Column("Import RTs"), new Column("Tag", Align.Right), new Column("Why"));
                foreach (var v in route.Vnis)
                {
                    table.AddRow(Number(v.Vni), v.Imported ? "yes" : "no", string.Join(", ", v.ImportRouteTargets), Number(v.EthernetTag), v.Reason);
                }
                text.Append('\n').Append(table);
            }
        }
        return text.ToString();
    }

    /// <summary>" path-id N" for a path of an add-path peer (RFC 7911), nothing otherwise.</summary>
    private static string PathIdText(uint? pathId) => pathId is { } id ? $" path-id {Number(id)}" : string.Empty;

    /// <summary>The audit's differences, one per line with its kind; a single sentence when in sync.</summary>
    public static string Audit(AuditDocument audit)
    {
        if (audit.InSync)
        {
            return "in sync: the data plane holds exactly what evpnd intends\n";
        }
        var table = new Table(new Column("Difference"), new Column("Entry"));
        foreach (var entry in audit.Missing)
        {
            table.AddRow("missing", entry);
        }
        foreach (var entry in audit.Extra)
        {
            table.AddRow("extra", entry);
        }
        foreach (var entry in audit.WrongVtep)
        {
            table.AddRow("wrong", entry);
        }
        return $"{table}\n{table.RowCount} difference(s) between evpnd and the data plane\n";
    }

    /// <summary>The answer to reload and neighbor actions: the message, then each detail indented.</summary>
    public static string Action(ActionResult result) =>
        result.Message + "\n" + string.Concat(result.Details.Select(d => $"  {d}\n"));

    /// <summary>The marks of a vendor's route form, one line: L3 VNI and router MAC, ESI, gateway, sticky, and why
    /// it is not installed.</summary>
    private static string? FormLine(RouteFormEntry? form)
    {
        if (form is null)
        {
            return null;
        }
        var marks = new List<string>();
        if (form.Label2Vni is { } l3)
        {
            marks.Add($"L3 VNI {Number(l3)}");
        }
        if (form.RoutersMac is { } rmac)
        {
            marks.Add($"router MAC {rmac}");
        }
        if (form.Esi is { } esi)
        {
            marks.Add($"multihomed ESI {esi} (installed toward this VTEP only)");
        }
        if (form.DefaultGateway)
        {
            marks.Add("default gateway");
        }
        if (form.Sticky)
        {
            marks.Add("sticky");
        }
        return marks.Count == 0 ? null : string.Join("; ", marks);
    }

    private static string Status(RouteEntry route) => (route.Stale ? "S" : string.Empty) + "*" + (route.Best ? ">" : string.Empty);

    private static string Notification(string? text) => text is null ? "none" : NotificationText.Describe(text);

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    private static string Counters(IReadOnlyDictionary<string, long> counters) =>
        counters.Count == 0 ? "none" : string.Join(", ", counters.Select(c => $"{c.Key} {Number(c.Value)}"));

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
