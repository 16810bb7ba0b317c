using System.Net;
using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>The one peer identity: what a socket address becomes, and back, with the scope of a link-local address.</summary>
public class PeerAddressTests
{
    [Fact]
    public void A_link_local_address_keeps_its_interface_and_so_is_another_peer_on_another_link()
    {
        var onEth1 = PeerAddress.FromSocket(IPAddress.Parse("fe80::1%3"));
        var onEth2 = PeerAddress.FromSocket(IPAddress.Parse("fe80::1%4"));

        Assert.True(onEth1.IsLinkLocal);
        Assert.Equal(3u, onEth1.ScopeId);
        Assert.NotEqual(onEth1, onEth2);
        Assert.Equal(IPAddress.Parse("fe80::1%3"), onEth1.ToSocketAddress());
        Assert.Equal("fe80::1%3", onEth1.ToString());
        Assert.Equal(onEth1, PeerAddress.Parse("fe80::1%3"));
        Assert.True(onEth1.CompareTo(onEth2) < 0);
    }

    [Fact]
    public void A_dual_stack_sockets_mapped_address_is_the_ipv4_peer()
    {
        var peer = PeerAddress.FromSocket(IPAddress.Parse("::ffff:192.0.2.7"));

        Assert.Equal(PeerAddress.Parse("192.0.2.7"), peer);
        Assert.Equal(IpAddr.Parse("192.0.2.7"), peer.Ip);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), peer.ToSocketAddress());
    }

    [Fact]
    public void A_global_address_has_no_scope_and_is_the_configured_address()
    {
        var configured = IpAddr.Parse("2001:db8::2");
        PeerAddress peer = configured;

        Assert.Equal(peer, new PeerAddress(configured, scopeId: 9));
        Assert.Equal(0u, new PeerAddress(configured, scopeId: 9).ScopeId);
        Assert.False(peer.IsLinkLocal);
        Assert.Equal("2001:db8::2", peer.ToString());
        Assert.Equal(IPAddress.Parse("2001:db8::2"), peer.ToSocketAddress());
        Assert.False(PeerAddress.TryParse("not an address", out _));
    }
}
