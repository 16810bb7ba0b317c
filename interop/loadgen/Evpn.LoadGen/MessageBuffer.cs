using System.Buffers;
using Evpn.Wire;

namespace Evpn.LoadGen;

/// <summary>Bytes read from the receiver, cut into whole messages with <see cref="BgpFraming"/>. UPDATEs are
/// framed but not decoded unless asked (<see cref="DecodeUpdates"/>): the single-session generator only counts them.</summary>
internal sealed class MessageBuffer
{
    private byte[] _data = new byte[128 * 1024];
    private int _start;
    private int _end;

    /// <summary>Decode UPDATEs too (a reflector client checks what it received).</summary>
    public bool DecodeUpdates { get; init; }

    public async Task<bool> FillAsync(Stream stream, CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_data, _start, _data, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _data.Length)
        {
            Array.Resize(ref _data, _data.Length * 2);
        }
        var read = await stream.ReadAsync(_data.AsMemory(_end), ct);
        _end += read;
        return read > 0;
    }

    /// <summary>The next whole message: OPEN, KEEPALIVE and NOTIFICATION decoded, an UPDATE as an empty
    /// placeholder unless <see cref="DecodeUpdates"/>. Throws <see cref="InvalidDataException"/> for a broken header.</summary>
    public bool TryTake(DecodeContext context, out BgpMessage message)
    {
        message = KeepaliveMessage.Instance;
        var sequence = new ReadOnlySequence<byte>(_data, _start, _end - _start);
        var before = sequence.Length;
        if (!BgpFraming.TryReadMessage(ref sequence, context, out var frame))
        {
            return false;
        }
        if (frame.Error is { } error)
        {
            throw new InvalidDataException($"bad message header from the receiver: {error}");
        }
        _start += (int)(before - sequence.Length);
        if (frame.Type == MessageType.Update && !DecodeUpdates)
        {
            message = EndOfRib.For(Evpn.Wire.Model.AfiSafi.L2vpnEvpn);
            return true;
        }
        var decoded = BgpDecoder.Decode(frame.Message, context);
        message = decoded.Message ?? throw new InvalidDataException($"undecodable {frame.Type} from the receiver: {decoded.Strongest}");
        return true;
    }
}
