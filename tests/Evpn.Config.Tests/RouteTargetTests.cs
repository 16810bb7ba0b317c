using Evpn.Config.Options;
using Evpn.Wire.Model;

namespace Evpn.Config.Tests;

public class RouteTargetTests
{
    [Fact]
    public void As_vni_derivation_is_as_low_16_bits_colon_vni()
    {
        Assert.Equal(ExtendedCommunity.RouteTargetAs2(65001, 100), RouteTargets.Derive(RtDerivationMode.AsVni, 65001, 100));
        Assert.Equal("RT:59904:100", RouteTargets.Derive(RtDerivationMode.AsVni, 4200000000, 100).ToString());
    }

    [Fact]
    public void Rfc8365_derivation_sets_type_vxlan_in_the_local_administrator()
    {
        // RFC 8365 section 5.1.2.1: A=0 (auto-derived), Type=1 (VXLAN), D-ID=0, Service ID = VNI.
        var rt = RouteTargets.Derive(RtDerivationMode.Rfc8365, 65001, 100);

        Assert.Equal(0x0002_FDE9_1000_0064UL, rt.Raw);
        Assert.Equal("RT:65001:268435556", rt.ToString());
    }

    [Theory]
    [InlineData("65001:100", 0x0002_FDE9_0000_0064UL)]
    [InlineData("10.0.0.1:7", 0x0102_0A00_0001_0007UL)]
    [InlineData("4200000001:7", 0x0202_FA56_EA01_0007UL)]
    public void Parses_the_three_route_target_forms(string text, ulong raw)
    {
        Assert.True(RouteTargets.TryParse(text, out var rt));
        Assert.Equal(raw, rt.Raw);
    }

    [Theory]
    [InlineData("65001")]
    [InlineData(":100")]
    [InlineData("65001:x")]
    [InlineData("10.0.0.1:70000")]
    [InlineData("4200000001:70000")]
    [InlineData("2001:db8::1:5")]
    public void Rejects_malformed_route_targets(string text)
    {
        Assert.False(RouteTargets.TryParse(text, out _));
    }

    [Fact]
    public void Explicit_route_targets_win_over_derived_ones()
    {
        var evpn = EvpnOptions.Default;
        var vni = VniOptions.Defaults(100) with { ImportRts = new[] { ExtendedCommunity.RouteTargetAs2(1, 1) } };

        Assert.Equal(new[] { ExtendedCommunity.RouteTargetAs2(1, 1) }, RouteTargets.EffectiveImport(evpn, vni, 65001));
        Assert.Equal(new[] { ExtendedCommunity.RouteTargetAs2(65001, 100) }, RouteTargets.EffectiveExport(evpn, vni, 65001));
    }

    [Fact]
    public void Prefix_contains_and_overlaps()
    {
        Assert.True(AddressRange.TryParse("10.0.0.0/24", out var p24));
        Assert.True(AddressRange.TryParse("10.0.0.128/25", out var p25));
        Assert.True(AddressRange.TryParse("2001:db8::/32", out var v6));

        Assert.True(p24.Contains(IpAddr.Parse("10.0.0.200")));
        Assert.False(p24.Contains(IpAddr.Parse("10.0.1.1")));
        Assert.True(p24.Overlaps(p25) && p25.Overlaps(p24));
        Assert.False(p24.Overlaps(v6));
        Assert.True(v6.Contains(IpAddr.Parse("2001:db8::5")));
        Assert.False(AddressRange.TryParse("10.0.0.1/24", out _));
        Assert.False(AddressRange.TryParse("10.0.0.0/33", out _));
    }
}
