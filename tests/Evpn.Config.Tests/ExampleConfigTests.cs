using Evpn.Config.Loading;
using Evpn.Config.Options;
using Evpn.Wire.Model;

namespace Evpn.Config.Tests;

public class ExampleConfigTests
{
    public static TheoryData<string> Examples => new(Directory.GetFiles(RepositoryFiles.Path("configs"), "*.yaml").Select(f => Path.GetFileName(f)));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_in_configs_validates(string name)
    {
        var result = EvpnConfigLoader.Load(RepositoryFiles.Path("configs", name));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void The_four_documented_examples_exist()
    {
        var names = Directory.GetFiles(RepositoryFiles.Path("configs"), "*.yaml").Select(f => Path.GetFileName(f)).Order().ToArray();

        Assert.Equal(["leaf-ebgp-frr.yaml", "leaf-ibgp-rr.yaml", "leaf-ipv6.yaml", "leaf-unnumbered.yaml", "minimal.yaml", "route-reflector.yaml"], names);
    }

    [Fact]
    public void Minimal_example_takes_every_default()
    {
        var config = Load("minimal.yaml");

        Assert.Equal(65001u, config.Router.Asn);
        Assert.Equal(IpAddr.Parse("10.0.0.1"), config.Router.RouterId);
        Assert.Null(config.Router.ListenAddress);
        Assert.Equal(179, config.Router.ListenPort);
        Assert.Equal(RouterGracefulRestartOptions.Default, config.Router.GracefulRestart);
        var n = Assert.Single(config.Neighbors);
        Assert.Equal(IpAddr.Parse("10.0.1.2"), n.Address);
        Assert.Equal(PeerAs.External, n.RemoteAs);
        Assert.Equal(NeighborTimers.Default, n.Timers);
        Assert.Equal(new[] { AfiSafi.L2vpnEvpn }, n.Families);
        Assert.Equal(NeighborGracefulRestart.Default, n.GracefulRestart);
        Assert.Null(n.MaxPrefix);
        Assert.False(n.Passive || n.Shutdown || n.RouteReflectorClient);
        Assert.Equal(EvpnOptions.Default, config.Evpn);
        Assert.Equal(DataPlaneOptions.Default, config.DataPlane);
        Assert.Equal("/run/evpnd/evpnd.sock", config.Management.SocketPath);
        Assert.Equal("127.0.0.1:9179", config.Metrics.ToString());
        Assert.Equal(LoggingOptions.Default, config.Logging);
        Assert.Null(config.MrtDump);
    }

    [Fact]
    public void Ebgp_leaf_example_reads_timers_password_and_vnis()
    {
        var config = Load("leaf-ebgp-frr.yaml");

        var n = Assert.Single(config.Neighbors);
        Assert.Equal(PeerAs.Number(65002), n.RemoteAs);
        Assert.Equal("lab-secret", n.Password);
        Assert.Equal(1, n.TtlSecurityHops);
        Assert.Equal(new NeighborTimers(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30), null), n.Timers);
        Assert.Equal(new MaxPrefixSettings(100000, 80, TimeSpan.FromMinutes(5)), n.MaxPrefix);
        Assert.Equal(GracefulStopMode.Graceful, config.Router.GracefulRestart.OnStop);
        Assert.True(config.Evpn.WildcardImport);
        Assert.Equal(FreezePolicy.For(TimeSpan.FromMinutes(30)), config.Evpn.DuplicateDetection.Freeze);
        Assert.Equal([100u, 200u], config.Evpn.Vnis.Select(v => v.Vni));
        Assert.Equal("br200", config.Evpn.Vnis[1].Bridge);
        Assert.True(config.Evpn.Vnis[1].AdvertiseDefaultGw);
        Assert.Null(config.Evpn.Vnis[0].AdvertiseDefaultGw);
    }

    [Fact]
    public void Unnumbered_leaf_example_has_two_interface_neighbors_sending_router_advertisements()
    {
        var config = Load("leaf-unnumbered.yaml");

        Assert.Equal(["swp1", "swp2"], config.Neighbors.Select(n => n.Interface));
        Assert.All(config.Neighbors, n => Assert.Equal((PeerAs.External, true, (IpAddr?)null), (n.RemoteAs, n.InterfaceRa, n.Address)));
        Assert.Equal(IpAddr.Parse("10.0.0.1"), config.Router.LocalVtep);
    }

    [Fact]
    public void Ibgp_leaf_example_reads_explicit_route_targets()
    {
        var config = Load("leaf-ibgp-rr.yaml");

        var vni = config.Evpn.For(100);
        Assert.Equal(RouteDistinguisher.Parse("10.0.0.1:100"), vni.Rd);
        Assert.Equal(new[] { ExtendedCommunity.RouteTargetAs2(65000, 100) }, vni.ImportRts);
        Assert.Equal(PeerAs.Internal, config.Neighbors[0].RemoteAs);
        Assert.Equal(IpAddr.Parse("10.0.0.1"), config.Neighbors[0].SourceAddress);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Neighbors[0].Timers.ConnectRetry);
        Assert.False(config.Evpn.For(10100).ArpNdSuppression);
    }

    [Fact]
    public void Ipv6_leaf_example_has_an_ipv6_vtep_and_session_and_an_ipv4_router_id()
    {
        var config = Load("leaf-ipv6.yaml");

        Assert.Equal(IpAddr.Parse("2001:db8:0:ff::1"), config.Router.LocalVtep);
        Assert.Equal(IpAddr.Parse("10.255.0.1"), config.Router.RouterId);
        Assert.Equal(IpAddr.Parse("2001:db8:0:ff::fe"), config.Neighbors[0].Address);
        Assert.Equal(IpAddr.Parse("2001:db8:0:ff::1"), config.Neighbors[0].SourceAddress);
    }

    [Fact]
    public void Route_reflector_example_has_a_passworded_listen_range()
    {
        var config = Load("route-reflector.yaml");

        var range = config.Neighbors[0];
        Assert.Equal("10.0.0.0/24", range.ListenRange.ToString());
        Assert.True(range.RouteReflectorClient);
        Assert.Equal("fabric-key", range.Password);
        Assert.Equal(DataPlaneKind.Memory, config.DataPlane.Kind);
        Assert.False(config.Evpn.AdvertiseAllVni);
        Assert.Equal(new MrtDumpOptions("/var/lib/evpnd/updates.mrt", 256L << 20, 4), config.MrtDump);
        Assert.Equal("/var/log/evpnd/evpnd.log", config.Logging.File);
        Assert.Equal(LogFormat.Json, config.Logging.Format);
    }

    [Fact]
    public void Systemd_unit_reloads_through_evpnctl_and_keeps_netlink()
    {
        var unit = File.ReadAllLines(RepositoryFiles.Path("configs", "evpnd.service"));

        Assert.Contains("Type=notify", unit);
        // evpnctl's exit code carries a refused file; kill -HUP would report success either way.
        Assert.Contains("ExecReload=/usr/bin/evpnctl reload", unit);
        Assert.Contains("ExecStart=/usr/sbin/evpnd --config /etc/evpnd/evpnd.yaml", unit);
        Assert.Contains("RestartPreventExitStatus=2", unit);
        Assert.Contains("Group=evpnd", unit);
        Assert.Contains("RuntimeDirectory=evpnd", unit);
        Assert.Contains("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK", unit);
        Assert.Contains("AmbientCapabilities=CAP_NET_ADMIN CAP_NET_BIND_SERVICE", unit);
        // evpnd's speaker loop pings the watchdog and exits 1 when it fails: both restart it.
        Assert.Contains("WatchdogSec=30s", unit);
        Assert.Contains("Restart=on-failure", unit);
        Assert.DoesNotContain(unit, l => l.StartsWith("PrivateNetwork=yes", StringComparison.Ordinal));
    }

    private static EvpnConfig Load(string name)
    {
        var result = EvpnConfigLoader.Load(RepositoryFiles.Path("configs", name));
        Assert.True(result.IsValid, result.ToString());
        return result.Config;
    }
}
