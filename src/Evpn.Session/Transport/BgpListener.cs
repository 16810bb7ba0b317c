using System.Net;
using System.Net.Sockets;
using Evpn.Wire.Model;

namespace Evpn.Session.Transport;

/// <summary>Accepts BGP connections on the configured address and port (179 by default) and hands
/// each accepted socket to a callback; matching it to a peer is the speaker's job, on its loop.</summary>
public sealed class BgpListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Action<Socket> _onAccepted;
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;

    public BgpListener(IPEndPoint endPoint, Action<Socket> onAccepted)
    {
        _socket = BgpSockets.Listen(endPoint);
        _onAccepted = onAccepted;
    }

    /// <summary>The bound address; with port 0 the kernel picked the port.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>TCP-MD5 for one configured peer: the kernel checks the SYN against it.</summary>
    public void SetPassword(PeerAddress peer, string? password) =>
        TcpMd5.SetKey(_socket, peer.ToSocketAddress(), password ?? "");

    /// <summary>TCP-MD5 for a dynamic-neighbor range.</summary>
    public void SetPassword(IpAddr prefix, int prefixLength, string password) =>
        TcpMd5.SetKeyForPrefix(_socket, prefix.ToIPAddress(), prefixLength, password);

    public void Start() => _acceptLoop = AcceptLoopAsync(_stop.Token);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                || (e is SocketException && cancellationToken.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException)
            {
                // A connection reset before accept completed (ECONNABORTED) concerns only that connection.
                continue;
            }
            accepted.NoDelay = true;
            _onAccepted(accepted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
