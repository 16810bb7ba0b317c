using Evpn.DataPlane.Linux.Unnumbered;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>The router solicitations and advertisements BGP unnumbered sends and accepts (RFC 4861 4.1, 4.2, 6.1).</summary>
public sealed class RouterDiscoveryMessageTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("02:00:00:00:0a:01");

    [Fact]
    public void Advertisement_is_not_a_default_router_and_carries_the_source_link_layer_address()
    {
        var ra = RouterDiscoveryMessage.Advertisement(Mac);

        Assert.Equal(
            Convert.FromHexString("86000000" + "40000000" + "00000000" + "00000000" + "0101020000000a01"),
            ra);
        Assert.Equal(RouterDiscoveryMessage.RouterAdvertisement, RouterDiscoveryMessage.Validate(ra));
    }

    [Fact]
    public void Solicitation_carries_the_source_link_layer_address()
    {
        var rs = RouterDiscoveryMessage.Solicitation(Mac);

        Assert.Equal(Convert.FromHexString("85000000" + "00000000" + "0101020000000a01"), rs);
        Assert.Equal(RouterDiscoveryMessage.RouterSolicitation, RouterDiscoveryMessage.Validate(rs));
    }

    /// <summary>FRR's advertisement on an unnumbered interface: hop limit 64, router lifetime 30 s, a source link-layer
    /// address option and an MTU option.</summary>
    [Fact]
    public void Frr_advertisement_with_several_options_is_accepted()
    {
        var frr = Convert.FromHexString("8600c5a9" + "4000001e" + "00000000" + "00000000" + "0101760f7d12e32e" + "0501000000000000");

        Assert.Equal(RouterDiscoveryMessage.RouterAdvertisement, RouterDiscoveryMessage.Validate(frr));
    }

    [Theory]
    [InlineData("86", "shorter than any header")]
    [InlineData("860000004000001e00000000", "an advertisement shorter than 16 octets")]
    [InlineData("8601000040000000000000000000000000", "code 1 (RFC 4861 6.1.2: code must be 0)")]
    [InlineData("86000000400000000000000000000000" + "0100020000000a01", "an option of length 0")]
    [InlineData("86000000400000000000000000000000" + "0102020000000a01", "an option longer than the message")]
    [InlineData("870000000000000000000000000000000000000000000000", "a neighbor solicitation")]
    public void Malformed_or_other_messages_are_refused(string hex, string why) =>
        Assert.True(RouterDiscoveryMessage.Validate(Convert.FromHexString(hex)) is null, why);
}
