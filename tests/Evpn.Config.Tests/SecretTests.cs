using System.Reflection;
using Evpn.Config.Loading;
using Evpn.Config.Options;

namespace Evpn.Config.Tests;

/// <summary>A TCP-MD5 key is never repeated: not in a configuration error, not in the text of the options that carry it.</summary>
public class SecretTests
{
    private const string Key = "s3cret-Key-0f-evpnd";

    private const string Router = "router:\n  asn: 65001\n  local-vtep: 10.0.0.1\n";

    [Fact]
    public void A_key_that_does_not_fit_is_reported_by_its_length_not_its_text()
    {
        var key = Key + new string('x', 80);

        var error = Assert.Single(EvpnConfigLoader.Parse(Router + $"neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    password: \"{key}\"\n", "evpnd.yaml").Errors);

        Assert.Equal($"evpnd.yaml:7:5: neighbors[0].password: expected a TCP-MD5 key of 1..80 bytes, found a value of {key.Length} bytes (not shown)", error.ToString());
        Assert.DoesNotContain(Key, error.ToString());
        Assert.DoesNotContain(Key, error.Found);
    }

    [Fact]
    public void Neighbor_options_print_every_member_but_the_key()
    {
        var result = EvpnConfigLoader.Parse(Router + $"neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    password: {Key}\n    description: spine-1\n", "evpnd.yaml");
        Assert.True(result.IsValid, result.ToString());
        var neighbor = Assert.Single(result.Config.Neighbors);

        var text = neighbor.ToString();

        Assert.DoesNotContain(Key, text);
        Assert.Contains("Password = (set, not shown)", text);
        Assert.Contains("Description = spine-1", text);
        Assert.All(typeof(NeighborOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance), p => Assert.Contains($"{p.Name} = ", text));
    }

    [Fact]
    public void The_socket_group_is_read()
    {
        var result = EvpnConfigLoader.Parse(Router + "management:\n  socket: /run/evpnd/evpnd.sock\n  socket-group: evpn-ops\n", "evpnd.yaml");

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(new ManagementOptions("/run/evpnd/evpnd.sock", "evpn-ops"), result.Config.Management);
        Assert.Null(EvpnConfigLoader.Parse(Router, "evpnd.yaml").Config!.Management.SocketGroup);
    }
}
