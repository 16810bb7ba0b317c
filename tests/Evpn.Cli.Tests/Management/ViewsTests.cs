using Evpn.Api;
using Evpn.Cli.Management;

namespace Evpn.Cli.Tests.Management;

public sealed class ViewsTests
{
    private static readonly Dictionary<string, long> NoCounters = [];

    [Fact]
    public void Summary_shows_the_prefix_count_of_an_established_peer_and_the_state_of_the_others()
    {
        var summary = new SummaryDocument("192.0.2.1", 65001, "192.0.2.1", 2, 7,
        [
            new NeighborSummary("192.0.2.2", 65002, "Established", "00:12:05", 120, 14, 5, 2, "leaf-2"),
            new NeighborSummary("192.0.2.3", 4200000000, "Active", "never", 0, 0, 0, 0, null),
        ]);

        var text = Views.Summary(summary);

        Assert.Equal(
            """
            BGP router identifier 192.0.2.1, local AS number 65001, local VTEP 192.0.2.1
            VNIs 2, EVPN routes 7

            Neighbor   V          AS  MsgRcvd  UpdSent   Up/Down  State/PfxRcd  PfxSnt  Desc
            192.0.2.2  4       65002      120       14  00:12:05             5       2  leaf-2
            192.0.2.3  4  4200000000        0        0     never        Active       0  N/A

            Total number of neighbors 2

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void A_route_not_installed_says_why_below_it()
    {
        var route = Route("192.0.2.2:1", "[2]:[0]:[48]:[00:11:22:33:44:55]:[0]:[0.0.0.0]", "192.0.2.2", best: true, asPath: "65002") with
        {
            NextHop = "2001:db8::2",
            NotInstalled = "its VTEP 2001:db8::2 is IPv6 and the local VTEP 192.0.2.1 is IPv4 (no VXLAN tunnel across underlay families)",
        };

        var lines = Views.Routes([route]).Split('\n');

        Assert.Equal("                    not installed: its VTEP 2001:db8::2 is IPv6 and the local VTEP 192.0.2.1 is IPv4 (no VXLAN tunnel across underlay families)",
            lines[Array.FindIndex(lines, l => l.Contains("2001:db8::2 ", StringComparison.Ordinal)) + 2]);
    }

    [Fact]
    public void Routes_are_grouped_by_rd_with_status_markers_and_extended_communities_below()
    {
        var routes = new List<RouteEntry>
        {
            Route("192.0.2.1:1", "[3]:[0]:[32]:[192.0.2.1]", "local", best: true, asPath: ""),
            Route("192.0.2.2:1", "[2]:[0]:[48]:[00:11:22:33:44:55]:[0]:[0.0.0.0]", "192.0.2.2", best: true, asPath: "65002"),
            Route("192.0.2.2:1", "[2]:[0]:[48]:[00:11:22:33:44:55]:[0]:[0.0.0.0]", "192.0.2.3", best: false, asPath: "65003 65002", stale: true),
        };

        var lines = Views.Routes(routes).Split('\n');

        Assert.Equal("Route Distinguisher: 192.0.2.1:1", lines[5]);
        Assert.Equal(["*>", "[3]:[0]:[32]:[192.0.2.1]", "192.0.2.1", "100", "local", "i"], lines[6].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("                    RT:65001:100 ET:8", lines[7]);
        Assert.Equal("Route Distinguisher: 192.0.2.2:1", lines[8]);
        Assert.StartsWith("*>   [2]:[0]:[48]:[00:11:22:33:44:55]", lines[9]);
        Assert.EndsWith("65002 i", lines[9]);
        Assert.StartsWith("S*   [2]:[0]:[48]:[00:11:22:33:44:55]", lines[11]);
        Assert.EndsWith("65003 65002 i", lines[11]);
        Assert.Contains("Displayed 2 prefixes (3 paths)", lines);
    }

    [Fact]
    public void Neighbors_name_the_notification_subcodes_and_say_none_for_what_never_happened()
    {
        var neighbor = new NeighborDetail("192.0.2.2", 65002, 65001, "external", "Active", null, "never", 90, 30, [], [], [],
            new Dictionary<string, long> { ["total"] = 3, ["updates"] = 0 }, NoCounters, NoCounters,
            "received NOTIFICATION Cease/2 \"maintenance\"", null, "NOTIFICATION Cease/2 \"maintenance\"", null, null);

        var text = Views.Neighbors([neighbor]);

        Assert.Contains("BGP neighbor is 192.0.2.2, remote AS 65002, local AS 65001, external link\n", text);
        Assert.Contains("  BGP state = Active\n", text);
        Assert.Contains("  Capabilities received: none\n", text);
        Assert.Contains("  Messages received: total 3, updates 0\n", text);
        Assert.Contains("  Last NOTIFICATION sent: none\n", text);
        Assert.Contains("  Last NOTIFICATION received: NOTIFICATION Cease/2 (administrative shutdown) \"maintenance\"\n", text);
        Assert.Contains("  Graceful restart: not negotiated\n", text);
    }

    [Fact]
    public void Macs_show_the_vtep_of_remote_macs_the_port_of_local_ones_and_the_flags()
    {
        var text = Views.Macs(
        [
            new MacAddressEntry(100, "00:11:22:33:44:55", "remote", "192.0.2.2", null, ["10.0.0.5"], 3, Sticky: true, Duplicate: false),
            new MacAddressEntry(100, "00:11:22:33:44:66", "local", null, "eth1", [], 0, Sticky: false, Duplicate: true),
        ]);

        Assert.Equal(["100", "00:11:22:33:44:55", "remote", "192.0.2.2", "3", "yes", "no", "10.0.0.5"], RowWith(text, "00:11:22:33:44:55"));
        Assert.Equal(["100", "00:11:22:33:44:66", "local", "eth1", "0", "no", "yes", "-"], RowWith(text, "00:11:22:33:44:66"));
        Assert.EndsWith("Number of MACs: 2\n", text);
    }

    [Fact]
    public void Vnis_and_flood_lists_are_one_row_each()
    {
        var vnis = Views.Vnis([new VniEntry(100, "192.0.2.1:1", ["65001:100", "*:100"], ["65001:100"], "vxlan100", "br100", "192.0.2.1", "up", 4, 9, 2)]);
        var flood = Views.Flood([new FloodListEntry(100, ["192.0.2.2", "192.0.2.3"]), new FloodListEntry(200, [])]);

        Assert.Equal(["100", "up", "192.0.2.1:1", "65001:100,*:100", "65001:100", "vxlan100", "br100", "4", "9", "2"], Cells(vnis, "100"));
        Assert.Equal(["100", "2", "192.0.2.2", "192.0.2.3"], Cells(flood, "100"));
        Assert.Equal(["200", "0", "-"], Cells(flood, "200"));
    }

    [Fact]
    public void Explain_marks_the_winner_and_lists_the_kernel_entries()
    {
        var explain = new ExplainDocument("00:11:22:33:44:55", 100,
        [
            new ExplainCandidate("192.0.2.2", "192.0.2.2:1", "192.0.2.2", 4, false, true, "HigherSequence"),
            new ExplainCandidate("local (eth1)", "192.0.2.1:1", "192.0.2.1", 3, false, false, "LowerSequence"),
        ], "remote at 192.0.2.2 (sequence 4)", ["fdb 00:11:22:33:44:55 vni 100 dst 192.0.2.2"]);

        var text = Views.Explain(explain);

        Assert.StartsWith("MAC 00:11:22:33:44:55 in VNI 100: remote at 192.0.2.2 (sequence 4)\n", text);
        Assert.Equal([">", "192.0.2.2", "192.0.2.2:1", "192.0.2.2", "4", "no", "HigherSequence", "-"], Cells(text, ">"));
        Assert.EndsWith("Data plane:\n  fdb 00:11:22:33:44:55 vni 100 dst 192.0.2.2\n", text);
    }

    [Fact]
    public void Explain_route_lists_what_selects_a_vni_and_one_row_per_vni_considered()
    {
        var explain = new RouteExplainDocument(
        [
            new RouteImportEntry("192.0.2.2:1300 [2]:[1305]:[48]:[52:54:00:13:05:02]", "192.0.2.2", "192.0.2.2", ["RT:65003:1300"], 1305,
            [
                new ImportDecisionEntry(1303, false, "a route target matches but the Ethernet Tag 1305 names another VNI", ["RT:65003:1300"], 1303),
                new ImportDecisionEntry(1304, false, "a route target matches but the Ethernet Tag 1305 names another VNI", ["RT:65003:1300"], 1304),
            ], "not imported: VNI 1303: ..."),
        ], "1 received route");

        var text = Views.ExplainRoute(explain);

        Assert.StartsWith("1 received route\n\n192.0.2.2:1300 [2]:[1305]:[48]:[52:54:00:13:05:02] from 192.0.2.2 via 192.0.2.2\n" +
                          "  route targets RT:65003:1300; label VNI 1305\n  not imported: VNI 1303: ...\n", text);
        Assert.Equal(["1304", "no", "RT:65003:1300", "1304", "a", "route", "target", "matches", "but", "the", "Ethernet", "Tag", "1305", "names", "another", "VNI"], Cells(text, "1304"));
    }

    [Fact]
    public void Audit_in_sync_is_one_sentence_and_differences_are_listed_by_kind()
    {
        Assert.Equal("in sync: the data plane holds exactly what evpnd intends\n", Views.Audit(new AuditDocument(true, [], [], [])));

        var text = Views.Audit(new AuditDocument(false, ["fdb 00:11:22:33:44:55 vni 100 dst 192.0.2.2"], ["flood 00:00:00:00:00:00 vni 100 dst 192.0.2.9"], []));

        Assert.Equal(["missing", "fdb", "00:11:22:33:44:55", "vni", "100", "dst", "192.0.2.2"], Cells(text, "missing"));
        Assert.Equal(["extra", "flood", "00:00:00:00:00:00", "vni", "100", "dst", "192.0.2.9"], Cells(text, "extra"));
        Assert.EndsWith("2 difference(s) between evpnd and the data plane\n", text);
    }

    [Fact]
    public void Cleared_duplicates_are_the_message_then_one_row_each_with_where_the_mac_is_served_now()
    {
        var since = new DateTimeOffset(2026, 11, 29, 7, 30, 5, TimeSpan.Zero);
        var text = Views.ClearedDuplicates(new ClearDuplicatesDocument("cleared 2 duplicate MACs",
        [
            new ClearedDuplicateEntry(100, "00:11:22:33:44:55", since, true,
                new MacAddressEntry(100, "00:11:22:33:44:55", "remote", "192.0.2.2", null, [], 7, Sticky: false, Duplicate: false)),
            new ClearedDuplicateEntry(200, "00:11:22:33:44:66", since, false,
                new MacAddressEntry(200, "00:11:22:33:44:66", "local", null, "eth1", [], 8, Sticky: false, Duplicate: false)),
        ]));

        Assert.StartsWith("cleared 2 duplicate MACs\n", text);
        Assert.Equal(["100", "00:11:22:33:44:55", "2026-11-29T07:30:05Z", "yes", "remote", "192.0.2.2", "7"], RowWith(text, "00:11:22:33:44:55"));
        Assert.Equal(["200", "00:11:22:33:44:66", "2026-11-29T07:30:05Z", "no", "local", "eth1", "8"], RowWith(text, "00:11:22:33:44:66"));
        Assert.Equal("no duplicate MACs in any VNI: nothing cleared\n",
            Views.ClearedDuplicates(new ClearDuplicatesDocument("no duplicate MACs in any VNI: nothing cleared", [])));
    }

    [Fact]
    public void An_action_answer_is_its_message_then_each_detail_indented()
    {
        Assert.Equal("reload rejected\n  a.yaml:3:5: router.asn: expected a number\n",
            Views.Action(new ActionResult(false, "reload rejected", ["a.yaml:3:5: router.asn: expected a number"])));
    }

    private static RouteEntry Route(string rd, string prefix, string source, bool best, string asPath, bool stale = false) =>
        new(prefix.StartsWith("[2]", StringComparison.Ordinal) ? 2 : 3, rd, prefix, 100, null, null, source == "local" ? "192.0.2.1" : source, source, best,
            best ? "OnlyPath" : null, ["RT:65001:100", "ET:8"], null, asPath, null, null, stale, null, []);

    private static string[] Cells(string table, string first) => Rows(table).Single(c => c.Length > 0 && c[0] == first);

    private static string[] RowWith(string table, string cell) => Rows(table).Single(c => c.Contains(cell));

    private static IEnumerable<string[]> Rows(string table) => table.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
