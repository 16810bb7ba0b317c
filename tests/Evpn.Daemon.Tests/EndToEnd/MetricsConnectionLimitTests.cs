using System.Net;
using System.Net.Sockets;
using System.Text;
using Evpn.Daemon.Metrics;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>The metrics port holds at most <see cref="MetricsConnectionLimit.Default"/> connections: one more is
/// closed unanswered, and once a held one closes a new one is served again.</summary>
[Collection(EvpndCollection.Name)]
public sealed class MetricsConnectionLimitTests
{
    private static readonly byte[] Healthz = Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: evpnd\r\n\r\n");

    [RequiresFact(Requirement.Root)]
    public async Task Connections_beyond_the_limit_are_closed_and_one_is_served_again_when_a_held_one_closes()
    {
        await using var pair = await DaemonPair.StartAsync();
        var endpoint = new IPEndPoint(IPAddress.Parse(pair.A.Address), pair.A.MetricsPort);
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < MetricsConnectionLimit.Default; i++)
            {
                var socket = await ConnectAsync(endpoint);
                held.Add(socket);
                // Answered, so evpnd has accepted it and holds it open (HTTP/1.1 keep-alive).
                Assert.StartsWith("HTTP/1.1 200", await AskAsync(socket));
            }

            Assert.Equal(string.Empty, await AskOnNewConnectionAsync(endpoint));

            held[0].Dispose();
            held.RemoveAt(0);
            await Eventually.UntilAsync(
                async () => (await AskOnNewConnectionAsync(endpoint)).StartsWith("HTTP/1.1 200", StringComparison.Ordinal),
                "a new metrics connection to be served once a held one closed", pair.Describe);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    /// <summary>The response head to GET /healthz on a new connection, or "" when evpnd closed it. On loopback evpnd's
    /// reset can arrive before the client has seen its own connect complete, and then the connect itself reports it.</summary>
    private static async Task<string> AskOnNewConnectionAsync(IPEndPoint endpoint)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return string.Empty;
        }
        using (socket)
        {
            return await AskAsync(socket);
        }
    }

    /// <summary>The response head to GET /healthz, or "" when evpnd closed the connection instead.</summary>
    private static async Task<string> AskAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.SendAsync(Healthz, SocketFlags.None, deadline.Token);
            var buffer = new byte[4096];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (SocketException)
        {
            return string.Empty;
        }
    }
}
