using System.Net;
using System.Net.Sockets;
using Evpn.Session.Transport;

namespace Evpn.Session.Tests.Transport;

/// <summary>The default listener is "::" in dual-stack mode, so an IPv4 peer's connection is accepted as
/// an IPv6 socket with a v4-mapped address: its TTL and GTSM settings must still apply.</summary>
public sealed class DualStackTtlTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public async Task Ttl_settings_apply_to_an_ipv4_peer_accepted_on_the_dual_stack_listener(int? ttlSecurityHops)
    {
        using var listener = BgpSockets.Listen(new IPEndPoint(IPAddress.IPv6Any, 0));
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TimeSpan.FromSeconds(10));
        using var accepted = await accepting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(((IPEndPoint)accepted.RemoteEndPoint!).Address.IsIPv4MappedToIPv6);

        var options = new ConnectionOptions(IPAddress.Loopback, port, null, null, ttlSecurityHops, null);
        BgpSockets.ApplyTtl(accepted, options, ebgp: true);

        var ttl = (int)accepted.GetSocketOption(SocketOptionLevel.IP, SocketOptionName.IpTimeToLive)!;
        Assert.Equal(ttlSecurityHops is null ? 1 : 255, ttl);
    }
}
