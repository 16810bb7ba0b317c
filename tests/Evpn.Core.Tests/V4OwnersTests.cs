using Evpn.Wire.Model;

namespace Evpn.Core.Tests;

/// <summary>The open-addressing IPv4 neighbor table against a dictionary doing the same operations.</summary>
public class V4OwnersTests
{
    [Theory]
    [InlineData(1, 64)]
    [InlineData(2, 1000)]
    [InlineData(3, 20000)]
    public void Random_sets_and_removes_agree_with_a_dictionary(int seed, int keys)
    {
        var random = new Random(seed);
        var table = new V4Owners();
        var model = new Dictionary<uint, MacAddress>();
        // Few distinct keys, many operations: collisions, long runs and removals inside runs.
        var ips = Enumerable.Range(0, keys).Select(i => i % 3 == 0 ? (uint)random.Next() : 0x6400_0000u + (uint)i).ToArray();
        for (var op = 0; op < keys * 20; op++)
        {
            var ip = ips[random.Next(ips.Length)];
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(ip), table.Remove(ip));
            }
            else
            {
                var mac = new MacAddress((ulong)random.NextInt64(0, 1L << 48));
                model[ip] = mac;
                table.Set(ip, mac);
            }
            if (op % 97 == 0)
            {
                Assert.Equal(model.Count, table.Count);
            }
        }
        Assert.Equal(model.Count, table.Count);
        foreach (var ip in ips)
        {
            Assert.Equal(model.TryGetValue(ip, out var expected), table.TryGet(ip, out var actual));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_mac_keeps_all_48_bits()
    {
        var table = new V4Owners();
        var mac = MacAddress.Parse("fe:dc:ba:98:76:54");
        table.Set(0x0A00_0001, mac);
        Assert.True(table.TryGet(0x0A00_0001, out var back));
        Assert.Equal(mac, back);
        Assert.False(table.TryGet(0x0A00_0002, out _));
    }
}
