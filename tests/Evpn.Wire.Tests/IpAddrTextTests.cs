using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>The one reader of addresses as text. What it refuses is what inet_aton would read as another address
/// than the operator wrote, or what only this host could resolve.</summary>
public class IpAddrTextTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("10.0.0.100", "10.0.0.100")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    [InlineData("2001:DB8::A", "2001:db8::a")]
    public void A_dotted_quad_or_an_ipv6_address_reads_as_written(string text, string expected)
    {
        Assert.True(IpAddr.TryParse(text, out var address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("010.0.0.1")]      // inet_aton: octal, 8.0.0.1
    [InlineData("10.1")]           // inet_aton: 10.0.0.1
    [InlineData("10.0.1")]
    [InlineData("167772161")]      // inet_aton: 10.0.0.1
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1.")]
    [InlineData("10..0.1")]
    [InlineData(" 10.0.0.1")]
    [InlineData("10.0.0.1 ")]
    [InlineData("+1.0.0.1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("::ffff:010.0.0.1")]
    [InlineData("2001:db8::1/64")]
    [InlineData("")]
    public void Anything_else_is_not_an_address(string text)
    {
        Assert.False(IpAddr.TryParse(text, out _));
        Assert.False(PeerAddress.TryParse(text, out _));
    }

    [Fact]
    public void A_zone_is_an_interface_index_and_only_a_peer_address_takes_one()
    {
        Assert.True(PeerAddress.TryParse("fe80::1%3", out var peer));
        Assert.Equal(3u, peer.ScopeId);
        Assert.False(IpAddr.TryParse("fe80::1%3", out _));
        Assert.False(PeerAddress.TryParse("fe80::1%eth0", out _));
        Assert.False(PeerAddress.TryParse("fe80::1%", out _));
    }

    [Fact]
    public void A_route_distinguishers_address_is_a_dotted_quad()
    {
        Assert.Equal("10.0.0.1:10", RouteDistinguisher.Parse("10.0.0.1:10").ToString());
        Assert.False(RouteDistinguisher.TryParse("010.0.0.1:10", out _));
        Assert.False(RouteDistinguisher.TryParse("10.1:10", out _));
    }
}
