using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Core.Tests;

/// <summary>The tunnel endpoints of received EVPN routes: next hop, ingress-replication PMSI endpoint and
/// type-3 originator. One row per address class no remote VTEP can have, each a treat-as-withdraw with its
/// reason, and the addresses that stay usable.</summary>
public class TunnelEndpointCheckTests
{
    private static readonly IpAddr Own = IpAddr.Parse("10.0.0.1");
    private static readonly IpAddr Remote = IpAddr.Parse("10.0.0.2");
    private static readonly RouteDistinguisher Rd = RouteDistinguisher.Parse("10.0.0.2:1");

    [Theory]
    [InlineData("10.0.0.2", false, null)]
    [InlineData("192.0.2.9", false, null)]
    [InlineData("2001:db8::2", false, null)]
    [InlineData("10.0.0.1", false, "is our own VTEP")]
    [InlineData("0.0.0.0", false, "is in 0.0.0.0/8")]
    [InlineData("0.1.2.3", false, "is in 0.0.0.0/8")]
    [InlineData("127.0.0.1", false, "is a loopback address (router.allow-loopback-vteps is off)")]
    [InlineData("127.16.0.9", true, null)]
    [InlineData("224.0.0.5", false, "is a multicast address")]
    [InlineData("239.255.255.255", false, "is a multicast address")]
    [InlineData("240.0.0.1", false, "is in the reserved 240.0.0.0/4")]
    [InlineData("255.255.255.255", false, "is in the reserved 240.0.0.0/4")]
    [InlineData("::", false, "is the unspecified address")]
    [InlineData("::1", false, "is the loopback address (router.allow-loopback-vteps is off)")]
    [InlineData("::1", true, null)]
    [InlineData("ff02::1", false, "is a multicast address")]
    public void Address_is_a_usable_vtep_or_says_why_not(string address, bool allowLoopback, string? reason) =>
        Assert.Equal(reason, TunnelEndpointCheck.Unusable(IpAddr.Parse(address), Own, allowLoopback));

    [Fact]
    public void Next_hop_pmsi_endpoint_and_type_3_originator_are_each_checked()
    {
        var type3 = Nlri.ForEvpn(new InclusiveMulticastRoute(Rd, 0, Remote));
        var pmsi = new PathAttributes { PmsiTunnel = PmsiTunnel.IngressReplicationTo(Remote, 100) };

        Assert.Null(TunnelEndpointCheck.Check(Reach(Remote, type3), pmsi, Own, false));
        AssertWithdraw(TunnelEndpointCheck.Check(Reach(IpAddr.Parse("224.0.0.1"), type3), pmsi, Own, false), "EVPN next hop 224.0.0.1 is a multicast address");
        AssertWithdraw(TunnelEndpointCheck.Check(Reach(Remote, type3), new PathAttributes { PmsiTunnel = PmsiTunnel.IngressReplicationTo(Own, 100) }, Own, false),
            "PMSI tunnel endpoint 10.0.0.1 is our own VTEP");
        AssertWithdraw(TunnelEndpointCheck.Check(Reach(Remote, Nlri.ForEvpn(new InclusiveMulticastRoute(Rd, 0, IpAddr.Parse("0.0.0.7")))), pmsi, Own, false),
            "type-3 originator 0.0.0.7 is in 0.0.0.0/8");
    }

    [Fact]
    public void Withdrawals_other_families_and_other_pmsi_tunnel_types_are_not_checked()
    {
        var type3 = Nlri.ForEvpn(new InclusiveMulticastRoute(Rd, 0, Remote));
        var martian = IpAddr.Parse("224.0.0.1");

        Assert.Null(TunnelEndpointCheck.Check(null, PathAttributes.Empty, Own, false));
        Assert.Null(TunnelEndpointCheck.Check(new MpReachNlri(AfiSafi.Ipv4Unicast, martian, EquatableArray<Nlri>.Empty), PathAttributes.Empty, Own, false));
        Assert.Null(TunnelEndpointCheck.Check(Reach(Remote, type3), new PathAttributes { PmsiTunnel = new PmsiTunnel(0, 3, 100, new byte[] { 224, 0, 0, 1, 10, 0, 0, 2 }) }, Own, false));
    }

    [Fact]
    public void The_check_handed_to_the_speaker_keeps_the_vtep_and_loopback_setting_it_was_made_with()
    {
        var loopback = IpAddr.Parse("127.0.0.2");
        var update = new UpdateMessage(EquatableArray<Nlri>.Empty, PathAttributes.Empty,
            Reach(loopback, Nlri.ForEvpn(new InclusiveMulticastRoute(Rd, 0, loopback))), null, EquatableArray<Nlri>.Empty);
        var toOwn = new UpdateMessage(EquatableArray<Nlri>.Empty, PathAttributes.Empty,
            Reach(Own, Nlri.ForEvpn(new InclusiveMulticastRoute(Rd, 0, Remote))), null, EquatableArray<Nlri>.Empty);
        var strict = TunnelEndpointCheck.For(Own, allowLoopback: false);
        var lab = TunnelEndpointCheck.For(Own, allowLoopback: true);

        AssertWithdraw(strict(update), "EVPN next hop 127.0.0.2 is a loopback address (router.allow-loopback-vteps is off)");
        Assert.Null(lab(update));
        AssertWithdraw(lab(toOwn), "EVPN next hop 10.0.0.1 is our own VTEP");
    }

    private static MpReachNlri Reach(IpAddr nextHop, Nlri route) => new(AfiSafi.L2vpnEvpn, nextHop, new[] { route });

    private static void AssertWithdraw(BgpError? error, string reason)
    {
        Assert.NotNull(error);
        Assert.Equal(ErrorAction.TreatAsWithdraw, error.Action);
        Assert.Equal(reason, error.Reason);
    }
}
