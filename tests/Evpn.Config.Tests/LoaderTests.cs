using Evpn.Config.Loading;
using Evpn.Config.Options;
using Evpn.Wire.Model;

namespace Evpn.Config.Tests;

public class LoaderTests
{
    private const string Router = "router:\n  asn: 65001\n  local-vtep: 10.0.0.1\n";

    [Fact]
    public void Every_error_of_a_file_is_reported_in_file_order()
    {
        const string yaml = """
            router:
              asn: 0
              local-vtep: 10.0.0.1
              lisen-port: 179
            neighbors:
              - address: 10.0.1.2
                remote-as: internl
            evpn:
              vnis:
                - vni: 99999999
            """;

        var result = EvpnConfigLoader.Parse(yaml, "evpnd.yaml");

        Assert.Equal(
            [
                "evpnd.yaml:2:3: router.asn: expected an AS number 1..4294967295, found '0'",
                "evpnd.yaml:4:3: router.lisen-port: unknown key 'lisen-port' (did you mean 'listen-port'?)",
                "evpnd.yaml:7:5: neighbors[0].remote-as: expected an AS number 1..4294967295 or 'internal'/'external', found 'internl'",
                "evpnd.yaml:10:7: evpn.vnis[0].vni: expected a VNI 1..16777215, found '99999999'",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Interface_neighbor_takes_every_neighbor_key_and_sends_router_advertisements_by_default()
    {
        const string yaml = Router + """
            neighbors:
              - interface: swp1
                remote-as: external
                password: s3cret
                ttl-security: 1
                timers: {hold-time: 9}
                families: [l2vpn-evpn, ipv4-unicast]
              - interface: swp2
                remote-as: internal
                interface-ra: false
                shutdown: true
            """;

        var result = EvpnConfigLoader.Parse(yaml, "evpnd.yaml");

        Assert.Empty(result.Errors);
        var swp1 = result.Config!.Neighbors[0];
        Assert.Equal(("swp1", true, "swp1", PeerAs.External), (swp1.Interface, swp1.InterfaceRa, swp1.Key, swp1.RemoteAs));
        Assert.Equal((null, null), (swp1.Address, swp1.ListenRange));
        Assert.Equal(("s3cret", 1, TimeSpan.FromSeconds(9)), (swp1.Password, swp1.TtlSecurityHops, swp1.Timers.HoldTime));
        Assert.Equal([AfiSafi.L2vpnEvpn, AfiSafi.Ipv4Unicast], swp1.Families.AsImmutableArray().ToArray());
        var swp2 = result.Config.Neighbors[1];
        Assert.Equal(("swp2", false, PeerAs.Internal, true), (swp2.Interface, swp2.InterfaceRa, swp2.RemoteAs, swp2.Shutdown));
        Assert.True(swp2.IsInterface);
    }

    [Theory]
    [InlineData("mrt-dump: /var/lib/evpnd/u.mrt", 256L << 20, 4)]
    [InlineData("mrt-dump: {file: /var/lib/evpnd/u.mrt}", 256L << 20, 4)]
    [InlineData("mrt-dump: {file: /var/lib/evpnd/u.mrt, max-size: 64MiB, keep: 8}", 64L << 20, 8)]
    [InlineData("mrt-dump: {file: /var/lib/evpnd/u.mrt, max-size: 4096, keep: 0}", 4096L, 0)]
    [InlineData("mrt-dump: {file: /var/lib/evpnd/u.mrt, max-size: 1GiB}", 1L << 30, 4)]
    public void Mrt_dump_takes_a_path_or_a_file_with_size_limit_and_rotated_files(string line, long maxSize, int keep)
    {
        var result = EvpnConfigLoader.Parse(Router + line + "\n", "evpnd.yaml");

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(new MrtDumpOptions("/var/lib/evpnd/u.mrt", maxSize, keep), result.Config.MrtDump);
    }

    [Theory]
    [InlineData("mrt-dump: u.mrt", "evpnd.yaml:4:1: mrt-dump: expected an absolute path, or a mapping with 'file', 'max-size', 'keep', found 'u.mrt'")]
    [InlineData("mrt-dump: {file: /u.mrt, max-size: 1000}", "evpnd.yaml:4:26: mrt-dump.max-size: expected a size of 4KiB or more, such as 65536, 64KiB, 256MiB or 1GiB, found '1000'")]
    [InlineData("mrt-dump: {file: /u.mrt, max-size: 10MB}", "evpnd.yaml:4:26: mrt-dump.max-size: expected a size of 4KiB or more, such as 65536, 64KiB, 256MiB or 1GiB, found '10MB'")]
    [InlineData("mrt-dump: {max-size: 1MiB}", "evpnd.yaml:4:1: mrt-dump: missing required key 'file' (an absolute path)")]
    [InlineData("mrt-dump: {file: /u.mrt, kep: 2}", "evpnd.yaml:4:26: mrt-dump.kep: unknown key 'kep' (did you mean 'keep'?)")]
    public void Mrt_dump_errors_name_the_key_and_position(string line, string error)
    {
        var result = EvpnConfigLoader.Parse(Router + line + "\n", "evpnd.yaml");

        Assert.Equal([error], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Error_carries_its_parts_separately()
    {
        var error = Assert.Single(EvpnConfigLoader.Parse(Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: abc\n", "a.yaml").Errors);

        Assert.Equal(new ConfigError("a.yaml", 6, 5, "neighbors[0].remote-as", "an AS number 1..4294967295 or 'internal'/'external'", "'abc'",
            "expected an AS number 1..4294967295 or 'internal'/'external', found 'abc'"), error);
    }

    [Fact]
    public void Missing_file_is_an_error_not_an_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), $"evpnd-config-{Environment.ProcessId}-missing.yaml");

        var error = Assert.Single(EvpnConfigLoader.Load(path).Errors);

        Assert.Equal(0, error.Line);
        Assert.StartsWith($"{path}: cannot read the file: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 65_536)]
    [InlineData("  update-group-backlog: 1024\n", 1_024)]
    [InlineData("  update-group-backlog: 1000000\n", 1_000_000)]
    public void The_update_group_backlog_is_read_from_the_router_section(string line, int backlog)
    {
        Assert.Equal(backlog, Valid(Router + line).Router.UpdateGroupBacklog);
    }

    [Fact]
    public void Receive_checks_default_to_enforce_first_as_strict_vteps_and_no_attribute_policy()
    {
        var config = Valid(Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n");

        Assert.False(config.Router.AllowLoopbackVteps);
        Assert.True(config.Neighbors[0].EnforceFirstAs);
        Assert.Equal(NeighborPathAttributes.None, config.Neighbors[0].PathAttributes);
    }

    [Fact]
    public void Receive_checks_are_read_per_neighbor()
    {
        const string yaml = Router + """
              allow-loopback-vteps: true
            neighbors:
              - address: 10.0.1.2
                remote-as: external
                enforce-first-as: false
                add-path: receive
                path-attribute:
                  discard: [23, 40]
                  treat-as-withdraw: 25
              - address: 10.0.1.3
                remote-as: external
                add-path: none
            """;

        var config = Valid(yaml);

        Assert.True(config.Router.AllowLoopbackVteps);
        Assert.False(config.Neighbors[0].EnforceFirstAs);
        Assert.True(config.Neighbors[0].AddPathReceive);
        Assert.False(config.Neighbors[1].AddPathReceive);
        Assert.Equal(new NeighborPathAttributes(new byte[] { 23, 40 }, new byte[] { 25 }), config.Neighbors[0].PathAttributes);
    }

    [Fact]
    public void Keepalive_defaults_to_a_third_of_an_explicit_hold_time()
    {
        var config = Valid(Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    timers:\n      hold-time: 9\n");

        Assert.Equal(TimeSpan.FromSeconds(3), config.Neighbors[0].Timers.Keepalive);
    }

    [Fact]
    public void Hold_time_zero_turns_keepalives_off()
    {
        var timers = Valid(Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    timers:\n      hold-time: 0\n").Neighbors[0].Timers;

        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), (timers.HoldTime, timers.Keepalive));
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    public void Durations_take_seconds_or_a_unit(string text, int seconds)
    {
        var config = Valid(Router + $"neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    max-prefix:\n      limit: 10\n      restart-interval: {text}\n");

        Assert.Equal(TimeSpan.FromSeconds(seconds), config.Neighbors[0].MaxPrefix!.RestartInterval);
    }

    [Fact]
    public void Quoted_numbers_and_anchors_are_read()
    {
        const string yaml = """
            router:
              asn: "65001"
              local-vtep: 10.0.0.1
            neighbors:
              - address: 10.0.1.2
                remote-as: external
                timers: &fast
                  hold-time: 9
                  keepalive: 3
              - address: 10.0.1.6
                remote-as: external
                timers: *fast
            """;

        var config = Valid(yaml);

        Assert.Equal(65001u, config.Router.Asn);
        Assert.Equal(config.Neighbors[0].Timers, config.Neighbors[1].Timers);
        Assert.Equal(TimeSpan.FromSeconds(9), config.Neighbors[1].Timers.HoldTime);
    }

    [Fact]
    public void Ipv6_vtep_with_router_id_and_ipv6_metrics()
    {
        var config = Valid("router:\n  asn: 4200000001\n  router-id: 10.0.0.1\n  local-vtep: 2001:db8::1\nmetrics:\n  address: \"[::1]:9100\"\n");

        Assert.True(config.Router.LocalVtep.IsV6);
        Assert.Equal(4200000001u, config.Router.Asn);
        Assert.Equal("[::1]:9100", config.Metrics.ToString());
    }

    [Fact]
    public void Metrics_can_be_disabled()
    {
        Assert.False(Valid(Router + "metrics:\n  enabled: false\n").Metrics.Enabled);
    }

    [Fact]
    public void Empty_sections_take_defaults()
    {
        var config = Valid(Router + "neighbors:\nevpn:\nlogging:\n");

        Assert.Empty(config.Neighbors);
        Assert.Equal(EvpnOptions.Default, config.Evpn);
        Assert.Equal(LoggingOptions.Default, config.Logging);
    }

    [Fact]
    public void Neighbor_with_a_password_inside_a_passworded_range_is_accepted()
    {
        var config = Valid(Router + "neighbors:\n  - listen-range: 10.0.1.0/24\n    remote-as: internal\n    password: a\n  - address: 10.0.1.9\n    remote-as: internal\n    password: b\n");

        Assert.True(config.Neighbors[0].IsListenRange);
        Assert.Equal("b", config.Neighbors[1].Password);
    }

    [Fact]
    public void A_listen_range_takes_100_dynamic_peers_unless_listen_limit_says_otherwise()
    {
        var config = Valid(Router + "neighbors:\n  - listen-range: 10.0.1.0/24\n    remote-as: internal\n  - listen-range: 10.0.2.0/24\n    remote-as: internal\n    listen-limit: 5\n    timers: {send-hold-time: 30}\n");

        Assert.Equal(100, config.Neighbors[0].ListenLimit);
        Assert.Equal(5, config.Neighbors[1].ListenLimit);
        Assert.Null(config.Neighbors[0].Timers.SendHoldTime);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Neighbors[1].Timers.SendHoldTime);
    }

    [Fact]
    public void Options_compare_by_value()
    {
        const string yaml = Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    families: [l2vpn-evpn, ipv4-unicast]\nevpn:\n  vnis:\n    - vni: 5\n      import-rts: [1:5]\n";

        Assert.Equal(Valid(yaml), Valid(yaml));
    }

    [Fact]
    public void Listed_vni_inherits_section_switches_and_unlisted_vni_gets_defaults()
    {
        var evpn = Valid(Router + "evpn:\n  arp-nd-suppression: false\n  vnis:\n    - vni: 10\n      advertise-default-gw: true\n").Evpn;

        Assert.Null(evpn.For(10).ArpNdSuppression);
        Assert.True(evpn.For(10).AdvertiseDefaultGw);
        Assert.Equal(VniOptions.Defaults(11), evpn.For(11));
    }

    [Fact]
    public void Bundle_members_share_rd_and_route_targets_and_are_tagged_with_their_vni()
    {
        var evpn = Valid(Router + """
            evpn:
              vnis:
                - vni: 1303
                  bundle: blue
                  rd: 10.0.0.1:1300
                  import-rts: 65001:1300
                  export-rts: 65001:1300
                - vni: 1304
                  bundle: blue
                - vni: 1305
                  bundle: blue
                  ethernet-tag: 35
                - vni: 200
                  ethernet-tag: vni
                - vni: 201
            """).Evpn;

        Assert.Equal(evpn.For(1303).Rd, evpn.For(1304).Rd);
        Assert.Equal(evpn.For(1303).ImportRts, evpn.For(1304).ImportRts);
        Assert.Equal(evpn.For(1303).ExportRts, evpn.For(1305).ExportRts);
        Assert.Equal([1303u, 1304u, 35u, 200u, 0u], evpn.Vnis.Select(v => v.EthernetTag));
    }

    private static EvpnConfig Valid(string yaml)
    {
        var result = EvpnConfigLoader.Parse(yaml, "test.yaml");
        Assert.True(result.IsValid, result.ToString());
        return result.Config;
    }
}
