using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

public class ExtendedCommunityTests
{
    [Fact]
    public void Typed_views_read_back_what_the_factories_wrote()
    {
        var rt2 = ExtendedCommunity.RouteTargetAs2(65001, 100);
        var rtIp = ExtendedCommunity.RouteTargetIPv4(0x0A000001, 7);
        var rt4 = ExtendedCommunity.RouteTargetAs4(4200000000, 9);
        var esiLabel = ExtendedCommunity.EsiLabel(singleActive: true, 3000);
        var mobility = ExtendedCommunity.MacMobility(42, sticky: true);

        Assert.True(rt2.IsRouteTarget && rtIp.IsRouteTarget && rt4.IsRouteTarget);
        Assert.Equal((65001u, 100u), (rt2.RouteTargetGlobal, rt2.RouteTargetLocal));
        Assert.Equal((0x0A000001u, 7u), (rtIp.RouteTargetGlobal, rtIp.RouteTargetLocal));
        Assert.Equal((4200000000u, 9u), (rt4.RouteTargetGlobal, rt4.RouteTargetLocal));
        Assert.Equal(["RT:65001:100", "RT:10.0.0.1:7", "RT:4200000000:9"], new[] { rt2, rtIp, rt4 }.Select(c => c.ToString()));
        Assert.True(esiLabel.IsEsiLabel && esiLabel.EsiLabelSingleActive);
        Assert.Equal(3000u, esiLabel.EsiLabelValue);
        Assert.Equal((42u, true), (mobility.MacMobilitySequence, mobility.MacMobilitySticky));
        Assert.Equal(TunnelTypes.Vxlan, ExtendedCommunity.VxlanEncapsulation.EncapsulationTunnelType);
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:02"), ExtendedCommunity.RoutersMac(MacAddress.Parse("02:00:00:00:00:02")).RoutersMacAddress);
        Assert.True(ExtendedCommunity.DefaultGateway.IsDefaultGateway);
        Assert.Equal("0x8000000000000001", new ExtendedCommunity(0x8000000000000001).ToString());
    }
}
