using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>The IPv6 VTEP persona (interop/personas/ipv6-vtep.md) on topology 5 with `--underlay dual`: B (ExaBGP)
/// is an IPv6 VTEP at 2001:db8::2 over an IPv4 session, evpnd's VTEP on A is 2001:db8::1.</summary>
public sealed class EvpndIpv6VtepPersonaTests(ITestOutputHelper output) : VendorPersonaScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Evpnd;

    protected override IReadOnlyList<string> UpArguments => ["--a", SpeakerA.ScriptName(), "--underlay", "dual"];

    /// <summary>16- and 32-octet next hops and the 16-octet PMSI identifier of an IPv6 type-3 install toward B's
    /// IPv6 VTEP, and hosts ping across it; the v4-mapped and 4-octet next hops and the IPv4 type-3 name an IPv4 VTEP,
    /// which an IPv6 VXLAN device cannot reach: kept, shown with that reason, not installed.</summary>
    [Fact]
    public async Task Ipv6_next_hops_and_pmsi_install_toward_the_ipv6_vtep_and_ipv4_ones_are_shown_not_installed()
    {
        Assert.Equal("2001:db8::1", LocalVtep);
        var host = Topo.Hosts.Single(h => h.Vtep == B && h.Vni == 100);
        await SendIpv6VtepRoutesAsync();
        await SendIpv6VtepImetAsync();
        var fdb = await SentinelInstalledAsync();
        fdb = await FdbWhenAsync(f => DevicesOf(f, host.Mac).Length > 0 && DevicesOf(f, MacX).Length > 0 && Floods(f, 100),
            "FDB entries for the 16- and 32-octet next hops and the flood entry of the IPv6 type-3");

        Assert.Equal(["vxlan100"], DevicesOf(fdb, host.Mac));
        Assert.Equal(["vxlan100"], DevicesOf(fdb, MacX));
        Assert.Empty(TunnelEntriesOf(fdb, MacY));
        Assert.Empty(TunnelEntriesOf(fdb, MacZ));
        Assert.DoesNotContain(fdb, e => e.IsFloodEntry && e.Device == "vxlan200");
        Assert.Contains(await Topo.Kernel(A).NeighborsAsync(), n => n.Ip == host.Ip && n.LinkLayerAddress == host.Mac);

        var v4 = Topo.Ip(B);
        var reason = $"its VTEP {v4} is IPv4 and the local VTEP {LocalVtep} is IPv6 (no VXLAN tunnel across underlay families)";
        var viaLinkLocal = await EvpndRouteAsync(MacX);
        Assert.Equal((RemoteVtep, (string?)null), (viaLinkLocal.NextHop, viaLinkLocal.NotInstalled));
        foreach (var mac in new[] { MacY, MacZ })
        {
            var route = await EvpndRouteAsync(mac);
            Assert.Equal((v4, reason), (route.NextHop, route.NotInstalled));
        }
        var imet6 = await EvpndReceivedRouteAsync("the IPv6 type-3", r => r.Type == 3 && r.Vni == 100);
        Assert.Null(imet6.NotInstalled);
        var imet4 = await EvpndReceivedRouteAsync("the IPv4 type-3", r => r.Type == 3 && r.Vni == 200);
        Assert.Equal(reason, imet4.NotInstalled);

        // evpnd's own type-3 names its IPv6 VTEP as originator and next hop (ExaBGP decodes its 16-octet PMSI).
        IReadOnlyList<EvpnRouteView> received = [];
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
            (received = await Speaker.Exabgp.View(Lab, Topo, B).RoutesAsync()).Any(r => r.RouteType == 3 && r.Originator == LocalVtep));
        Assert.Contains(received, r => r.RouteType == 3 && r.Originator == LocalVtep && r.NextHop == LocalVtep && r.PmsiLabel == 100);

        // B has no speaker that programs its kernel: its flood entry toward A is the one A's type-3 asks for.
        await Lab.ExecAsync(Topo.Run, B, "bridge", "fdb", "append", KernelFdbEntry.FloodMac, "dev", "vxlan100", "dst", LocalVtep);
        await Checks.HostsReachEachOtherAsync(Topo, Topo.Hosts.Single(h => h.Vtep == A && h.Vni == 100), host);
    }

    /// <summary>A type-3's VTEP is its PMSI tunnel identifier (RFC 6514 section 5, RFC 8365 section 5.1.3), of either
    /// length, whatever the originator's family: a 16-octet identifier floods toward B's IPv6 VTEP, a 4-octet one
    /// names an IPv4 VTEP and is shown, not installed.</summary>
    [Theory]
    [InlineData(Ipv4, Ipv6, true)]
    [InlineData(Ipv6, Ipv4, false)]
    public async Task A_type3_floods_toward_its_pmsi_tunnel_identifier_when_that_is_ipv6(string originator, string pmsi, bool installed)
    {
        await SendImetFormAsync(originator, pmsi);
        var fdb = await SentinelInstalledAsync();

        var route = await EvpndReceivedRouteAsync("the type-3", r => r.Type == 3 && r.Vni == 100);
        Assert.Equal(installed, Floods(fdb, 100));
        Assert.Equal(installed ? null : $"its VTEP {Topo.Ip(B)} is IPv4 and the local VTEP {LocalVtep} is IPv6 (no VXLAN tunnel across underlay families)",
            route.NotInstalled);
    }
}

/// <summary>FRR 8.4 on A against the same persona, the control. FRR 8.4 has no IPv6 VTEPs, so A's VTEP is its IPv4
/// address 10.0.0.1 (B's IPv4 address, 10.0.0.2, is also the session's and the NEXT_HOP attribute of ExaBGP's
/// carrier route).</summary>
public sealed class FrrIpv6VtepPersonaTests(ITestOutputHelper output) : VendorPersonaScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Frr;

    protected override IReadOnlyList<string> UpArguments => ["--a", SpeakerA.ScriptName(), "--underlay", "dual"];

    /// <summary>FRR shows the 16-, 32-octet and v4-mapped next hops as 0.0.0.0 and still installs all four type-2
    /// routes toward 10.0.0.2, an address the 16- and 32-octet next hop fields do not hold: it does not read them as
    /// the VTEP. The IPv4 type-3 floods VNI 200 toward 10.0.0.2.</summary>
    [Fact]
    public async Task Ipv6_next_hops_are_installed_toward_the_peers_ipv4_address()
    {
        Assert.Equal(Topo.Ip(A), LocalVtep);
        var host = Topo.Hosts.Single(h => h.Vtep == B && h.Vni == 100);
        await SendIpv6VtepRoutesAsync();
        var fdb = await SentinelInstalledAsync();
        var table = await Lab.VtyshAsync(Topo.Run, A, "show bgp l2vpn evpn route type macip");

        foreach (var mac in new[] { host.Mac, MacX, MacY, MacZ })
        {
            Assert.Equal([("vxlan100", Topo.Ip(B))], TunnelEntriesOf(fdb, mac).Select(e => (e.Device, e.Dst)).ToArray());
        }
        Assert.True(Floods(fdb, 200));
        Assert.Equal(3, table.Split('\n').Count(line => line.Trim().StartsWith("0.0.0.0 ", StringComparison.Ordinal)));
    }

    /// <summary>Each type-3 form (originator family, PMSI identifier family), then the sentinel: FRR either resets the
    /// session (the NOTIFICATION ExaBGP received) or takes the route (the sentinel arrives, no NOTIFICATION). A 16-octet
    /// PMSI tunnel identifier gets 3/1 (Malformed Attribute List), an IPv6 originator with a 4-octet one 3/9 (Optional
    /// Attribute Error): FRR 8.4 takes no type-3 of an IPv6 VTEP.</summary>
    [Theory]
    [InlineData(Ipv6, Ipv6, "3/1")]
    [InlineData(Ipv4, Ipv6, "3/1")]
    [InlineData(Ipv6, Ipv4, "3/9")]
    public async Task A_type3_with_an_ipv6_originator_or_pmsi_tunnel_identifier_is_answered_with(string originator, string pmsi, string outcome)
    {
        await SendImetFormAsync(originator, pmsi);
        await AnnounceSentinelAsync();

        string? seen = null;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            var sentinel = (await Topo.Kernel(A).FdbAsync()).Any(e => e.Mac == Sentinel && e.Dst == RemoteVtep);
            var notifications = await Exabgp.NotificationsReceivedAsync();
            seen = notifications.Count > 0 ? $"{notifications[0].Code}/{notifications[0].Subcode}" : sentinel ? "accepted" : null;
            return seen is not null;
        });
        Lab.Log($"type-3 with an {originator} originator and an {pmsi} PMSI tunnel identifier: {seen ?? "nothing"}");
        Assert.Equal(outcome, seen);
    }
}
