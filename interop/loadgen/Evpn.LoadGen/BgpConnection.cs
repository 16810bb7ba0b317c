using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>How one batch of UPDATEs went out: wall-clock times (Unix nanoseconds) of the first and last
/// write, and the volume. A send time close to the receiver's convergence time means the run measured the
/// generator (or the socket), not the receiver.</summary>
public sealed record SendReport(long FirstUpdateUnixNs, long LastWriteUnixNs, double EncodeMs, int Updates, int Nlri, long Octets)
{
    public double SendMs => (LastWriteUnixNs - FirstUpdateUnixNs) / 1e6;
}

/// <summary>A minimal active BGP speaker for load generation (RFC 4271): connects, exchanges OPEN and
/// KEEPALIVE, then writes pre-encoded UPDATEs as fast as TCP takes them. A reader task drains everything the
/// receiver sends (so its own advertisements never block it) and records a NOTIFICATION; a timer sends
/// KEEPALIVEs at a third of the negotiated hold time. Writes are serialised by one lock.</summary>
public sealed class BgpConnection : IAsyncDisposable
{
    private const int WriteChunk = 256 * 1024;

    /// <summary>Restart Time offered with graceful restart: how long the reflector keeps a client's routes when
    /// the client goes away (RFC 4724 section 3); the helper side of a reflector restart does not depend on it.</summary>
    private const ushort GracefulRestartTime = 120;

    private readonly Socket _socket;
    private NetworkStream? _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private Task? _keepalive;
    private long _receivedUpdates;
    private bool _reading = true;
    private Action<UpdateMessage>? _onUpdate;

    private BgpConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>What the two OPENs negotiated (4-octet AS, extended message).</summary>
    public DecodeContext Context { get; private set; } = DecodeContext.Default;

    public OpenMessage? RemoteOpen { get; private set; }

    /// <summary>The NOTIFICATION the receiver sent, or the reason the connection ended; null while it is up.</summary>
    public string? ClosedReason { get; private set; }

    private NetworkStream Stream => _stream ?? throw new InvalidOperationException("not connected");

    public long ReceivedUpdates => Interlocked.Read(ref _receivedUpdates);

    /// <summary>Completes when the reader saw the connection end (<see cref="ClosedReason"/> says how); at once for a
    /// connection that does not read.</summary>
    public Task Closed => _reader ?? Task.CompletedTask;

    /// <summary>Connects and completes the OPEN/KEEPALIVE exchange within <paramref name="timeout"/>.
    /// <paramref name="localAddress"/> binds the connection's source (a dynamic neighbor per loopback address).
    /// With <paramref name="stopReading"/> nothing is read after the handshake and the receive buffer is small:
    /// a peer that stops reading (the receiver's send hold timer case), which still sends KEEPALIVEs.
    /// <paramref name="onUpdate"/> gets every UPDATE received, decoded, on the reader task.</summary>
    public static async Task<BgpConnection> EstablishAsync(LoadOptions options, TimeSpan timeout, CancellationToken ct,
        IPAddress? localAddress = null, bool stopReading = false, Action<UpdateMessage>? onUpdate = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var socket = new Socket(options.Peer.Family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.SendBufferSize = 4 * 1024 * 1024;
        if (stopReading)
        {
            socket.ReceiveBufferSize = 4096;
        }
        if (localAddress is not null)
        {
            socket.Bind(new IPEndPoint(localAddress, 0));
        }
        var connection = new BgpConnection(socket) { _reading = !stopReading, _onUpdate = onUpdate };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(options.Peer.ToIPAddress(), options.Port), deadline.Token);
            connection._stream = new NetworkStream(socket, ownsSocket: true);
            await connection.HandshakeAsync(options, deadline.Token);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(LoadOptions options, CancellationToken ct)
    {
        List<Capability> capabilities =
        [
            new MultiprotocolCapability(AfiSafi.L2vpnEvpn),
            new FourOctetAsCapability(options.LocalAsn),
            new RouteRefreshCapability(),
        ];
        if (options.ExtendedMessage)
        {
            capabilities.Add(new ExtendedMessageCapability());
        }
        if (options.GracefulRestart)
        {
            capabilities.Add(GracefulRestartCapability.Create(GracefulRestartTime, restartState: false, notification: false,
                GracefulRestartFamily.Create(AfiSafi.L2vpnEvpn, forwardingPreserved: false)));
        }
        var local = OpenMessage.Create(options.LocalAsn, options.HoldTime, options.RouterId.V4Bits, capabilities);
        await WriteAsync(BgpEncoder.Encode(local, DecodeContext.Default), ct);
        var buffer = new MessageBuffer { DecodeUpdates = _onUpdate is not null };
        var remote = await ReadUntilAsync<OpenMessage>(buffer, ct);
        RemoteOpen = remote;
        Context = DecodeContext.Negotiate(local, remote);
        await WriteAsync(BgpEncoder.Encode(KeepaliveMessage.Instance, Context), ct);
        await ReadUntilAsync<KeepaliveMessage>(buffer, ct);
        if (_reading)
        {
            _reader = Task.Run(() => DrainAsync(buffer, _stop.Token));
        }
        var hold = Math.Min(options.HoldTime, remote.HoldTime);
        if (hold > 0)
        {
            _keepalive = Task.Run(() => KeepaliveAsync(TimeSpan.FromSeconds(hold / 3.0), _stop.Token));
        }
    }

    private async Task<T> ReadUntilAsync<T>(MessageBuffer buffer, CancellationToken ct) where T : BgpMessage
    {
        while (true)
        {
            while (buffer.TryTake(Context, out var message))
            {
                switch (message)
                {
                    case T wanted:
                        return wanted;
                    case NotificationMessage n:
                        throw new IOException($"receiver sent NOTIFICATION {n.Code}/{n.Subcode} during the handshake");
                }
            }
            if (!await buffer.FillAsync(Stream, ct))
            {
                throw new IOException("receiver closed the connection during the handshake");
            }
        }
    }

    private async Task DrainAsync(MessageBuffer buffer, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                while (buffer.TryTake(Context, out var message))
                {
                    if (message is NotificationMessage n)
                    {
                        ClosedReason = $"NOTIFICATION {n.Code}/{n.Subcode}";
                        return;
                    }
                    if (message is UpdateMessage update)
                    {
                        Interlocked.Increment(ref _receivedUpdates);
                        _onUpdate?.Invoke(update);
                    }
                }
                if (!await buffer.FillAsync(Stream, ct))
                {
                    ClosedReason = "receiver closed the connection";
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            ClosedReason = e.Message;
        }
    }

    private async Task KeepaliveAsync(TimeSpan interval, CancellationToken ct)
    {
        var keepalive = BgpEncoder.Encode(KeepaliveMessage.Instance, Context);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await WriteAsync(keepalive, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            ClosedReason ??= e.Message;
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await Stream.WriteAsync(bytes, ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Encodes <paramref name="updates"/> (timed separately), then writes them in large chunks; the
    /// first-UPDATE time is taken just before the first write.</summary>
    public async Task<SendReport> SendAsync(IReadOnlyList<UpdateMessage> updates, CancellationToken ct)
    {
        var encodeStart = System.Diagnostics.Stopwatch.GetTimestamp();
        var encoded = new ArrayBufferWriter<byte>(Math.Max(updates.Count, 1) * 2048);
        var nlri = 0;
        foreach (var u in updates)
        {
            BgpEncoder.Encode(u, encoded, Context);
            nlri += (u.MpReach?.Nlri.Count ?? 0) + (u.MpUnreach?.Nlri.Count ?? 0);
        }
        var encodeMs = System.Diagnostics.Stopwatch.GetElapsedTime(encodeStart).TotalMilliseconds;
        var bytes = encoded.WrittenMemory;
        var first = UnixClock.NowNs();
        for (var offset = 0; offset < bytes.Length; offset += WriteChunk)
        {
            if (ClosedReason is { } reason)
            {
                throw new IOException($"session closed while sending: {reason}");
            }
            await WriteAsync(bytes.Slice(offset, Math.Min(WriteChunk, bytes.Length - offset)), ct);
        }
        return new SendReport(first, UnixClock.NowNs(), encodeMs, updates.Count, nlri, bytes.Length);
    }

    /// <summary>Writes messages other than UPDATEs (ROUTE-REFRESH, KEEPALIVE), encoded with what was negotiated.</summary>
    public Task SendMessagesAsync(IEnumerable<BgpMessage> messages, CancellationToken ct)
    {
        var encoded = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            BgpEncoder.Encode(message, encoded, Context);
        }
        return WriteAsync(encoded.WrittenMemory, ct);
    }

    /// <summary>Writes bytes as they are: hand-built messages the encoder would not produce (malformed UPDATEs).</summary>
    public Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct) => WriteAsync(bytes, ct);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
        else
        {
            _socket.Dispose();
        }
        foreach (var task in new[] { _reader, _keepalive })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
