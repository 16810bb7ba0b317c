using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>The counts show and metrics read through <see cref="CoreQueries"/> instead of the RIB itself.</summary>
public class RibCountQueryTests
{
    [Fact]
    public void Path_counts_follow_received_originated_and_withdrawn_routes()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, "00:00:00:00:02:01");
        lab.Advertise("10.0.0.2", 100, "00:00:00:00:02:02", "192.0.2.22");
        lab.Advertise("10.0.0.3", 100, "00:00:00:00:03:01");
        lab.LearnLocal(100, "00:00:00:00:01:01");
        var queries = lab.Core.Queries;

        Assert.Equal(2, queries.AcceptedPaths(Ip("10.0.0.2")));
        Assert.Equal(1, queries.AcceptedPaths(Ip("10.0.0.3")));
        Assert.Equal(0, queries.AcceptedPaths(Ip("10.0.0.9")));
        // Ours: the VNI's type-3 and the local MAC's type-2; theirs: three type-2.
        Assert.Equal(5, queries.PathCount);
        Assert.Equal(5, queries.DestinationCount);
        var byType = queries.PathCountsByType();
        Assert.Equal(4, byType[EvpnRouteType.MacIpAdvertisement]);
        Assert.Equal(1, byType[EvpnRouteType.InclusiveMulticast]);

        lab.Withdraw("10.0.0.2", 100, "00:00:00:00:02:01");

        Assert.Equal(1, queries.AcceptedPaths(Ip("10.0.0.2")));
        Assert.Equal(4, queries.PathCount);
        Assert.Equal(3, queries.PathCountsByType()[EvpnRouteType.MacIpAdvertisement]);
    }

    [Fact]
    public void Routes_sent_counts_what_a_peer_was_sent_and_not_withdrawn()
    {
        var lab = WithVniAndTwoVteps();
        var queries = lab.Core.Queries;
        // The VNI's type-3, sent by the setup.
        Assert.Equal(1, queries.RoutesSent(Ip("10.0.0.2")));

        lab.LearnLocal(100, "00:00:00:00:01:01");
        lab.Outbound();
        Assert.Equal(2, queries.RoutesSent(Ip("10.0.0.2")));
        Assert.Equal(2, queries.RoutesSent(Ip("10.0.0.3")));

        lab.RemoveLocal(100, "00:00:00:00:01:01");
        lab.Outbound();
        Assert.Equal(1, queries.RoutesSent(Ip("10.0.0.2")));
        Assert.Equal(0, queries.RoutesSent(Ip("10.0.0.9")));
    }
}
