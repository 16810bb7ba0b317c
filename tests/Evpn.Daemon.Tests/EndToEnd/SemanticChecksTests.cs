using System.Net;
using Evpn.Api;
using Evpn.Session.Tests.Loopback;
using Evpn.Testing.EndToEnd;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>What RFC 7606 and RFC 7607 leave to the receiver, over real sessions with a running evpnd: an
/// external raw peer sends UPDATEs that are well-formed on the wire but that no receiver may use (AS 0, a
/// foreign first AS, confederation segments, tunnel endpoints no VTEP can have, MACs no host has, a
/// malformed IPv6 extended community, an attribute type the neighbor lists under treat-as-withdraw) and
/// ones whose routes stay but lose an attribute (ORIGINATOR_ID and CLUSTER_LIST from outside, AGGREGATOR AS 0,
/// malformed TUNNEL_ENCAPSULATION and PREFIX_SID, a type the neighbor lists under discard). An internal raw
/// peer sees what evpnd passes on.</summary>
[Collection(EvpndCollection.Name)]
public sealed class SemanticChecksTests
{
    private const uint Vni = 100;
    private const uint ExternalAs = 65002;
    private static readonly IpAddr RemoteVtep = IpAddr.Parse("10.9.0.2");
    private static readonly MacAddress Kept = MacAddress.Parse("52:54:00:5e:00:01");
    private static readonly MacAddress Sentinel = MacAddress.Parse("52:54:00:5e:00:ff");

    [RequiresFact(Requirement.Root)]
    public async Task Updates_no_receiver_may_use_are_withdrawn_and_never_reach_the_data_plane_and_foreign_attributes_are_not_passed_on()
    {
        using var folder = new TempFolder();
        var (address, externalAddress, internalAddress) = (LoopbackAddresses.Next(), LoopbackAddresses.Next(), LoopbackAddresses.Next());
        var own = IpAddr.Parse(address);
        var socket = folder.File("evpnd.sock");
        File.WriteAllText(folder.File("evpnd.yaml"), Config(address, externalAddress, internalAddress, socket));
        await using var evpnd = EvpndProcess.Start("semantic", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);
        using var client = new ManagementClient(socket, TimeSpan.FromSeconds(10));
        var bgp = new IPEndPoint(IPAddress.Parse(address), 179);
        await using var external = await RawBgpPeer.ConnectAsync(IPAddress.Parse(externalAddress), bgp);
        await external.HandshakeAsync(RawBgpPeer.Open(ExternalAs, externalAddress, hold: 0));
        await using var @internal = await RawBgpPeer.ConnectAsync(IPAddress.Parse(internalAddress), bgp);
        await @internal.HandshakeAsync(RawBgpPeer.Open(65001, internalAddress, hold: 0));

        // The flood entry of the remote VTEP, keyed by the all-zero MAC in the data plane.
        await external.SendAsync(Type3(RemoteVtep, RemoteVtep, Attributes() with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(RemoteVtep, Vni) }));
        await Eventually.UntilAsync(async () => (await FloodAsync(client)).SequenceEqual([RemoteVtep.ToString()]), "the remote VTEP in VNI 100's flood list", evpnd.Describe);

        // Kept, without what an external peer may not send: ORIGINATOR_ID naming us (a loop before RFC 7606
        // section 7.9 had it dropped), CLUSTER_LIST, AGGREGATOR of AS 0 (RFC 7607), TUNNEL_ENCAPSULATION whose
        // TLV overruns it (RFC 9012 section 13), PREFIX_SID with a Label-Index of 6 octets (RFC 8669 section 6),
        // and type 98, which the neighbor lists under path-attribute discard.
        await external.SendAsync(Type2(Kept, RemoteVtep, Attributes() with
        {
            OriginatorId = own,
            ClusterList = new[] { own },
            Aggregator = new Aggregator(0, RemoteVtep),
            Unrecognized = new[]
            {
                new RawAttribute(0xC0, AttributeType.TunnelEncapsulation, Convert.FromHexString("00080010010800000000")),
                new RawAttribute(0xC0, AttributeType.PrefixSid, Convert.FromHexString("010006000000000064")),
                new RawAttribute(0xC0, 98, Convert.FromHexString("01")),
            },
        }));
        var passedOn = await UpdateForAsync(@internal, Kept);
        Assert.Null(passedOn.Attributes.OriginatorId);
        Assert.Empty(passedOn.Attributes.ClusterList);
        Assert.Null(passedOn.Attributes.Aggregator);
        Assert.Empty(passedOn.Attributes.Unrecognized);
        Assert.Equal(RemoteVtep, passedOn.MpReach!.NextHop);

        var unusable = new (string Why, UpdateMessage Update)[]
        {
            ("AS 0 in AS_PATH (RFC 7607)", Type2(Mac(2), RemoteVtep, Attributes(Sequence(ExternalAs, 0)))),
            ("first AS not the peer's", Type2(Mac(3), RemoteVtep, Attributes(Sequence(65003)))),
            ("confederation segment from an external peer", Type2(Mac(4), RemoteVtep,
                Attributes(new AsPath(new[] { new AsPathSegment(AsPathSegmentType.ConfedSequence, new uint[] { 65010 }), new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { ExternalAs }) })))),
            ("loopback next hop", Type2(Mac(5), IpAddr.Parse("127.0.0.1"), Attributes())),
            ("multicast next hop", Type2(Mac(6), IpAddr.Parse("224.0.0.5"), Attributes())),
            ("our own VTEP as next hop", Type2(Mac(7), own, Attributes())),
            ("type-3 originator in 240/4", Type3(IpAddr.Parse("240.0.0.1"), IpAddr.Parse("10.9.0.3"),
                Attributes() with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(IpAddr.Parse("10.9.0.3"), Vni) })),
            ("PMSI tunnel endpoint in 0/8", Type3(IpAddr.Parse("10.9.0.4"), IpAddr.Parse("10.9.0.4"),
                Attributes() with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(IpAddr.Parse("0.0.0.1"), Vni) })),
            ("type-2 for the all-zero MAC", Type2(MacAddress.Zero, RemoteVtep, Attributes())),
            ("type-2 for a multicast MAC", Type2(MacAddress.Parse("01:00:5e:00:00:01"), RemoteVtep, Attributes())),
            ("IPv6 Address Specific Extended Community of 8 octets", Type2(Mac(8), RemoteVtep, Attributes() with
            {
                Unrecognized = new[] { new RawAttribute(0xC0, AttributeType.Ipv6AddressSpecificExtendedCommunities, Convert.FromHexString("0002fde900000064")) },
            })),
            ("type 99, listed under path-attribute treat-as-withdraw", Type2(Mac(9), RemoteVtep, Attributes() with
            {
                Unrecognized = new[] { new RawAttribute(0xC0, 99, Convert.FromHexString("01")) },
            })),
            ("a route accepted before, announced again with AS 0", Type2(Kept, RemoteVtep, Attributes(Sequence(ExternalAs, 0)))),
        };
        foreach (var (_, update) in unusable)
        {
            await external.SendAsync(update);
        }
        // UPDATEs are handled in order: once the sentinel is in, every one before it was handled.
        await external.SendAsync(Type2(Sentinel, RemoteVtep, Attributes()));
        await Eventually.UntilAsync(async () => (await MacsAsync(client)).Any(m => m.Mac == Sentinel.ToString()), "the sentinel MAC", evpnd.Describe);

        var neighbor = await client.GetAsync<NeighborDetail>(ApiPaths.Neighbor(externalAddress));
        Assert.Equal("Established", neighbor.State);
        Assert.Equal(unusable.Length, neighbor.UpdateErrors["treat-as-withdraw"]);
        Assert.Equal(1, neighbor.UpdateErrors["attribute-discard"]);
        var macs = await MacsAsync(client);
        Assert.Equal([Sentinel.ToString()], macs.Select(m => m.Mac));
        Assert.Equal(RemoteVtep.ToString(), macs[0].RemoteVtep);
        Assert.Equal([RemoteVtep.ToString()], await FloodAsync(client));
        var routes = await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes);
        Assert.Equal([$"2:{Sentinel}", $"3:{RemoteVtep}"],
            routes.Where(r => r.Source == externalAddress).Select(r => r.Type == 3 ? $"3:{r.NextHop}" : $"2:{r.Mac}").Order());
        Assert.Contains("EVPN next hop 127.0.0.1 is a loopback address", evpnd.Output);
    }

    private static MacAddress Mac(byte last) => new(0x5254_005e_0000UL | last);

    private static AsPath Sequence(params uint[] asns) => new(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, asns) });

    private static PathAttributes Attributes(AsPath? path = null) => new()
    {
        Origin = Origin.Igp,
        AsPath = path ?? Sequence(ExternalAs),
        ExtendedCommunities = new[] { ExtendedCommunity.RouteTargetAs2((ushort)ExternalAs, Vni), ExtendedCommunity.VxlanEncapsulation },
    };

    private static RouteDistinguisher Rd(IpAddr vtep) =>
        RouteDistinguisher.TryParse($"{vtep}:1", out var rd) ? rd : throw new ArgumentException($"no RD for {vtep}");

    private static UpdateMessage Type2(MacAddress mac, IpAddr nextHop, PathAttributes attributes) => Announce(nextHop, attributes,
        Nlri.ForEvpn(new MacIpAdvertisementRoute(Rd(RemoteVtep), EthernetSegmentId.Zero, 0, mac, null, EvpnLabel.FromVni(Vni))));

    private static UpdateMessage Type3(IpAddr originator, IpAddr nextHop, PathAttributes attributes) => Announce(nextHop, attributes,
        Nlri.ForEvpn(new InclusiveMulticastRoute(Rd(originator), 0, originator)));

    private static UpdateMessage Announce(IpAddr nextHop, PathAttributes attributes, Nlri route) =>
        new(EquatableArray<Nlri>.Empty, attributes, new MpReachNlri(AfiSafi.L2vpnEvpn, nextHop, new[] { route }), null, EquatableArray<Nlri>.Empty);

    /// <summary>The first UPDATE evpnd sends <paramref name="peer"/> that announces <paramref name="mac"/>.</summary>
    internal static async Task<UpdateMessage> UpdateForAsync(RawBgpPeer peer, MacAddress mac)
    {
        var deadline = DateTime.UtcNow + Eventually.Deadline;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no UPDATE for {mac} within {Eventually.Deadline}");
            var update = await peer.ExpectAsync<UpdateMessage>(Eventually.Deadline.TotalSeconds);
            if (update.MpReach is { } reach && reach.Nlri.AsSpan().ToArray().Any(n => n.Evpn is MacIpAdvertisementRoute r && r.Mac == mac))
            {
                return update;
            }
        }
    }

    private static async Task<IReadOnlyList<string>> FloodAsync(ManagementClient client) =>
        (await client.GetAsync<IReadOnlyList<FloodListEntry>>(ApiPaths.Flood)).Where(f => f.Vni == Vni).SelectMany(f => f.RemoteVteps).ToList();

    private static async Task<IReadOnlyList<Api.MacAddressEntry>> MacsAsync(ManagementClient client) =>
        (await client.GetAsync<IReadOnlyList<Api.MacAddressEntry>>($"{ApiPaths.Macs}?vni={Vni}")).Where(m => m.Type == "remote").ToList();

    private static string Config(string address, string external, string @internal, string socket) => $"""
        router:
          asn: 65001
          local-vtep: {address}
          listen-address: {address}
        neighbors:
          - address: {external}
            remote-as: {ExternalAs}
            passive: true
            path-attribute:
              discard: [98]
              treat-as-withdraw: [99]
          - address: {@internal}
            remote-as: internal
            passive: true
        evpn:
          wildcard-import: true
          vnis: [{"{"}vni: {Vni}{"}"}]
        {DaemonConfig.TestServices(address, socket)}

        """;
}
