using System.IO.Pipelines;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;

namespace Evpn.Session.Transport;

/// <summary>The <see cref="IDuplexPipe"/> seam over a socket evpnd created and configured itself
/// (TCP-MD5, GTSM, source address): Pipelines.Sockets.Unofficial's <see cref="SocketConnection"/>, which
/// receives on the socket with its own loop. Messages go out through <see cref="SendAsync"/>, straight from the
/// caller's arrays; the send pipe only carries the FIN (<see cref="ShutdownSend"/>).</summary>
public sealed class SocketDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    // Each way holds up to 1 MiB: the receive loop reads ahead of decoding that far, then stops reading the socket
    // until the read loop has taken half of it, so TCP backpressure still reaches a peer that sends faster than the
    // speaker handles. The send pipe carries no data (SendAsync writes to the socket), so its options cost nothing.
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024,
        minimumSegmentSize: 64 * 1024, useSynchronizationContext: false);

    private readonly SocketConnection _connection;

    public SocketDuplexPipe(Socket socket)
    {
        Socket = socket;
        // Zero-length reads: an idle connection waits for data without holding a receive segment, which would
        // otherwise be 64 KiB per session (64 MiB for a reflector's thousand clients).
        _connection = SocketConnection.Create(socket, sendPipeOptions: Options, receivePipeOptions: Options,
            SocketConnectionOptions.ZeroLengthReads);
    }

    public Socket Socket { get; }
    public PipeReader Input => _connection.Input;
    public PipeWriter Output => _connection.Output;

    /// <summary>Writes <paramref name="buffers"/> to the socket (one gathered send) and completes when the kernel took
    /// all of them. Nothing is copied: an update group's encoded UPDATEs are shared by all of its sessions, and
    /// copying them into every session's send pipe made each session hold its own copy of the table while the
    /// client read it.</summary>
    public async ValueTask SendAsync(IList<ArraySegment<byte>> buffers) =>
        await Socket.SendAsync(buffers, SocketFlags.None).ConfigureAwait(false);

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
