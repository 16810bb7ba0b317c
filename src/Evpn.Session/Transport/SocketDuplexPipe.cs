using System.IO.Pipelines;
using System.Net.Sockets;

namespace Evpn.Session.Transport;

/// <summary>The <see cref="IDuplexPipe"/> seam over a socket evpnd created and configured itself
/// (TCP-MD5, GTSM, source address): System.IO.Pipelines over the socket's <see cref="NetworkStream"/>.
/// Pipelines.Sockets.Unofficial would do this without the stream.</summary>
public sealed class SocketDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    private readonly NetworkStream _stream;

    public SocketDuplexPipe(Socket socket)
    {
        Socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
    }

    public Socket Socket { get; }
    public PipeReader Input { get; }
    public PipeWriter Output { get; }

    /// <summary>Sends FIN after what was written; reading continues until the peer closes.</summary>
    public void ShutdownSend()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to finish.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the socket first ends a read or flush that is stuck on a peer that stopped reading.
        Socket.Close();
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
