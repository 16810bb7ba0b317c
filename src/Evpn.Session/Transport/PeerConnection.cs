using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Evpn.Session.Negotiation;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Transport;

/// <summary>One TCP connection of a peer, with its two tasks. The read loop frames and decodes and posts
/// each message to the speaker loop (waiting when that channel is full, which stops reading from the
/// socket: TCP backpressure). The write loop dequeues a batch, encodes what is not encoded yet and sends
/// it at once. Neither touches session state; the speaker loop owns that.</summary>
internal sealed class PeerConnection
{
    private static long _nextId;

    private readonly IDuplexPipe _pipe;
    private readonly SocketDuplexPipe? _socketPipe;
    private readonly ChannelWriter<SpeakerInput> _control;
    private readonly ChannelWriter<SpeakerInput> _messages;
    private readonly TimeProvider _time;
    private readonly Channel<Outgoing> _outbound = Channel.CreateUnbounded<Outgoing>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly int _routeCapacity;
    private readonly ReceivePolicy _receivePolicy;
    private int _queuedRoutes;
    private int _wantDrained;
    private long _flushStarted;
    private volatile DecodeContext _sendContext = DecodeContext.Default;
    private Task _writeLoop = Task.CompletedTask;
    private Task _readLoop = Task.CompletedTask;
    private int _closing;

    public PeerConnection(IDuplexPipe pipe, SocketDuplexPipe? socketPipe, IPEndPoint remote, IPEndPoint local, bool inbound,
        OpenMessage localOpen, ChannelWriter<SpeakerInput> control, ChannelWriter<SpeakerInput> messages, TimeProvider time,
        int routeCapacity, ReceivePolicy? receivePolicy = null)
    {
        Id = Interlocked.Increment(ref _nextId);
        _pipe = pipe;
        _socketPipe = socketPipe;
        Remote = remote;
        Peer = PeerAddress.FromSocket(remote.Address);
        Local = local;
        Inbound = inbound;
        LocalOpen = localOpen;
        _control = control;
        _messages = messages;
        _time = time;
        _routeCapacity = routeCapacity;
        _receivePolicy = receivePolicy ?? ReceivePolicy.Default;
    }

    public long Id { get; }
    public IPEndPoint Remote { get; }
    public IPEndPoint Local { get; }

    /// <summary>The peer at the other end, as the speaker knows peers (<see cref="Remote"/>'s address).</summary>
    public PeerAddress Peer { get; }

    /// <summary>The peer connected to us (RFC 4271 6.8 keeps the connection the higher identifier initiated).</summary>
    public bool Inbound { get; }

    /// <summary>The OPEN we send on this connection; the read loop negotiates its decode context from it.</summary>
    public OpenMessage LocalOpen { get; }

    /// <summary>Set by the speaker loop when the peer's OPEN was accepted on this connection.</summary>
    public NegotiatedSession? Session { get; set; }

    public bool OpenSent { get; set; }

    public override string ToString() => $"#{Id} {(Inbound ? "from" : "to")} {Remote}";

    public void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Messages after the OPEN exchange are encoded with what was negotiated.</summary>
    public void SetSendContext(DecodeContext context) => _sendContext = context;

    /// <summary>OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH and markers: always queued (they are few).</summary>
    public void Send(BgpMessage message) => _outbound.Writer.TryWrite(new Outgoing(message, null));

    /// <summary>Queues an UPDATE unless UPDATEs of <see cref="SpeakerOptions.WriteQueueCapacity"/> routes are
    /// already waiting; then false, and a <see cref="WriterDrained"/> input follows once half of them are written.
    /// Bytes encoded for an update group are written as they are, shared with the group's other sessions.</summary>
    public bool TrySendUpdate(EncodedUpdate update)
    {
        if (Volatile.Read(ref _queuedRoutes) >= _routeCapacity)
        {
            Volatile.Write(ref _wantDrained, 1);
            return false;
        }
        Interlocked.Add(ref _queuedRoutes, update.Routes);
        return _outbound.Writer.TryWrite(new Outgoing(update.Message, update.Bytes));
    }

    /// <summary>End-of-RIB and other UPDATEs that must go regardless of the queue's capacity.</summary>
    public void ForceSendUpdate(UpdateMessage update)
    {
        Interlocked.Add(ref _queuedRoutes, EncodedUpdate.Weight(update));
        _outbound.Writer.TryWrite(new Outgoing(update, null));
    }

    /// <summary>RFC 9687: how long the current flush has been waiting for the peer to read.</summary>
    public TimeSpan BlockedFor()
    {
        var started = Volatile.Read(ref _flushStarted);
        return started == 0 ? TimeSpan.Zero : _time.GetElapsedTime(started);
    }

    private async Task ReadLoopAsync()
    {
        var input = _pipe.Input;
        var context = DecodeContext.Default;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var stop = false;
                while (!stop && BgpFraming.TryReadMessage(ref buffer, context, out var frame))
                {
                    if (frame.Error is { } headerError)
                    {
                        await PostAsync(new MessageReceived(this, frame.Type, null, headerError, 0)).ConfigureAwait(false);
                        stop = true;
                        break;
                    }
                    var decoded = BgpDecoder.Decode(frame.Message, context);
                    if (decoded.Message is OpenMessage open)
                    {
                        // Later messages decode with what both OPENs announced (4-octet AS, add-path, sizes).
                        context = DecodeContext.Negotiate(LocalOpen, open, _receivePolicy);
                    }
                    await PostAsync(new MessageReceived(this, frame.Type, decoded.Message, decoded.Strongest, decoded.SkippedRoutes))
                        .ConfigureAwait(false);
                    stop = decoded.IsSessionFatal;
                }
                if (stop)
                {
                    // Nothing more is decoded, but reading goes on (discarding) until the peer closes: closing
                    // a socket with unread data sends a RST, which can destroy our NOTIFICATION in flight.
                    input.AdvanceTo(buffer.End);
                    await DrainAsync(input).ConfigureAwait(false);
                    return;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            failure = e;
        }
        try
        {
            await PostAsync(new ConnectionClosed(this, failure)).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The speaker is gone (disposed); nobody needs to hear about this connection.
        }
    }

    private static async Task DrainAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outbound.Reader;
        var batch = new List<ArraySegment<byte>>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var written = 0;
                var routes = 0;
                // One send per batch: everything queued now, up to about 256 KiB in at most 256 buffers (a gathered
                // send takes at most IOV_MAX, 1024, of them).
                while (written < 256 * 1024 && batch.Count < 256 && reader.TryRead(out var outgoing))
                {
                    var (message, bytes) = outgoing;
                    // Bytes an update group encoded are sent as they are, shared with the group's other sessions.
                    bytes ??= BgpEncoder.Encode(message, _sendContext);
                    written += bytes.Length;
                    batch.Add(bytes);
                    if (message is UpdateMessage update)
                    {
                        routes += EncodedUpdate.Weight(update);
                    }
                }
                Volatile.Write(ref _flushStarted, _time.GetTimestamp());
                var open = await SendAsync(batch).ConfigureAwait(false);
                Volatile.Write(ref _flushStarted, 0);
                batch.Clear();
                if (routes > 0)
                {
                    var left = Interlocked.Add(ref _queuedRoutes, -routes);
                    if (left <= _routeCapacity / 2 && Interlocked.Exchange(ref _wantDrained, 0) == 1)
                    {
                        _control.TryWrite(new WriterDrained(this));
                    }
                }
                if (!open)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The read loop reports the loss of the connection; a failed write ends it the same way.
            Volatile.Write(ref _flushStarted, 0);
        }
    }

    /// <summary>Writes a batch and waits until it is taken: by the socket (without copying), or by the pipe of a
    /// connection that has no socket. False when the pipe's reader is gone.</summary>
    private async ValueTask<bool> SendAsync(List<ArraySegment<byte>> batch)
    {
        if (_socketPipe is not null)
        {
            await _socketPipe.SendAsync(batch).ConfigureAwait(false);
            return true;
        }
        var output = _pipe.Output;
        foreach (var buffer in batch)
        {
            output.Write(buffer);
        }
        var flush = await output.FlushAsync().ConfigureAwait(false);
        return !(flush.IsCompleted || flush.IsCanceled);
    }

    /// <summary>Stops accepting messages, lets the write loop send what is queued (a final NOTIFICATION)
    /// for at most <paramref name="grace"/>, then closes the socket. Runs on its own; the caller forgets
    /// the connection at once.</summary>
    public void Close(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }
        _outbound.Writer.TryComplete();
        _ = CloseAsync(grace);
    }

    /// <summary>Graceful close: what is queued is written, then FIN (shutdown of our sending side) so the
    /// peer reads the NOTIFICATION before the connection ends, then the socket closes once the peer closed
    /// its side or the grace time is over.</summary>
    private async Task CloseAsync(TimeSpan grace)
    {
        if (!await CompletesWithin(_writeLoop, grace).ConfigureAwait(false))
        {
            // The peer is not reading (the RFC 9687 case): close without waiting further.
            grace = TimeSpan.Zero;
        }
        if (_socketPipe is null)
        {
            await _pipe.Input.CompleteAsync().ConfigureAwait(false);
            await _pipe.Output.CompleteAsync().ConfigureAwait(false);
            return;
        }
        if (grace > TimeSpan.Zero)
        {
            _socketPipe.ShutdownSend();
            await CompletesWithin(_readLoop, grace).ConfigureAwait(false);
        }
        await _socketPipe.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<bool> CompletesWithin(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Waits while the speaker's message channel is full: the socket is not read meanwhile, so a
    /// peer sending faster than the speaker loop handles is slowed down by TCP.</summary>
    private ValueTask PostAsync(SpeakerInput input) => _messages.WriteAsync(input);

    /// <summary>A queued message, with its bytes when they were encoded before (shared by an update group).</summary>
    private readonly record struct Outgoing(BgpMessage Message, byte[]? Bytes);
}
