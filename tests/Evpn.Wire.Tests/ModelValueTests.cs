using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>The model types that store their fields compactly (flattened, unwrapped) still behave as
/// plain values: what goes in comes out, equality and hashing follow the values, and `with` works.</summary>
public class ModelValueTests
{
    private static readonly RouteDistinguisher Rd = RouteDistinguisher.FromAs2(65001, 100);
    private static readonly EthernetSegmentId Esi = EthernetSegmentId.Read(Bytes.Hex("01aabbccddeeff001122"));
    private static readonly MacAddress Mac = MacAddress.Parse("52:54:00:00:00:01");

    [Theory]
    [InlineData("192.0.2.7")]
    [InlineData("2001:db8::7")]
    [InlineData("::ffff:192.0.2.7")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Type2_route_gives_back_what_it_was_made_of(string ip)
    {
        var address = IpAddr.Parse(ip);
        var route = new MacIpAdvertisementRoute(Rd, Esi, 7, Mac, address, 100, 5000);
        Assert.Equal(Esi, route.Esi);
        Assert.Equal(address, route.Ip);
        Assert.Equal(address.IsV6, route.Ip!.Value.IsV6);
        Assert.Equal(5000u, route.Label2);
        Assert.Equal(new MacIpAdvertisementRoute(Rd, Esi, 7, Mac, IpAddr.Parse(ip), 100, 5000), route);
        Assert.Equal(new MacIpAdvertisementRoute(Rd, Esi, 7, Mac, IpAddr.Parse(ip), 100, 5000).GetHashCode(), route.GetHashCode());
    }

    [Fact]
    public void Type2_route_tells_absent_from_zero()
    {
        var macOnly = new MacIpAdvertisementRoute(Rd, EthernetSegmentId.Zero, 0, Mac, null, 100);
        var zeroIp = macOnly with { Ip = IpAddr.FromV4(0) };
        var zeroLabel2 = macOnly with { Label2 = 0 };
        Assert.Null(macOnly.Ip);
        Assert.Null(macOnly.Label2);
        Assert.Equal(IpAddr.FromV4(0), zeroIp.Ip);
        Assert.Equal(0u, zeroLabel2.Label2);
        Assert.NotEqual(macOnly, zeroIp);
        Assert.NotEqual(macOnly, zeroLabel2);
        Assert.Equal(macOnly, zeroIp with { Ip = null });
        Assert.Equal(macOnly, zeroLabel2 with { Label2 = null });
    }

    [Fact]
    public void With_changes_only_what_it_names()
    {
        var route = new MacIpAdvertisementRoute(Rd, Esi, 7, Mac, IpAddr.Parse("2001:db8::7"), 100, 5000);
        var v4 = route with { Ip = IpAddr.Parse("192.0.2.7") };
        Assert.False(v4.Ip!.Value.IsV6);
        Assert.Equal(5000u, v4.Label2);
        Assert.Equal(Esi, v4.Esi);
        var noLabel2 = route with { Label2 = null };
        Assert.Equal(route.Ip, noLabel2.Ip);
        var otherEsi = route with { Esi = EthernetSegmentId.Zero };
        Assert.Equal(EthernetSegmentId.Zero, otherEsi.Esi);
        Assert.Equal(route.Ip, otherEsi.Ip);
    }

    [Fact]
    public void Ip_address_orders_and_compares_by_family_then_value()
    {
        var a = IpAddr.Parse("10.0.0.1");
        var b = IpAddr.Parse("10.0.0.2");
        var c = IpAddr.Parse("::1");
        var d = IpAddr.Parse("2001:db8::1");
        Assert.True(a.CompareTo(b) < 0);
        Assert.True(b.CompareTo(c) < 0);
        Assert.True(c.CompareTo(d) < 0);
        Assert.NotEqual(IpAddr.Parse("::ffff:10.0.0.1"), a);
        Assert.Equal(UInt128.Parse("42540766411282592856903984951653826561"), d.V6Bits);
        Assert.Equal("2001:db8::1", d.ToString());
        Span<byte> bytes = stackalloc byte[16];
        d.Write(bytes);
        Assert.Equal(d, IpAddr.Read(bytes));
    }
}
