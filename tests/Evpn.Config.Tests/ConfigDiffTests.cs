using Evpn.Config.Diff;
using Evpn.Config.Loading;
using Evpn.Config.Options;
using Evpn.Wire.Model;

namespace Evpn.Config.Tests;

/// <summary>Reload cases: which sessions a change resets and which stay up.</summary>
public class ConfigDiffTests
{
    private const string Base = """
        router:
          asn: 65001
          local-vtep: 10.0.0.1
        neighbors:
          - address: 10.0.1.2
            remote-as: 65002
            description: spine 1
          - address: 10.0.1.6
            remote-as: 65003
            description: spine 2
        evpn:
          vnis:
            - vni: 100
            - vni: 200
              import-rts: [65000:200]
              export-rts: [65000:200]
        """;

    [Fact]
    public void Same_file_changes_nothing()
    {
        var diff = ConfigDiff.Compute(Parse(Base), Parse(Base));

        Assert.True(diff.IsEmpty);
        Assert.Empty(diff.Describe());
    }

    [Fact]
    public void Added_and_removed_neighbors_leave_the_others_up()
    {
        var changed = Base.Replace("  - address: 10.0.1.6\n    remote-as: 65003\n    description: spine 2\n",
            "  - address: 10.0.1.10\n    remote-as: 65004\n");

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        Assert.Equal(["10.0.1.10"], diff.NeighborsAdded.Select(n => n.Key));
        Assert.Equal(["10.0.1.6"], diff.NeighborsRemoved.Select(n => n.Key));
        Assert.Empty(diff.NeighborsChanged);
        Assert.Equal(["10.0.1.6"], diff.SessionsInterrupted);
    }

    [Fact]
    public void Description_change_keeps_the_session()
    {
        var diff = ConfigDiff.Compute(Parse(Base), Parse(Base.Replace("spine 1", "spine one")));

        var change = Assert.Single(diff.NeighborsChanged);
        Assert.Equal("10.0.1.2", change.Key);
        Assert.Equal(NeighborAction.UpdateInPlace, change.Action);
        Assert.Equal(["description"], change.ChangedKeys);
        Assert.Empty(diff.SessionsInterrupted);
    }

    [Theory]
    [InlineData("timers:\n      hold-time: 30\n", "timers.hold-time")]
    [InlineData("password: s3cret\n", "password")]
    [InlineData("ttl-security: 1\n", "ttl-security")]
    [InlineData("multihop: 3\n", "multihop")]
    [InlineData("source-address: 10.0.1.1\n", "source-address")]
    [InlineData("families: [l2vpn-evpn, ipv4-unicast]\n", "families")]
    [InlineData("graceful-restart:\n      enabled: false\n", "graceful-restart")]
    [InlineData("timers:\n      delay-open: 5\n", "timers.delay-open")]
    [InlineData("enforce-first-as: false\n", "enforce-first-as")]
    [InlineData("path-attribute:\n      discard: [40]\n", "path-attribute")]
    [InlineData("add-path: receive\n", "add-path")]
    public void Session_keys_reset_only_their_own_neighbor(string addition, string key)
    {
        var changed = Base.Replace("    description: spine 1\n", "    description: spine 1\n    " + addition);

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        var change = Assert.Single(diff.NeighborsChanged);
        Assert.Equal("10.0.1.2", change.Key);
        Assert.Equal(NeighborAction.ResetSession, change.Action);
        Assert.Contains(key, change.ChangedKeys);
        Assert.Equal(["10.0.1.2"], diff.SessionsInterrupted);
    }

    [Fact]
    public void Remote_as_change_resets_the_session()
    {
        var diff = ConfigDiff.Compute(Parse(Base), Parse(Base.Replace("remote-as: 65002", "remote-as: external")));

        var change = Assert.Single(diff.NeighborsChanged);
        Assert.Equal(NeighborAction.ResetSession, change.Action);
        Assert.Equal(["remote-as"], change.ChangedKeys);
    }

    [Theory]
    [InlineData("max-prefix:\n      limit: 1000\n", "max-prefix")]
    [InlineData("timers:\n      connect-retry: 5\n", "timers.connect-retry")]
    [InlineData("passive: true\n", "passive")]
    public void Local_policy_keys_apply_without_reset(string addition, string key)
    {
        var changed = Base.Replace("    description: spine 1\n", "    description: spine 1\n    " + addition);

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        var change = Assert.Single(diff.NeighborsChanged);
        Assert.Equal(NeighborAction.UpdateInPlace, change.Action);
        Assert.Equal([key], change.ChangedKeys);
        Assert.False(change.ReadvertiseRequired);
        Assert.Empty(diff.SessionsInterrupted);
    }

    [Fact]
    public void Shutdown_is_an_explicit_action_both_ways()
    {
        var down = Base.Replace("    description: spine 2\n", "    description: spine 2\n    shutdown: true\n    shutdown-message: maintenance\n");

        var stop = ConfigDiff.Compute(Parse(Base), Parse(down));
        var start = ConfigDiff.Compute(Parse(down), Parse(Base));

        var s = Assert.Single(stop.NeighborsChanged);
        Assert.Equal(NeighborAction.Shutdown, s.Action);
        Assert.Equal("maintenance", s.New.ShutdownMessage);
        Assert.Equal(["10.0.1.6"], stop.SessionsInterrupted);
        Assert.Equal(NeighborAction.Start, Assert.Single(start.NeighborsChanged).Action);
        Assert.Empty(start.SessionsInterrupted);
    }

    [Fact]
    public void Changing_a_shut_down_neighbor_resets_nothing()
    {
        var down = Base.Replace("    description: spine 2\n", "    description: spine 2\n    shutdown: true\n");
        var downWithPassword = down.Replace("    shutdown: true\n", "    shutdown: true\n    password: new\n");

        var diff = ConfigDiff.Compute(Parse(down), Parse(downWithPassword));

        Assert.Equal(NeighborAction.UpdateInPlace, Assert.Single(diff.NeighborsChanged).Action);
        Assert.Empty(diff.SessionsInterrupted);
    }

    [Fact]
    public void Route_reflector_client_toggle_resends_routes_without_reset()
    {
        const string rr = """
            router:
              asn: 65000
              local-vtep: 10.0.0.254
            neighbors:
              - address: 10.0.0.1
                remote-as: internal
            """;
        var client = rr + "\n    route-reflector-client: true\n";

        var diff = ConfigDiff.Compute(Parse(rr), Parse(client));

        var change = Assert.Single(diff.NeighborsChanged);
        Assert.Equal(NeighborAction.UpdateInPlace, change.Action);
        Assert.True(change.ReadvertiseRequired);
        Assert.Equal("neighbor 10.0.0.1: updated, routes re-sent (route-reflector-client)", Assert.Single(diff.Describe()));
    }

    [Fact]
    public void Router_graceful_restart_change_resets_only_neighbors_that_negotiate_it()
    {
        var oneWithoutGr = Base.Replace("    description: spine 2\n", "    description: spine 2\n    graceful-restart:\n      enabled: false\n");
        var longerRestart = oneWithoutGr.Replace("  local-vtep: 10.0.0.1\n", "  local-vtep: 10.0.0.1\n  graceful-restart:\n    restart-time: 300\n");

        var diff = ConfigDiff.Compute(Parse(oneWithoutGr), Parse(longerRestart));

        var change = Assert.Single(diff.NeighborsChanged);
        Assert.Equal("10.0.1.2", change.Key);
        Assert.Equal(NeighborAction.ResetSession, change.Action);
        Assert.Equal(["router.graceful-restart"], change.ChangedKeys);
        Assert.False(diff.RequiresRestart);
    }

    [Fact]
    public void Listen_range_change_is_a_removal_and_an_addition()
    {
        const string range = """
            router:
              asn: 65000
              local-vtep: 10.0.0.254
            neighbors:
              - listen-range: 10.0.0.0/24
                remote-as: internal
            """;

        var diff = ConfigDiff.Compute(Parse(range), Parse(range.Replace("/24", "/25")));

        Assert.Equal(["10.0.0.0/25"], diff.NeighborsAdded.Select(n => n.Key));
        Assert.Equal(["10.0.0.0/24"], diff.NeighborsRemoved.Select(n => n.Key));
    }

    /// <param name="pinRouterId">Write router-id in the old file, so that moving local-vtep does not move it too.</param>
    [Theory]
    [InlineData(true, "  asn: 65001\n", "  asn: 65009\n", "router.asn changed from 65001 to 65009")]
    [InlineData(false, "  local-vtep: 10.0.0.1\n", "  local-vtep: 10.0.0.1\n  router-id: 10.0.0.99\n", "router.router-id changed from 10.0.0.1 to 10.0.0.99")]
    [InlineData(true, "  local-vtep: 10.0.0.1\n", "  local-vtep: 10.0.0.7\n", "router.local-vtep changed from 10.0.0.1 to 10.0.0.7")]
    [InlineData(true, "  local-vtep: 10.0.0.1\n", "  local-vtep: 10.0.0.1\n  listen-port: 1179\n", "router.listen-port changed from 179 to 1179")]
    [InlineData(true, "  local-vtep: 10.0.0.1\n", "  local-vtep: 10.0.0.1\n  allow-loopback-vteps: true\n", "router.allow-loopback-vteps changed from False to True")]
    [InlineData(true, "  local-vtep: 10.0.0.1\n", "  local-vtep: 10.0.0.1\n  update-group-backlog: 4096\n", "router.update-group-backlog changed from 65536 to 4096")]
    public void Identity_changes_need_a_restart(bool pinRouterId, string from, string to, string reason)
    {
        var old = pinRouterId ? Base.Replace("  asn: 65001\n", "  asn: 65001\n  router-id: 10.0.0.1\n") : Base;

        var diff = ConfigDiff.Compute(Parse(old), Parse(old.Replace(from, to)));

        Assert.True(diff.RequiresRestart);
        Assert.Equal([reason], diff.RestartRequired);
    }

    [Fact]
    public void Service_changes_need_a_restart_and_the_log_level_and_mrt_dump_do_not()
    {
        var changed = Base + "\ndata-plane:\n  kind: memory\n  fdb-nexthops: false\nmanagement:\n  socket: /run/other.sock\nmetrics:\n  enabled: false\nlogging:\n  level: debug\n  format: json\n  file: /var/log/evpnd.log\nmrt-dump: /tmp/x.mrt\n";

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        Assert.Equal(
            [
                "data-plane.kind changed from Linux to Memory",
                "data-plane.fdb-nexthops changed from True to False",
                "management.socket changed from /run/evpnd/evpnd.sock to /run/other.sock",
                "metrics changed from 127.0.0.1:9179 to disabled",
                "logging.format changed from Text to Json",
                "logging.file changed from (default) to /var/log/evpnd.log",
            ],
            diff.RestartRequired);
        Assert.Equal(["logging.level", "mrt-dump"], diff.AppliedInPlace);
    }

    [Fact]
    public void Vni_added_and_removed()
    {
        var changed = Base.Replace("    - vni: 100\n", "    - vni: 300\n");

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        Assert.Equal([(100u, VniChangeKind.Removed), (300u, VniChangeKind.Added)], diff.Vnis.Select(v => (v.Vni, v.Kind)));
        Assert.Empty(diff.NeighborsChanged);
    }

    [Fact]
    public void Import_rt_change_reevaluates_that_vni_only()
    {
        var changed = Base.Replace("import-rts: [65000:200]", "import-rts: [65000:200, 65002:200]");

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        var v = Assert.Single(diff.Vnis);
        Assert.Equal(200u, v.Vni);
        Assert.Equal((VniChangeKind.Changed, false, true, false), (v.Kind, v.RdChanged, v.ImportRtsChanged, v.ExportRtsChanged));
        Assert.False(diff.ReevaluateImports);
        Assert.Empty(diff.NeighborsChanged);
    }

    [Fact]
    public void Rd_change_is_reported()
    {
        var changed = Base.Replace("    - vni: 100\n", "    - vni: 100\n      rd: 10.0.0.1:7\n");

        var v = Assert.Single(ConfigDiff.Compute(Parse(Base), Parse(changed)).Vnis);

        Assert.True(v.RdChanged);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:7"), v.New.Rd);
        Assert.Equal("vni 100: changed (rd)", Assert.Single(ConfigDiff.Compute(Parse(Base), Parse(changed)).Describe()));
    }

    [Fact]
    public void Rt_derivation_change_touches_derived_vnis_not_explicit_ones()
    {
        var changed = Base.Replace("evpn:\n", "evpn:\n  rt-derivation: rfc8365\n");

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        Assert.True(diff.ReevaluateImports);
        Assert.Equal(["rt-derivation"], diff.EvpnSettingsChanged);
        var v = Assert.Single(diff.Vnis);
        Assert.Equal(100u, v.Vni);
        Assert.True(v.ImportRtsChanged && v.ExportRtsChanged);
        Assert.Empty(diff.NeighborsChanged);
    }

    [Fact]
    public void Per_vni_derivation_and_evi_changes_are_the_vnis_own_and_change_its_route_targets()
    {
        var changed = Base.Replace("    - vni: 100\n", "    - vni: 100\n      rt-derivation: nokia\n      evi: 10\n");

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        Assert.False(diff.ReevaluateImports);
        var v = Assert.Single(diff.Vnis);
        Assert.Equal(100u, v.Vni);
        Assert.True(v.ImportRtsChanged && v.ExportRtsChanged);
        Assert.Equal(["evi", "rt-derivation"], v.SettingsChanged);
    }

    [Fact]
    public void Section_default_change_reaches_vnis_without_an_override()
    {
        var overridden = Base.Replace("    - vni: 100\n", "    - vni: 100\n      arp-nd-suppression: true\n");
        var changed = overridden.Replace("evpn:\n", "evpn:\n  arp-nd-suppression: false\n");

        var diff = ConfigDiff.Compute(Parse(overridden), Parse(changed));

        var v = Assert.Single(diff.Vnis);
        Assert.Equal(200u, v.Vni);
        Assert.Equal(["arp-nd-suppression"], v.SettingsChanged);
    }

    [Fact]
    public void Describe_lists_every_change()
    {
        const string changed = """
            router:
              asn: 65001
              local-vtep: 10.0.0.1
            neighbors:
              - address: 10.0.1.2
                remote-as: 65002
                description: spine 1
              - address: 10.0.1.6
                remote-as: 65013
                description: spine 2
              - address: 10.0.1.10
                remote-as: 65004
            evpn:
              wildcard-import: true
              vnis:
                - vni: 200
                  import-rts: [65000:200]
                  export-rts: [65000:200]
            """;

        var diff = ConfigDiff.Compute(Parse(Base), Parse(changed));

        Assert.Equal(
            [
                "neighbor 10.0.1.10: added",
                "neighbor 10.0.1.6: session reset (remote-as)",
                "vni 100: removed",
                "evpn.wildcard-import: changed",
                "imports re-evaluated for VNIs with derived route targets",
            ],
            diff.Describe());
    }

    private static EvpnConfig Parse(string yaml)
    {
        var result = EvpnConfigLoader.Parse(yaml, "test.yaml");
        Assert.True(result.IsValid, result.ToString());
        return result.Config;
    }
}
