using Evpn.Config.Loading;
using Evpn.Config.Options;
using Evpn.Wire.Model;

namespace Evpn.Config.Tests;

public class RouteTargetTests
{
    [Fact]
    public void Derived_route_target_follows_the_section_rule_unless_the_vni_names_its_own()
    {
        var evpn = EvpnOptions.Default with { RtDerivation = DerivationMode.Rfc8365 };
        var inherits = VniOptions.Defaults(100);
        var nokia = VniOptions.Defaults(200) with { RtDerivation = DerivationMode.Nokia, Evi = 20 };

        Assert.Equal("RT:65001:268435556", RouteTargets.Derive(evpn, inherits, 65001).ToString());
        Assert.Equal("RT:65001:20", RouteTargets.Derive(evpn, nokia, 65001).ToString());
        Assert.Equal("RT:65001:200", RouteTargets.Derive(EvpnOptions.Default, VniOptions.Defaults(200), 65001).ToString());
    }

    [Fact]
    public void Loads_the_derivation_rules_and_the_evi_from_yaml()
    {
        var config = EvpnConfigLoader.Parse("""
            router:
              asn: 65001
              local-vtep: 10.0.0.1
            evpn:
              rt-derivation: junos
              vnis:
                - vni: 100
                - vni: 200
                  rt-derivation: nokia
                  evi: 20
                - vni: 300
                  rt-derivation: as-vni
                - vni: 400
                  rt-derivation: nxos
            """, "evpnd.yaml").Config!;

        Assert.Equal(DerivationMode.Rfc8365, config.Evpn.RtDerivation);
        Assert.Equal([null, DerivationMode.Nokia, DerivationMode.Frr, DerivationMode.NxOs], config.Evpn.Vnis.Select(v => v.RtDerivation));
        Assert.Equal([null, 20u, null, null], config.Evpn.Vnis.Select(v => v.Evi));
    }

    [Fact]
    public void Junos_virtual_switch_bundle_shares_the_rd_and_derives_route_targets_per_vni()
    {
        // Junos virtual-switch with `vrf-target auto`: one route-distinguisher for the instance, one auto RT per VNI.
        var config = EvpnConfigLoader.Parse("""
            router:
              asn: 65000
              local-vtep: 10.0.0.1
            evpn:
              rt-derivation: junos
              vnis:
                - vni: 1303
                  bundle: vs1
                  rd: 192.0.2.11:1
                - vni: 1304
                  bundle: vs1
            """, "evpnd.yaml").Config!;

        Assert.All(config.Evpn.Vnis, v => Assert.Equal(RouteDistinguisher.Parse("192.0.2.11:1"), v.Rd));
        Assert.Equal(["RT:65000:268436759", "RT:65000:268436760"],
            config.Evpn.Vnis.Select(v => RouteTargets.EffectiveImport(config.Evpn, v, 65000).Single().ToString()));
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
