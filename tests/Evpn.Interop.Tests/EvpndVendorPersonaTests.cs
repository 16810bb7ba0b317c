using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>evpnd on VTEP A against each vendor persona (interop/personas/): the state it must reach, configured as
/// the persona's README says the other end of that vendor is configured.</summary>
public sealed class EvpndVendorPersonaTests(ITestOutputHelper output) : VendorPersonaScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Evpnd;

    private string Evpn(string body) => "evpn:\n  advertise-all-vni: true\n  wildcard-import: true\n" + body;

    [Fact]
    public async Task Arista_vlan_aware_bundle_lands_each_mac_in_the_vni_its_ethernet_tag_names()
    {
        await ReconfigureEvpndAsync(Evpn(
            $"  vnis:\n    - vni: 100\n      bundle: tenant\n      rd: {Topo.Ip(A)}:1\n      import-rts: {AsB}:1\n      export-rts: {AsB}:1\n" +
            "    - vni: 200\n      bundle: tenant\n"));

        await SendAristaBundleAsync();
        var fdb = await FdbWhenAsync(f => DevicesOf(f, MacX).Length > 0 && DevicesOf(f, MacY).Length > 0 && Floods(f, 100) && Floods(f, 200),
            "FDB entries for both bundle MACs and flood entries in both VNIs");

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Equal(["vxlan200"], DevicesOf(fdb, MacY));
    }

    [Fact]
    public async Task Junos_virtual_switch_with_vrf_target_auto_imports_per_vni_rfc8365_route_targets()
    {
        await ReconfigureEvpndAsync(Evpn($"  rt-derivation: junos\n  vnis:\n    - vni: 100\n      bundle: vs1\n      rd: {Topo.Ip(A)}:1\n    - vni: 200\n      bundle: vs1\n"));

        await SendJunosVirtualSwitchAsync();
        var fdb = await FdbWhenAsync(f => DevicesOf(f, MacX).Length > 0 && DevicesOf(f, MacY).Length > 0 && Floods(f, 100),
            "FDB entries for both virtual-switch MACs and the flood entry of VNI 100");

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Equal(["vxlan200"], DevicesOf(fdb, MacY));
        Assert.False(Floods(fdb, 200), "VNI 200 floods toward B without a type-3 for it");
    }

    [Fact]
    public async Task Nxos_symmetric_irb_installs_the_L2_part_and_shows_the_L3_vni_and_router_mac()
    {
        await ReconfigureEvpndAsync(Evpn("  rt-derivation: nxos\n"));

        await SendNxosSymmetricIrbAsync();
        var fdb = await FdbWhenAsync(f => DevicesOf(f, MacX).Length > 0, "FDB entry for the NX-OS host");
        var neighbors = await Topo.Kernel(A).NeighborsAsync();

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Contains(neighbors, n => n.Ip == HostX && n.LinkLayerAddress == MacX);
        var route = await EvpndRouteAsync(MacX);
        Assert.Equal(4001u, route.Form?.Label2Vni);
        Assert.Equal(NxosRouterMac, route.Form?.RoutersMac);
        Assert.Null(route.NotInstalled);
    }

    [Fact]
    public async Task Nokia_evi_based_route_targets_import_and_evpnd_derives_its_own_from_the_evi()
    {
        await ReconfigureEvpndAsync(Evpn("  rt-derivation: nokia\n  vnis:\n    - vni: 100\n      evi: 10\n"));

        await SendNokiaEviAsync();
        var fdb = await FdbWhenAsync(f => DevicesOf(f, MacX).Length > 0 && Floods(f, 100), "FDB and flood entries from the Nokia EVI");

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        var asA = Topo[A + ".asn"];
        IReadOnlyList<EvpnRouteView> received = [];
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
            (received = await Speaker.Exabgp.View(Lab, Topo, B).RoutesAsync()).Any(r => r.RouteType == 3 && r.Rd == $"{Topo.Ip(A)}:10"));
        var type3 = Assert.Single(received, r => r.RouteType == 3 && r.Rd == $"{Topo.Ip(A)}:10");
        Assert.Contains(type3.ExtendedCommunities, c => c.Contains($"{asA}:10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cisco_mixed_encapsulations_are_vxlan_and_an_all_zero_router_mac_is_none()
    {
        await SendCiscoMixedAsync();
        var fdb = await FdbWhenAsync(f => DevicesOf(f, MacX).Length > 0 && DevicesOf(f, MacY).Length > 0, "FDB entries for both Cisco-style MACs");

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacY));
        Assert.Null((await EvpndRouteAsync(MacX)).NotInstalled);
        Assert.Null((await EvpndRouteAsync(MacY)).Form?.RoutersMac);
    }

    [Fact]
    public async Task Leaked_mpls_routes_and_routes_without_encapsulation_are_shown_not_installed()
    {
        await SendMplsLeakAsync();
        var fdb = await SentinelInstalledAsync();

        Assert.Empty(DevicesOf(fdb, MacX));
        Assert.Empty(DevicesOf(fdb, MacY));
        Assert.Equal("its encapsulation is MPLS (tunnel type 10), not VXLAN (RFC 9012 tunnel type 8)", (await EvpndRouteAsync(MacX)).NotInstalled);
        Assert.StartsWith("no BGP encapsulation extended community", (await EvpndRouteAsync(MacY)).NotInstalled);
    }

    /// <summary>The label names VNI 5100, which A does not have; the route target is VNI 100's alone, so the routes
    /// land in VNI 100 and the kernel entries carry the label's VNI (NDA_VNI): A's packets toward B say 5100.
    /// `show routes` gives the label's VNI.</summary>
    [Fact]
    public async Task Downstream_assigned_vni_is_imported_by_route_target_and_installed_with_the_label_vni()
    {
        await SendDownstreamVniAsync();
        var fdb = await FdbWhenAsync(f => DevicesOf(f, MacX).Length > 0 && Floods(f, 100), "the FDB and flood entries of the downstream VNI");

        var entry = Assert.Single(fdb, e => e.Mac == MacX && e.Dst == RemoteVtep);
        Assert.Equal(("vxlan100", DownstreamVni), (entry.Device, entry.Vni));
        var flood = Assert.Single(fdb, e => e.IsFloodEntry && e.Device == "vxlan100" && e.Dst == RemoteVtep);
        Assert.Equal(DownstreamVni, flood.Vni);
        Assert.Equal(DownstreamVni, (await EvpndRouteAsync(MacX)).Vni);
    }

    /// <summary>The multihomed host is installed toward B (the route's VTEP; evpnd does no multihoming) and flagged with
    /// its ESI; the gateway MAC is installed and shown as one; the sticky MAC is installed and shown sticky; the
    /// type-1 and type-4 routes are kept and shown.</summary>
    [Fact]
    public async Task Multihomed_host_gateway_and_sticky_macs_are_installed_and_shown_and_es_routes_kept()
    {
        await SendMultihomedGatewayAsync();
        var fdb = await SentinelInstalledAsync();

        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacY));
        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacZ));
        var multihomed = await EvpndRouteAsync(MacX);
        Assert.Equal(("00:00:11:22:33:44:55:66:77:8a", (string?)null), (multihomed.Form?.Esi, multihomed.NotInstalled));
        Assert.True((await EvpndRouteAsync(MacY)).Form?.DefaultGateway);
        Assert.True((await EvpndRouteAsync(MacZ)).Form?.Sticky);
        Assert.Equal(Topo.Ip(B), (await EvpndReceivedRouteAsync("the type-1", r => r.Type == 1)).NextHop);
        Assert.Equal(Topo.Ip(B), (await EvpndReceivedRouteAsync("the type-4", r => r.Type == 4)).NextHop);
    }
}
