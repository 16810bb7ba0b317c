using System.Net;
using Evpn.Session.Tests.Loopback;
using Evpn.Testing.EndToEnd;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>evpnd as a route reflector (RFC 4456) passes what it does not interpret on to its clients unchanged: a
/// client sends a type-2 route with extended communities evpnd has no use for (route origin, E-Tree, EVPN multicast
/// flags, the Layer 2 Attributes of RFC 8214) and the D-PATH attribute; the other client receives every one of them
/// with the same octets, D-PATH with the Partial bit set as RFC 4271 section 5 says for an unrecognized optional
/// transitive attribute passed on.</summary>
[Collection(EvpndCollection.Name)]
public sealed class ReflectedUnknownAttributesTests
{
    private const uint Vni = 100;
    private static readonly MacAddress Mac = MacAddress.Parse("52:54:00:5e:a7:01");
    private static readonly IpAddr Vtep = IpAddr.Parse("10.9.0.2");

    /// <summary>RFC 4360 section 5: two-octet AS specific Route Origin (type 0x00, sub-type 0x03), AS 65001, 100.</summary>
    private static readonly ExtendedCommunity RouteOrigin = new(0x0003_FDE9_0000_0064UL);

    /// <summary>RFC 8317 section 5.1: E-Tree (EVPN type 0x06, sub-type 0x05), leaf flag, leaf label 100.</summary>
    private static readonly ExtendedCommunity ETree = new(0x0605_0100_0000_0640UL);

    /// <summary>RFC 9251 section 9.1: EVPN Multicast Flags (0x06, 0x09), IGMP proxy support.</summary>
    private static readonly ExtendedCommunity MulticastFlags = new(0x0609_0000_0000_0001UL);

    /// <summary>RFC 8214 section 3.1: EVPN Layer 2 Attributes (0x06, 0x04), primary PE and control word flags, L2 MTU 1500.</summary>
    private static readonly ExtendedCommunity Layer2Attributes = new(0x0604_0003_05DC_0000UL);

    /// <summary>D-PATH (attribute type 36, draft-ietf-bess-evpn-ipvpn-interworking section 5): one segment naming
    /// domain 65001:1 with ISF SAFI 70, optional transitive.</summary>
    private static readonly RawAttribute DPath = new(0xC0, 36, Convert.FromHexString("01010000FDE9000146"));

    [RequiresFact(Requirement.Root)]
    public async Task A_reflected_route_reaches_the_other_client_with_unknown_extended_communities_and_attributes_unchanged()
    {
        using var folder = new TempFolder();
        var (address, senderAddress, receiverAddress) = (LoopbackAddresses.Next(), LoopbackAddresses.Next(), LoopbackAddresses.Next());
        var socket = folder.File("evpnd.sock");
        File.WriteAllText(folder.File("evpnd.yaml"), Config(address, senderAddress, receiverAddress, socket));
        await using var evpnd = EvpndProcess.Start("reflect-unknown", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);
        var bgp = new IPEndPoint(IPAddress.Parse(address), 179);
        await using var sender = await RawBgpPeer.ConnectAsync(IPAddress.Parse(senderAddress), bgp);
        await sender.HandshakeAsync(RawBgpPeer.Open(65001, senderAddress, hold: 0));
        await using var receiver = await RawBgpPeer.ConnectAsync(IPAddress.Parse(receiverAddress), bgp);
        await receiver.HandshakeAsync(RawBgpPeer.Open(65001, receiverAddress, hold: 0));

        ExtendedCommunity[] communities = [ExtendedCommunity.RouteTargetAs2(65001, Vni), ExtendedCommunity.VxlanEncapsulation, RouteOrigin, ETree, MulticastFlags, Layer2Attributes];
        var attributes = new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = AsPath.Empty,
            LocalPref = 100,
            ExtendedCommunities = communities,
            Unrecognized = new[] { DPath },
        };
        var route = new MacIpAdvertisementRoute(RouteDistinguisher.Parse($"{Vtep}:1"), EthernetSegmentId.Zero, 0, Mac, null, EvpnLabel.FromVni(Vni));
        await sender.SendAsync(new UpdateMessage(EquatableArray<Nlri>.Empty, attributes,
            new MpReachNlri(AfiSafi.L2vpnEvpn, Vtep, new[] { Nlri.ForEvpn(route) }), null, EquatableArray<Nlri>.Empty));

        var reflected = await SemanticChecksTests.UpdateForAsync(receiver, Mac);
        Assert.Equal(communities, reflected.Attributes.ExtendedCommunities.AsSpan().ToArray());
        var dpath = Assert.Single(reflected.Attributes.Unrecognized);
        Assert.Equal(DPath.TypeCode, dpath.TypeCode);
        Assert.Equal(DPath.Value, dpath.Value);
        Assert.Equal((byte)(DPath.Flags | AttributeFlags.Partial), dpath.Flags);
        Assert.Equal(Vtep, reflected.MpReach!.NextHop);
        Assert.Equal(route, Assert.Single(reflected.MpReach.Nlri).Evpn);
        // RFC 4456 section 8: the reflector adds ORIGINATOR_ID (the sender's router id) and its CLUSTER_LIST entry.
        Assert.Equal(IpAddr.Parse(senderAddress), reflected.Attributes.OriginatorId);
        Assert.Single(reflected.Attributes.ClusterList);
    }

    private static string Config(string address, string sender, string receiver, string socket) => $"""
        router:
          asn: 65001
          local-vtep: {address}
          listen-address: {address}
        neighbors:
          - address: {sender}
            remote-as: internal
            passive: true
            route-reflector-client: true
          - address: {receiver}
            remote-as: internal
            passive: true
            route-reflector-client: true
        evpn:
          vnis: [{"{"}vni: {Vni}{"}"}]
        {DaemonConfig.TestServices(address, socket)}

        """;
}
