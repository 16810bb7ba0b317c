using Evpn.Wire.Model;
using static Evpn.Wire.Tests.Bytes;

namespace Evpn.Wire.Tests;

/// <summary>The next-hop and tunnel-identifier forms peers send with EVPN routes (RFC 4760 section 3, RFC 2545
/// section 3, RFC 6514 section 5, RFC 4291 section 2.5.5.2): each decodes to the VTEP it names.</summary>
public class EvpnNextHopFormTests
{
    private static readonly byte[] Type2Route = Route(2, Type2());

    private static UpdateMessage Decode(string nextHopField)
    {
        var reach = Attribute(0x90, 14, Concat(Hex("0019 46"), Hex(nextHopField), Hex("00"), Type2Route));
        var result = BgpDecoder.Decode(Update(Concat(EvpnAttributes, reach)), DecodeContext.FourOctetAs);
        Assert.Empty(result.Errors);
        return Assert.IsType<UpdateMessage>(result.Message);
    }

    [Theory]
    [InlineData("04 0a000002", "10.0.0.2", null)]
    [InlineData("10 20010db8000000000000000000000002", "2001:db8::2", null)]
    [InlineData("10 00000000000000000000ffff0a000002", "10.0.0.2", null)]
    [InlineData("20 20010db8000000000000000000000002 fe800000000000000000000000000002", "2001:db8::2", "fe80::2")]
    [InlineData("20 00000000000000000000ffff0a000002 fe800000000000000000000000000002", "10.0.0.2", "fe80::2")]
    public void Evpn_next_hop_of_each_length_is_the_vtep(string nextHopField, string vtep, string? linkLocal)
    {
        var reach = Decode(nextHopField).MpReach!;

        Assert.Equal(IpAddr.Parse(vtep), reach.NextHop);
        Assert.Equal(linkLocal is null ? null : IpAddr.Parse(linkLocal), reach.LinkLocalNextHop);
    }

    [Theory]
    [InlineData("05 0a00000200")]
    [InlineData("08 0a0000020a000003")]
    [InlineData("21 20010db8000000000000000000000002 fe800000000000000000000000000002 00")]
    public void Evpn_next_hop_of_another_length_disables_the_family(string nextHopField)
    {
        var reach = Attribute(0x90, 14, Concat(Hex("0019 46"), Hex(nextHopField), Hex("00"), Type2Route));
        var result = BgpDecoder.Decode(Update(Concat(EvpnAttributes, reach)), DecodeContext.FourOctetAs);

        Assert.Equal(ErrorAction.AfiSafiDisable, result.Action);
    }

    [Theory]
    [InlineData("0a000002", "10.0.0.2")]
    [InlineData("20010db8000000000000000000000002", "2001:db8::2")]
    [InlineData("00000000000000000000ffff0a000002", "10.0.0.2")]
    [InlineData("0a0000020a000003", null)]
    [InlineData("", null)]
    public void Pmsi_tunnel_identifier_of_4_or_16_octets_is_the_endpoint(string identifier, string? endpoint)
    {
        var pmsi = new PmsiTunnel(0, PmsiTunnel.IngressReplication, EvpnLabel.FromVni(100), Hex(identifier));

        Assert.Equal(endpoint is null ? null : IpAddr.Parse(endpoint), pmsi.Endpoint);
    }

    [Theory]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("::192.0.2.1", "::192.0.2.1")]
    [InlineData("::fffe:c000:201", "::fffe:c000:201")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void Only_an_ipv4_mapped_address_unmaps(string address, string unmapped) =>
        Assert.Equal(IpAddr.Parse(unmapped), IpAddr.Parse(address).Unmapped);
}
