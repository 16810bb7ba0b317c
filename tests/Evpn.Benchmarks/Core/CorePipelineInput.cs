using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Benchmarks.Core;

/// <summary>One decoded UPDATE as the session layer hands it to the core.</summary>
public sealed record BenchUpdate(IpAddr Peer, IReadOnlyList<Nlri> Routes, PathAttributes Attributes, IpAddr NextHop);

/// <summary>The benchmark's input: <see cref="Routes"/> type-2 MAC+IPv4 routes from <see cref="Peers"/> iBGP
/// peers (each a VTEP) spread over <see cref="Vnis"/> VNIs, grouped into UPDATEs per (peer, VNI) as a
/// real peer packs them (routes sharing attributes). Each UPDATE gets its own attribute object, as
/// the decoder produces, so interning does real work.</summary>
public static class CorePipelineInput
{
    public const uint As = 65000;
    public const uint FirstVni = 10000;
    public static readonly IpAddr Self = IpAddr.Parse("10.255.0.1");

    public static IpAddr PeerAddress(int peer) => IpAddr.FromV4(0x0AFE_0000u + (uint)peer + 1);

    public static List<BenchUpdate> Build(int routes, int peers, int vnis, int routesPerUpdate = 64)
    {
        var updates = new List<BenchUpdate>(routes / routesPerUpdate + peers * vnis);
        var perPeerVni = (routes + peers * vnis - 1) / (peers * vnis);
        var made = 0;
        for (var p = 0; p < peers && made < routes; p++)
        {
            var peer = PeerAddress(p);
            var rdBase = peer.V4Bits;
            for (var v = 0; v < vnis && made < routes; v++)
            {
                var vni = FirstVni + (uint)v;
                var batch = new List<Nlri>(Math.Min(routesPerUpdate, perPeerVni));
                for (var i = 0; i < perPeerVni && made < routes; i++, made++)
                {
                    var mac = new MacAddress(0x0200_0000_0000UL | (uint)made);
                    var ip = IpAddr.FromV4(0x6400_0000u + (uint)made);
                    batch.Add(new MacIpAdvertisementRoute(RouteDistinguisher.FromIPv4(rdBase, (ushort)(v + 1)), EthernetSegmentId.Zero, 0, mac, ip, EvpnLabel.FromVni(vni)));
                    if (batch.Count == routesPerUpdate)
                    {
                        updates.Add(new BenchUpdate(peer, batch, Attributes(vni), peer));
                        batch = new List<Nlri>(routesPerUpdate);
                    }
                }
                if (batch.Count > 0)
                {
                    updates.Add(new BenchUpdate(peer, batch, Attributes(vni), peer));
                }
            }
        }
        return updates;
    }

    private static PathAttributes Attributes(uint vni) => new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.Empty,
        LocalPref = 100,
        ExtendedCommunities = new[] { ExtendedCommunity.RouteTargetAs2((ushort)As, vni), ExtendedCommunity.VxlanEncapsulation },
    };
}
