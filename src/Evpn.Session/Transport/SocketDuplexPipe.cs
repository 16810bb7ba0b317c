using System.IO.Pipelines;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;

namespace Evpn.Session.Transport;

/// <summary>The <see cref="IDuplexPipe"/> seam over a socket evpnd created and configured itself
/// (TCP-MD5, GTSM, source address): Pipelines.Sockets.Unofficial's <see cref="SocketConnection"/>, which
/// receives and sends on the socket with its own loops.</summary>
public sealed class SocketDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    // Each way holds up to 1 MiB: the receive loop reads ahead of decoding that far, then stops reading the socket
    // until the read loop has taken half of it, so TCP backpressure still reaches a peer that sends faster than the
    // speaker handles; the send side likewise bounds what a write loop queues ahead of the socket.
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024,
        minimumSegmentSize: 64 * 1024, useSynchronizationContext: false);

    private readonly SocketConnection _connection;

    public SocketDuplexPipe(Socket socket)
    {
        Socket = socket;
        _connection = SocketConnection.Create(socket, sendPipeOptions: Options, receivePipeOptions: Options);
    }

    public Socket Socket { get; }
    public PipeReader Input => _connection.Input;
    public PipeWriter Output => _connection.Output;

    /// <summary>Sends FIN after what was written: the connection's send loop drains the pipe, then shuts the
    /// socket's sending side; reading continues until the peer closes.</summary>
    public void ShutdownSend() => _connection.Output.Complete();

    public async ValueTask DisposeAsync()
    {
        // Closing the socket first ends a read or flush that is stuck on a peer that stopped reading.
        Socket.Close();
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        _connection.Dispose();
    }
}
