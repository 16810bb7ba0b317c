using Evpn.Core;
using Evpn.Daemon.Speaker;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.Speaker;

/// <summary>The rehearsal evpnd runs at start must take its made-up table the whole way (decode, core, intent
/// writer, data plane, netlink encoding) whatever the configuration, and leave nothing behind.</summary>
public sealed class FirstLoadRehearsalTests
{
    // 2 VTEPs x 8 VNIs x 256 hosts (type-2) + 16 type-3; a move of 26 hosts per VNI (announced at the new VTEP,
    // withdrawn at the old); then everything withdrawn again.
    private const int Type2 = 2 * 8 * 256;
    private const int Type3 = 2 * 8;
    private const int Moved = 8 * 26;
    private const int RoutesThrough = (Type2 + Type3) + (2 * Moved) + (Type2 + Type3);

    [Theory]
    [InlineData(RouteTargetFormat.AsVni, true)]
    [InlineData(RouteTargetFormat.Rfc8365, false)]
    public async Task Every_route_goes_through_the_core_to_the_data_plane_and_out_again(RouteTargetFormat format, bool advertiseAll)
    {
        // A configuration that would import none of the made-up VNIs as is: the rehearsal serves them anyway.
        var options = new CoreOptions(4_200_000_001, IpAddr.Parse("10.0.0.1"), IpAddr.Parse("10.0.0.1"))
        {
            RouteTargetFormat = format,
            AdvertiseAllVnis = advertiseAll,
            Vnis = [new VniConfig(100)],
        };

        var report = await FirstLoadRehearsal.RunAsync(options, kernelEncoding: true);

        Assert.Equal(RoutesThrough, report.Routes);
        // At least an install and a removal per MAC and per flood entry, more for MAC+IP hosts and moves.
        Assert.True(report.Intents >= 2 * (Type2 + Type3), $"{report.Intents} intents");
        // Every intent encodes to one request or more (an FDB removal is two).
        Assert.True(report.Requests >= report.Intents, $"{report.Requests} requests for {report.Intents} intents");
        Assert.Equal(0, report.EntriesLeft);
    }

    [Fact]
    public async Task Without_the_kernel_nothing_is_encoded()
    {
        var report = await FirstLoadRehearsal.RunAsync(new CoreOptions(65001, IpAddr.Parse("10.0.0.1"), IpAddr.Parse("10.0.0.1")), kernelEncoding: false);

        Assert.Equal(RoutesThrough, report.Routes);
        Assert.Equal(0, report.Requests);
        Assert.Equal(0, report.EntriesLeft);
    }
}
