using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>Routes toward VTEPs of either underlay family: installed when the local VTEP has the same family,
/// kept, reflected and shown with the reason otherwise (a VXLAN device sends over one family).</summary>
public class UnderlayFamilyTests
{
    private static readonly IpAddr V6Self = Ip("2001:db8::1");
    private static readonly RouteDistinguisher Rd = RouteDistinguisher.Parse("192.0.2.9:1");
    private const string HostMac = "52:54:00:bb:00:01";

    /// <summary>A core whose VTEP (and VXLAN device's local address) is <paramref name="vtep"/>, with VNI 100 up and
    /// one iBGP peer at 10.0.0.2.</summary>
    private static Lab At(IpAddr vtep)
    {
        var lab = new Lab(new CoreOptions(As, Self, vtep));
        lab.Core.Apply(new DataPlaneEvent.VniUp(new VniInfo(100, "vxlan100", "br0", vtep, 4789, false, null)));
        lab.PeerUp("10.0.0.2");
        lab.Intents();
        lab.Outbound();
        return lab;
    }

    private static void AdvertiseMac(Lab lab, string nextHop) =>
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [EvpnRoutes.Mac(Rd, 100, Mac(HostMac), null)], RemoteAttributes(100), Ip(nextHop), []);

    private static void AdvertiseImet(Lab lab, string originator, string? pmsiEndpoint)
    {
        var attributes = RemoteAttributes(100) with
        {
            PmsiTunnel = pmsiEndpoint is null ? null : PmsiTunnel.IngressReplicationTo(Ip(pmsiEndpoint), 100),
        };
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [new InclusiveMulticastRoute(Rd, 0, Ip(originator))], attributes, Ip(pmsiEndpoint ?? originator), []);
    }

    private static RouteView Received(Lab lab) => Assert.Single(lab.Core.Queries.Routes(new RouteFilter()), r => r.Source == "10.0.0.2");

    [Fact]
    public void An_ipv4_vtep_keeps_a_type_2_toward_an_ipv6_vtep_out_of_the_fdb_and_says_why()
    {
        var lab = At(Self);
        AdvertiseMac(lab, "2001:db8::2");

        Assert.Empty(lab.Intents());
        Assert.Equal(1, lab.Core.Counters.RoutesToOtherUnderlayFamily);
        var view = Assert.Single(lab.Core.Queries.Routes(new RouteFilter(Type: EvpnRouteType.MacIpAdvertisement)));
        Assert.True(view.IsBest);
        Assert.Equal("its VTEP 2001:db8::2 is IPv6 and the local VTEP 10.0.0.1 is IPv4 (no VXLAN tunnel across underlay families)", view.NotInstalled);
        var explained = Assert.Single(lab.Core.Queries.ExplainImport(Mac(HostMac), null, null, null, null));
        Assert.StartsWith("not installed: its VTEP 2001:db8::2 is IPv6", explained.Summary, StringComparison.Ordinal);
        Assert.Equal(100u, Assert.Single(explained.Decisions).Vni);
        Assert.False(explained.Decisions[0].Imported);
    }

    [Fact]
    public void A_type_2_that_moves_to_a_vtep_of_the_other_family_is_removed_from_the_fdb()
    {
        var lab = At(Self);
        AdvertiseMac(lab, "10.0.0.2");
        Assert.Equal([AddFdb(100, HostMac, "10.0.0.2")], lab.Intents());

        AdvertiseMac(lab, "2001:db8::2");

        Assert.Equal([RemoveFdb(100, HostMac, "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void An_ipv6_vtep_installs_ipv6_vteps_and_keeps_ipv4_ones_out()
    {
        var lab = At(V6Self);
        AdvertiseMac(lab, "2001:db8::2");
        Assert.Equal([AddFdb(100, HostMac, "2001:db8::2")], lab.Intents());
        Assert.Null(Received(lab).NotInstalled);

        AdvertiseMac(lab, "10.0.0.2");

        Assert.Equal([RemoveFdb(100, HostMac, "2001:db8::2")], lab.Intents());
        Assert.Equal("its VTEP 10.0.0.2 is IPv4 and the local VTEP 2001:db8::1 is IPv6 (no VXLAN tunnel across underlay families)",
            Received(lab).NotInstalled);
    }

    [Theory]
    [InlineData("2001:db8::2", "2001:db8::2", "2001:db8::2")]
    [InlineData("2001:db8::2", null, "2001:db8::2")]
    [InlineData("10.0.0.2", "2001:db8::3", "2001:db8::3")]
    [InlineData("::ffff:10.0.0.2", null, null)]
    public void An_ipv6_vtep_floods_toward_the_type_3_pmsi_endpoint_or_originator(string originator, string? pmsi, string? flooded)
    {
        var lab = At(V6Self);
        AdvertiseImet(lab, originator, pmsi);

        Assert.Equal(flooded is null ? [] : [AddFlood(100, flooded)], lab.Intents());
    }

    [Theory]
    [InlineData("10.0.0.2", "10.0.0.2", "10.0.0.2")]
    [InlineData("::ffff:10.0.0.2", null, "10.0.0.2")]
    [InlineData("::ffff:10.0.0.2", "::ffff:10.0.0.3", "10.0.0.3")]
    [InlineData("10.0.0.2", "2001:db8::3", null)]
    [InlineData("2001:db8::2", null, null)]
    public void An_ipv4_vtep_floods_toward_ipv4_endpoints_only(string originator, string? pmsi, string? flooded)
    {
        var lab = At(Self);
        AdvertiseImet(lab, originator, pmsi);

        Assert.Equal(flooded is null ? [] : [AddFlood(100, flooded)], lab.Intents());
        if (flooded is null)
        {
            Assert.NotNull(Received(lab).NotInstalled);
        }
    }
}
