using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>FRR 8.4 on VTEP A against the same personas, the control: FRR runs the lab's configuration
/// (advertise-all-vni, auto RTs AS:VNI, which it matches on the VNI whatever the AS in eBGP), as an operator
/// would run it next to these vendors without per-vendor RT configuration. Each test asserts what FRR reaches;
/// interop/README.md records where that differs from evpnd.</summary>
public sealed class FrrVendorPersonaTests(ITestOutputHelper output) : VendorPersonaScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Frr;

    /// <summary>Sends the persona, then the sentinel, and returns A's FDB once the sentinel is in it.</summary>
    private async Task<IReadOnlyList<KernelFdbEntry>> AfterAsync(Func<Task> send)
    {
        await send();
        return await SentinelInstalledAsync();
    }

    /// <summary>Neither the bundle's RT B:1 nor the Ethernet Tag means anything to FRR's auto RTs: nothing imported.</summary>
    [Fact]
    public async Task Arista_vlan_aware_bundle_is_not_imported_with_auto_route_targets()
    {
        var fdb = await AfterAsync(SendAristaBundleAsync);

        Assert.Empty(DevicesOf(fdb, MacX));
        Assert.Empty(DevicesOf(fdb, MacY));
        Assert.False(Floods(fdb, 100) || Floods(fdb, 200));
    }

    /// <summary>RFC 8365-format RTs (AS:0x10000000 + VNI) do not match FRR's AS:VNI auto RTs: nothing imported.</summary>
    [Fact]
    public async Task Junos_vrf_target_auto_route_targets_are_not_imported_with_auto_route_targets()
    {
        var fdb = await AfterAsync(SendJunosVirtualSwitchAsync);

        Assert.Empty(DevicesOf(fdb, MacX));
        Assert.Empty(DevicesOf(fdb, MacY));
        Assert.False(Floods(fdb, 100));
    }

    [Fact]
    public async Task Nxos_symmetric_irb_installs_the_L2_part()
    {
        var fdb = await AfterAsync(SendNxosSymmetricIrbAsync);
        var neighbors = await Topo.Kernel(A).NeighborsAsync();

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Contains(neighbors, n => n.Ip == HostX && n.LinkLayerAddress == MacX);
    }

    /// <summary>RT ASN:EVI (10) is not FRR's AS:VNI (100): nothing imported.</summary>
    [Fact]
    public async Task Nokia_evi_route_targets_are_not_imported_with_auto_route_targets()
    {
        var fdb = await AfterAsync(SendNokiaEviAsync);

        Assert.Empty(DevicesOf(fdb, MacX));
        Assert.False(Floods(fdb, 100));
    }

    [Fact]
    public async Task Cisco_mixed_encapsulations_are_installed()
    {
        var fdb = await AfterAsync(SendCiscoMixedAsync);

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacY));
    }

    /// <summary>FRR 8.4 reads the label as a VNI whatever the encapsulation: the MPLS-only route and the one without
    /// an encapsulation community are both installed toward B.</summary>
    [Fact]
    public async Task Leaked_mpls_routes_and_routes_without_encapsulation_are_installed()
    {
        var fdb = await AfterAsync(SendMplsLeakAsync);

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacY));
    }

    /// <summary>FRR 8.4 imports the downstream-VNI routes by their route target into VNI 100 and installs them
    /// without the label's VNI: its packets toward B carry its own VNI 100.</summary>
    [Fact]
    public async Task Downstream_assigned_vni_is_installed_with_the_local_vni()
    {
        var fdb = await AfterAsync(SendDownstreamVniAsync);

        var entry = Assert.Single(fdb, e => e.Mac == MacX && e.Dst == RemoteVtep);
        Assert.Equal(("vxlan100", (uint?)null), (entry.Device, entry.Vni));
        var flood = Assert.Single(fdb, e => e.IsFloodEntry && e.Device == "vxlan100" && e.Dst == RemoteVtep);
        Assert.Null(flood.Vni);
    }

    /// <summary>FRR 8.4 does multihoming: the host behind the segment is a MAC of the ES, and with only the per-ES
    /// type-1 (no per-EVI one, so no VTEP of the segment in VNI 100) it goes to no VTEP in the kernel. The gateway MAC
    /// and the sticky MAC are installed toward B, both as sticky entries.</summary>
    [Fact]
    public async Task Multihomed_host_goes_to_its_segment_and_gateway_and_sticky_macs_are_installed_sticky()
    {
        var fdb = await AfterAsync(SendMultihomedGatewayAsync);
        var macs = await Lab.VtyshAsync(Topo.Run, A, "show evpn mac vni 100");

        Assert.Empty(TunnelEntriesOf(fdb, MacX));
        Assert.Contains(macs.Split('\n'), line => line.StartsWith(MacX, StringComparison.Ordinal) && line.Contains("00:00:11:22:33:44:55:66:77:8a", StringComparison.Ordinal));
        foreach (var mac in new[] { MacY, MacZ })
        {
            var entry = Assert.Single(fdb, e => e.Mac == mac && e.Dst == RemoteVtep);
            Assert.Equal(("vxlan100", true), (entry.Device, entry.Flags.Contains("sticky")));
        }
    }
}
