using Evpn.Config.Loading;
using Evpn.Daemon.Speaker;

namespace Evpn.Daemon.Tests.Speaker;

/// <summary>configs/README.md `duplicate-detection.freeze`: `none` only marks and alerts, `permanent` freezes until
/// cleared, a duration freezes for that long. The three must reach the core as three different behaviours.</summary>
public sealed class DuplicateDetectionMappingTests
{
    [Theory]
    [InlineData("none", false, null)]
    [InlineData("permanent", true, null)]
    [InlineData("30m", true, 1800)]
    public void The_freeze_setting_reaches_the_core(string freeze, bool frozen, int? seconds)
    {
        var yaml = $"""
            router:
              asn: 65001
              local-vtep: 10.0.0.1
            evpn:
              duplicate-detection:
                freeze: {freeze}
            """;
        var result = EvpnConfigLoader.Parse(yaml, "evpnd.yaml");
        Assert.True(result.IsValid, result.ToString());

        var options = OptionsMapping.Core(result.Config!).DuplicateDetection;

        Assert.Equal(frozen, options.Freeze);
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, options.FreezeTime);
    }
}
