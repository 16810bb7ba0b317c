using System.Net;
using Evpn.Session.Options;
using Evpn.Session.Speaker;
using Evpn.Session.Tests.Loopback;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Speaker;

/// <summary>Interface neighbors (BGP unnumbered) are known by their link-local address with the interface as
/// scope: the same address found on two links makes two peers, and an address scoped to another interface is
/// not this interface's peer.</summary>
public class InterfaceNeighborTests
{
    private static PeerOptions Template(string name) =>
        new() { Address = IpAddr.Parse("::"), Interface = name, RemoteAs = 65002, Passive = true, HoldTime = 9 };

    [Fact]
    public async Task One_link_local_address_on_two_links_is_two_peers_found_by_address_and_scope()
    {
        await using var speaker = new BgpSpeaker(new SpeakerOptions { LocalAs = 65001, RouterId = IPAddress.Parse("10.0.0.1"), ListenEndPoint = null },
            new RecordingSink());
        var eth1 = speaker.AddInterfaceNeighbor(Template("eth1"));
        var eth2 = speaker.AddInterfaceNeighbor(Template("eth2"));
        speaker.InterfaceLinkChanged("eth1", 3, up: true);
        speaker.InterfaceLinkChanged("eth2", 4, up: true);

        speaker.InterfacePeerFound("eth1", PeerAddress.Parse("fe80::1%3"), "router advertisement");
        speaker.InterfacePeerFound("eth2", PeerAddress.Parse("fe80::1%4"), "router advertisement");
        speaker.InterfacePeerFound("eth1", PeerAddress.Parse("fe80::2%4"), "router advertisement");

        Assert.Equal(PeerAddress.Parse("fe80::1%3"), eth1.Peer!.Address);
        Assert.Equal(PeerAddress.Parse("fe80::1%4"), eth2.Peer!.Address);
        Assert.Same(eth1.Peer, speaker.FindPeer(PeerAddress.Parse("fe80::1%3")));
        Assert.Same(eth2.Peer, speaker.FindPeer(PeerAddress.Parse("fe80::1%4")));
        Assert.Null(speaker.FindPeer(PeerAddress.Parse("fe80::1")));

        speaker.InterfaceLinkChanged("eth1", 3, up: false);

        Assert.Null(eth1.Peer);
        Assert.Null(speaker.FindPeer(PeerAddress.Parse("fe80::1%3")));
        Assert.Same(eth2.Peer, speaker.FindPeer(PeerAddress.Parse("fe80::1%4")));
    }
}
