using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>A scripted BGP speaker for tests: a plain socket plus the codec, so a test can send exactly
/// the message (or the misbehaviour) it wants and see exactly what the engine answers.</summary>
public sealed class RawBgpPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _filled;

    private RawBgpPeer(Socket socket) => _socket = socket;

    public DecodeContext Context { get; set; } = DecodeContext.Default;

    /// <summary>This end of the connection: the speaker's remote end point for it.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static async Task<RawBgpPeer> ConnectAsync(IPAddress source, IPEndPoint target, int? receiveBuffer = null)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } size)
        {
            socket.ReceiveBufferSize = size;
        }
        socket.Bind(new IPEndPoint(source, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(target, timeout.Token);
        return new RawBgpPeer(socket);
    }

    public static async Task<RawBgpPeer> AcceptAsync(Socket listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return new RawBgpPeer(await listener.AcceptAsync(timeout.Token));
    }

    public static OpenMessage Open(uint asn, string routerId, ushort hold = 9, params AfiSafi[] families) =>
        OpenMessage.Create(asn, hold, BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(routerId).GetAddressBytes()),
            [.. (families.Length == 0 ? [AfiSafi.L2vpnEvpn] : families).Select(f => (Capability)new MultiprotocolCapability(f)),
             new RouteRefreshCapability(), new FourOctetAsCapability(asn)]);

    public Task SendAsync(BgpMessage message) => SendRawAsync(BgpEncoder.Encode(message, Context));

    public async Task SendRawAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(bytes, timeout.Token);
    }

    /// <summary>The next message (bounded wait), or null when the engine closed the connection.</summary>
    public async Task<BgpMessage?> ReceiveAsync(double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _filled);
            if (BgpFraming.TryReadMessage(ref sequence, Context, out var frame))
            {
                Assert.Null(frame.Error);
                var result = BgpDecoder.Decode(frame.Message, Context);
                var length = (int)frame.Message.Length;
                Buffer.BlockCopy(_buffer, length, _buffer, 0, _filled - length);
                _filled -= length;
                return result.Message;
            }
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_filled), timeout.Token);
            if (read == 0)
            {
                return null;
            }
            _filled += read;
        }
    }

    /// <summary>Receives until a message of type <typeparamref name="T"/> arrives (KEEPALIVEs in between are skipped).</summary>
    public async Task<T> ExpectAsync<T>(double seconds = 10) where T : BgpMessage
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var left = (deadline - DateTime.UtcNow).TotalSeconds;
            Assert.True(left > 0, $"no {typeof(T).Name} within {seconds} s");
            var message = await ReceiveAsync(left);
            Assert.NotNull(message);
            if (message is T wanted)
            {
                return wanted;
            }
        }
    }

    /// <summary>OPEN exchange up to Established from the engine's point of view.</summary>
    public async Task<OpenMessage> HandshakeAsync(OpenMessage ours)
    {
        await SendAsync(ours);
        var theirs = await ExpectAsync<OpenMessage>();
        Context = DecodeContext.Negotiate(ours, theirs);
        await SendAsync(KeepaliveMessage.Instance);
        await ExpectAsync<KeepaliveMessage>();
        return theirs;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
