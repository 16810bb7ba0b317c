using Evpn.Config.Loading;
using Evpn.Daemon.Speaker;
using Evpn.Rib;

namespace Evpn.Daemon.Tests.Speaker;

/// <summary>configs/README.md `router.update-group-backlog` reaches the core, and the RIB's default when it is not set.</summary>
public sealed class UpdateGroupBacklogMappingTests
{
    [Theory]
    [InlineData("", RibOptions.DefaultUpdateGroupBacklog)]
    [InlineData("  update-group-backlog: 4096\n", 4096)]
    public void The_backlog_reaches_the_core(string line, int backlog)
    {
        var result = EvpnConfigLoader.Parse("router:\n  asn: 65001\n  local-vtep: 10.0.0.1\n" + line, "evpnd.yaml");
        Assert.True(result.IsValid, result.ToString());

        Assert.Equal(backlog, OptionsMapping.Core(result.Config!).UpdateGroupBacklog);
    }
}
