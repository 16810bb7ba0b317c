using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>The per-type path counts the RIB keeps for metrics follow every way a path enters or leaves the
/// Loc-RIB: new key, replacement, second path, withdraw, session loss.</summary>
public class PathCountsByTypeTests
{
    private static readonly IpAddr A = Ip("10.0.0.2");
    private static readonly IpAddr B = Ip("10.0.0.3");

    [Fact]
    public void Counts_follow_adds_replacements_second_paths_withdraws_and_a_peer_going_down()
    {
        var rib = NewRib();
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.PeerUp(Ibgp("10.0.0.3"));
        var mac1 = Mac("10.0.0.9:1", "52:54:00:00:00:01", "192.0.2.1");
        var mac2 = Mac("10.0.0.9:1", "52:54:00:00:00:02");
        var imet = Imet("10.0.0.9:1", "10.0.0.9");

        rib.Receive(A, [mac1, mac2, imet], Attrs(), A);
        rib.Process();
        Assert.Equal(Counts((EvpnRouteType.MacIpAdvertisement, 2), (EvpnRouteType.InclusiveMulticast, 1)), rib.PathCountsByType());

        // The same key again with other attributes replaces the path; from a second peer it adds one.
        rib.Receive(A, [mac1], Attrs(sequence: 1), A);
        rib.Receive(B, [mac1, imet], Attrs(), B);
        rib.Process();
        Assert.Equal(Counts((EvpnRouteType.MacIpAdvertisement, 3), (EvpnRouteType.InclusiveMulticast, 2)), rib.PathCountsByType());

        rib.Withdraw(A, [mac2]);
        rib.Process();
        Assert.Equal(Counts((EvpnRouteType.MacIpAdvertisement, 2), (EvpnRouteType.InclusiveMulticast, 2)), rib.PathCountsByType());

        rib.PeerDown(A, retainStale: false);
        rib.Process();
        Assert.Equal(Counts((EvpnRouteType.MacIpAdvertisement, 1), (EvpnRouteType.InclusiveMulticast, 1)), rib.PathCountsByType());
        Assert.Equal(rib.FindPeer(B)!.PathCount, rib.PathCountsByType().Values.Sum());

        rib.PeerDown(B, retainStale: false);
        rib.Process();
        Assert.Empty(rib.PathCountsByType());
    }

    private static Dictionary<EvpnRouteType, int> Counts(params (EvpnRouteType Type, int Count)[] counts) =>
        counts.ToDictionary(c => c.Type, c => c.Count);
}
