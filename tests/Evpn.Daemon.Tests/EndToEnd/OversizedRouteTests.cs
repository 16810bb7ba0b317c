using System.Net;
using Evpn.Api;
using Evpn.Session.Tests.Loopback;
using Evpn.Testing.EndToEnd;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>RFC 8654 section 4 on a real evpnd: a route that a peer with extended messages sends and that does not
/// fit 4,096 octets is withheld from a peer without them (withdrawn there, counted, logged once), and that peer's
/// session goes on receiving the other routes.</summary>
[Collection(EvpndCollection.Name)]
public sealed class OversizedRouteTests
{
    private static readonly RouteDistinguisher Rd = RouteDistinguisher.Parse("10.200.0.2:1");

    [RequiresFact(Requirement.Root)]
    public async Task A_route_too_large_for_one_peer_is_withheld_from_it_and_that_peer_keeps_receiving_the_others()
    {
        using var folder = new TempFolder();
        var (address, extended, plain) = (LoopbackAddresses.Next(), LoopbackAddresses.Next(), LoopbackAddresses.Next());
        var socket = folder.File("evpnd.sock");
        var metrics = SingleDaemonYaml.MetricsUrl(address);
        File.WriteAllText(folder.File("evpnd.yaml"), Config(address, extended, plain, socket));
        await using var evpnd = EvpndProcess.Start("oversized", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);
        var target = new IPEndPoint(IPAddress.Parse(address), 179);
        await using var big = await RawBgpPeer.ConnectAsync(IPAddress.Parse(extended), target);
        await using var small = await RawBgpPeer.ConnectAsync(IPAddress.Parse(plain), target);
        await big.HandshakeAsync(Open(65002, extended, new ExtendedMessageCapability()));
        await small.HandshakeAsync(Open(65003, plain));
        Assert.True(big.Context.ExtendedMessage && !small.Context.ExtendedMessage);

        var large = Update(Mac(1), communities: 1000);
        Assert.InRange(BgpEncoder.Encode(large, big.Context).Length, 4097, 4300);
        await big.SendAsync(large);
        await big.SendAsync(Update(Mac(2), communities: 1000));
        await big.SendAsync(Update(Mac(3), communities: 0));

        // The plain peer gets the small route; the large ones only as withdrawals (never announced).
        var announced = new List<EvpnRoute>();
        var withdrawn = new List<EvpnRoute>();
        while (!announced.Contains(Mac(3)))
        {
            var update = await small.ExpectAsync<UpdateMessage>(30);
            announced.AddRange(update.MpReach?.Nlri.Select(n => n.Evpn!) ?? []);
            withdrawn.AddRange(update.MpUnreach?.Nlri.Select(n => n.Evpn!) ?? []);
        }
        Assert.DoesNotContain(Mac(1), announced);
        Assert.DoesNotContain(Mac(2), announced);
        Assert.Contains(Mac(1), withdrawn);
        Assert.Contains(Mac(2), withdrawn);
        await small.SendAsync(KeepaliveMessage.Instance);
        using var client = new ManagementClient(socket, TimeSpan.FromSeconds(10));
        Assert.Equal("Established", (await client.GetAsync<NeighborDetail>(ApiPaths.Neighbor(plain))).State);
        Assert.Equal(3, (await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes)).Count(r => r.Type == 2 && r.Source == extended));
        Assert.Equal(2, await Scrape.ValueAsync(metrics, $"evpn_bgp_routes_withheld_total{{peer=\"{plain}\"}}"));
        Assert.Null(await Scrape.ValueAsync(metrics, $"evpn_bgp_routes_withheld_total{{peer=\"{extended}\"}}"));
        Assert.Single(evpnd.Output.Split('\n'), l => l.Contains("withheld", StringComparison.Ordinal) && l.Contains(plain, StringComparison.Ordinal));
    }

    private static OpenMessage Open(uint asn, string address, params Capability[] extra)
    {
        var open = RawBgpPeer.Open(asn, address, hold: 90);
        return OpenMessage.Create(asn, open.HoldTime, open.BgpIdentifier, [.. open.Capabilities, .. extra]);
    }

    private static MacIpAdvertisementRoute Mac(int n) =>
        new(Rd, EthernetSegmentId.Zero, 0, new MacAddress(0x5254_00AA_0000UL + (ulong)n), null, EvpnLabel.FromVni(100));

    /// <summary>A type-2 route from AS 65002 with <paramref name="communities"/> RFC 1997 communities: about 1,000
    /// make the UPDATE larger than 4,096 octets.</summary>
    private static UpdateMessage Update(MacIpAdvertisementRoute route, int communities) =>
        UpdateMessage.Announce(AfiSafi.L2vpnEvpn, IpAddr.Parse("10.200.0.2"), PathAttributes.Empty with
        {
            Origin = Origin.Igp,
            AsPath = new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, new[] { 65002u }) }),
            ExtendedCommunities = new[] { ExtendedCommunity.RouteTargetAs2(65002, 100), ExtendedCommunity.VxlanEncapsulation },
            Communities = Enumerable.Range(0, communities).Select(i => 0xFDE8_0000u + (uint)i).ToArray(),
        }, new[] { Nlri.ForEvpn(route) });

    private static string Config(string address, string extended, string plain, string socket) => SingleDaemonYaml.Build(address, socket, $"""
          - address: {extended}
            remote-as: 65002
            passive: true
          - address: {plain}
            remote-as: 65003
            passive: true
        """);
}
