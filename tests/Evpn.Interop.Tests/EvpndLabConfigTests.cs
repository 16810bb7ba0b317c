using Evpn.Config.Loading;
using Evpn.Config.Options;
using Evpn.Interop.Tests.Harness;
using Evpn.Wire.Model;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>The evpnd configurations the lab writes (interop/lib/evpnd.sh) load with evpnd's own loader and say
/// what the topologies need. Runs the lab's bash functions against a temporary state folder: no namespaces.</summary>
public sealed class EvpndLabConfigTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _stateRoot = Directory.CreateTempSubdirectory("evlab-config-").FullName;

    public void Dispose() => Directory.Delete(_stateRoot, recursive: true);

    [Fact]
    public async Task Leaf_config_is_valid_and_peers_with_the_other_vtep()
    {
        var config = await WriteAndLoadAsync(
            "evpnd_write_leaf_config cfg vtepa 65001 10.0.0.1 10.0.0.1 '100 200' 10.0.0.2:65002", "vtepa");

        Assert.Equal(65001u, config.Router.Asn);
        Assert.Equal("10.0.0.1", config.Router.LocalVtep.ToString());
        var neighbor = Assert.Single(config.Neighbors);
        Assert.Equal("10.0.0.2", neighbor.Address.ToString());
        Assert.Equal(PeerAs.Number(65002), neighbor.RemoteAs);
        Assert.Equal(TimeSpan.FromSeconds(9), neighbor.Timers.HoldTime);
        Assert.Contains(AfiSafi.L2vpnEvpn, neighbor.Families);
        Assert.True(config.Evpn.AdvertiseAllVni);
        Assert.True(config.Evpn.WildcardImport, "eBGP leaves have different ASes: auto RTs only match with *:VNI import");
        Assert.Equal(DataPlaneKind.Linux, config.DataPlane.Kind);
        Assert.Equal(Path.Combine(_stateRoot, "cfg", "vtepa", "evpnd", "evpnd.sock"), config.Management.SocketPath);
    }

    /// <summary>leaf-pair --graceful-restart: a SIGTERM leaves the kernel entries and peers keep evpnd's routes.</summary>
    [Fact]
    public async Task Leaf_config_with_graceful_restart_stops_gracefully()
    {
        var config = await WriteAndLoadAsync(
            "LAB_GRACEFUL_RESTART=1 evpnd_write_leaf_config cfg vtepa 65001 10.0.0.1 10.0.0.1 '100 200' 10.0.0.2:65002", "vtepa");

        Assert.True(config.Router.GracefulRestart.Enabled);
        Assert.True(config.Router.GracefulRestart.PreserveForwarding);
        Assert.Equal(GracefulStopMode.Graceful, config.Router.GracefulRestart.OnStop);
    }

    /// <summary>Topology 5 (exabgp-peer) sets EVPND_LAB_FAMILIES: ExaBGP's raw attributes ride on IPv4 unicast routes.</summary>
    [Fact]
    public async Task Leaf_config_with_lab_families_negotiates_them()
    {
        var config = await WriteAndLoadAsync(
            "EVPND_LAB_FAMILIES='l2vpn-evpn ipv4-unicast' evpnd_write_leaf_config cfg vtepa 65001 10.0.0.1 10.0.0.1 '100 200' 10.0.0.2:65002", "vtepa");

        Assert.Equal<AfiSafi>([AfiSafi.L2vpnEvpn, AfiSafi.Ipv4Unicast], Assert.Single(config.Neighbors).Families.ToArray());
    }

    /// <summary>leaf-pair --unnumbered --password KEY --ttl-security 1: an interface neighbor with TCP-MD5 and GTSM.</summary>
    [Fact]
    public async Task Leaf_config_with_password_and_ttl_security_protects_the_interface_neighbor()
    {
        var config = await WriteAndLoadAsync(
            "LAB_PASSWORD=lab-key LAB_TTL_SECURITY=1 evpnd_write_leaf_config cfg vtepa 65001 10.0.0.1 10.0.0.1 '100 200' eth0:external", "vtepa");

        var neighbor = Assert.Single(config.Neighbors);
        Assert.Equal(("eth0", "lab-key", 1), (neighbor.Interface, neighbor.Password, neighbor.TtlSecurityHops));
    }

    [Fact]
    public async Task Route_reflector_config_is_valid_and_reflects_to_both_clients()
    {
        var config = await WriteAndLoadAsync("evpnd_write_rr_config cfg spine 65000 10.0.1.254 10.0.1.1 10.0.2.1", "spine");

        Assert.Equal(65000u, config.Router.Asn);
        Assert.Equal<string>(["10.0.1.1", "10.0.2.1"], config.Neighbors.Select(n => n.Address?.ToString() ?? "").ToArray());
        Assert.All(config.Neighbors, n =>
        {
            Assert.True(n.RouteReflectorClient);
            Assert.True(n.RemoteAs.IsInternal(65000));
        });
        Assert.False(config.Evpn.AdvertiseAllVni);
        Assert.Equal(DataPlaneKind.Memory, config.DataPlane.Kind);
    }

    private async Task<EvpnConfig> WriteAndLoadAsync(string bashCall, string node)
    {
        var write = await Shell.TryRunAsync(
            "bash",
            ["-c", $". '{Path.Combine(LabPaths.Interop, "lib", "lab.sh")}' && {bashCall}"],
            Lab.QueryTimeout,
            new Dictionary<string, string> { ["LAB_STATE_ROOT"] = _stateRoot });
        output.WriteLine(write.Transcript);
        Assert.True(write.Succeeded, write.Transcript);
        var path = Path.Combine(_stateRoot, "cfg", node, "evpnd", "evpnd.yaml");
        output.WriteLine(File.ReadAllText(path));
        var result = EvpnConfigLoader.Load(path);
        Assert.True(result.IsValid, $"the lab's evpnd config for {node} does not load:\n{result}");
        return result.Config!;
    }
}
