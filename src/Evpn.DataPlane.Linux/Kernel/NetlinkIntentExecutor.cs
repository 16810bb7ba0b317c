using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>Applies intents to the kernel in batches: up to <c>maxPerSend</c> requests per sendmsg, only the
/// last one asking for an acknowledgement. The kernel processes a send in order before it returns and
/// answers every failed request with an NLMSG_ERROR carrying that request's sequence number, so the
/// last acknowledgement means "everything before me is answered" and each error maps back to its entry.</summary>
/// <remarks>
///   If the kernel drops replies (ENOBUFS on our socket), which entries failed is unknown: that part is
///   sent again with an acknowledgement per request, in slices that fit the receive buffer. Every request
///   is idempotent (replace, append of a present destination, delete with ENOENT forgiven), so a second
///   send is harmless.
///   Requests are sent from the buffer they were encoded in, and the per-send bookkeeping lives in arrays
///   reused from send to send: one batch runs at a time, and a table load is hundreds of sends.
/// </remarks>
internal sealed class NetlinkIntentExecutor : IIntentExecutor, IDisposable
{
    private const int AckedSliceSize = 128;

    private readonly NetlinkSocket _socket;
    private readonly Func<VniTopology> _topology;
    private readonly int _maxPerSend;
    private readonly Action<IReadOnlyList<DataPlaneIntent>> _beforeSend;
    private readonly NetlinkWriter _writer = new(256 * 1024);
    private readonly byte[] _receive = new byte[256 * 1024];
    private readonly List<Request> _requests = [];
    private bool[] _answered = [];
    private (int Code, string? Detail)[] _errors = [];
    private uint _sequence;

    /// <summary>One request in flight: its entry, where its bytes are, and whether it is a removal (for which
    /// ENOENT, or ENODEV for a device deleted meanwhile, means the entry is gone: success).</summary>
    private readonly record struct Request(int Intent, int Offset, int Length, bool Removal);

    /// <param name="beforeSend">Told every batch before any of it reaches the kernel (the watcher, which
    /// does not see the notifications of evpnd's own entries).</param>
    public NetlinkIntentExecutor(NetlinkSocket socket, Func<VniTopology> topology, int maxPerSend, Action<IReadOnlyList<DataPlaneIntent>> beforeSend)
    {
        _socket = socket;
        _topology = topology;
        _maxPerSend = maxPerSend;
        _beforeSend = beforeSend;
    }

    /// <summary>The socket, for dumps made between batches by the same owner.</summary>
    public NetlinkSocket Socket => _socket;

    public ref uint Sequence => ref _sequence;

    /// <remarks>Cancellation is honoured before the batch starts only: a batch half sent and then abandoned
    /// would leave the owned-entry table out of step with the kernel.</remarks>
    public ValueTask ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, Memory<IntentOutcome> outcomes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Execute(intents, outcomes.Span);
        return ValueTask.CompletedTask;
    }

    private void Execute(IReadOnlyList<DataPlaneIntent> intents, Span<IntentOutcome> outcomes)
    {
        _beforeSend(intents);
        var topology = _topology();
        _writer.Clear();
        _requests.Clear();
        for (var i = 0; i < intents.Count; i++)
        {
            var start = _writer.Length;
            var count = IntentEncoder.Write(_writer, intents[i], topology, ref _sequence, out var failure);
            if (count == 0)
            {
                outcomes[i] = failure;
                continue;
            }
            var offset = start;
            for (var m = 0; m < count; m++)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_writer.Written[offset..]);
                _requests.Add(new Request(i, offset, length, intents[i].IsRemoval()));
                offset += length;
            }
            if (_requests.Count >= _maxPerSend)
            {
                Flush(outcomes);
            }
        }
        if (_requests.Count > 0)
        {
            Flush(outcomes);
        }
    }

    /// <summary>Sends the pending requests as one datagram and collects their errors.</summary>
    private void Flush(Span<IntentOutcome> outcomes)
    {
        var requests = CollectionsMarshal.AsSpan(_requests);
        if (!TrySendAndCollect(requests, ackEach: false, outcomes))
        {
            // Replies still queued belong to the attempt just abandoned (re-numbered below), and while
            // they are queued the kernel drops new ones without telling.
            _socket.DiscardQueued();
            for (var start = 0; start < requests.Length; start += AckedSliceSize)
            {
                var slice = requests.Slice(start, Math.Min(AckedSliceSize, requests.Length - start));
                if (!TrySendAndCollect(slice, ackEach: true, outcomes))
                {
                    foreach (var request in slice)
                    {
                        outcomes[request.Intent] = new IntentOutcome(Errno.ENOBUFS, "kernel replies dropped twice");
                    }
                }
            }
        }
        _writer.Clear();
        _requests.Clear();
    }

    /// <summary>Re-numbers <paramref name="requests"/> (so late replies of an earlier attempt cannot be taken
    /// for this one), sends them in one datagram and reads replies up to the last acknowledgement. Returns
    /// false when the kernel dropped replies (socket overrun).</summary>
    /// <param name="requests">Consecutive requests: their messages lie back to back in the writer.</param>
    private bool TrySendAndCollect(ReadOnlySpan<Request> requests, bool ackEach, Span<IntentOutcome> outcomes)
    {
        var first = requests[0].Offset;
        var datagram = _writer.Messages(first, requests[^1].Offset + requests[^1].Length);
        var firstSequence = _sequence + 1;
        for (var i = 0; i < requests.Length; i++)
        {
            var message = datagram.Slice(requests[i].Offset - first, requests[i].Length);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
            if (ackEach || i == requests.Length - 1)
            {
                flags |= Rtnl.NLM_F_ACK;
            }
            BinaryPrimitives.WriteUInt16LittleEndian(message[6..], flags);
            BinaryPrimitives.WriteUInt32LittleEndian(message[8..], ++_sequence);
        }
        var lastSequence = _sequence;
        var answered = Cleared(ref _answered, requests.Length);
        var pendingAcks = ackEach ? requests.Length : 1;
        var errors = Cleared(ref _errors, requests.Length);
        try
        {
            _socket.Send(datagram);
            while (pendingAcks > 0)
            {
                var length = _socket.Receive(_receive);
                foreach (var message in new NetlinkReader(_receive.AsSpan(0, length)))
                {
                    if (message.Type != Rtnl.NLMSG_ERROR || message.Sequence < firstSequence || message.Sequence > lastSequence)
                    {
                        continue;
                    }
                    var index = (int)(message.Sequence - firstSequence);
                    if (!answered[index] && (ackEach || message.Sequence == lastSequence))
                    {
                        pendingAcks--;
                    }
                    answered[index] = true;
                    if (message.ErrorCode != 0)
                    {
                        errors[index] = (-message.ErrorCode, message.ExtendedAckMessage());
                    }
                }
            }
        }
        catch (SocketException e) when (NetlinkDump.IsOverrun(e))
        {
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            for (var i = 0; i < requests.Length; i++)
            {
                if (!answered[i] && errors[i].Code == 0)
                {
                    errors[i] = (Errno.ETIMEDOUT, "no acknowledgement from the kernel");
                }
            }
        }
        for (var i = 0; i < requests.Length; i++)
        {
            var (code, detail) = errors[i];
            if (code == 0 || (requests[i].Removal && code is Errno.ENOENT or Errno.ENODEV))
            {
                continue;
            }
            // The first failing request of an entry decides its outcome.
            if (outcomes[requests[i].Intent].Succeeded)
            {
                outcomes[requests[i].Intent] = new IntentOutcome(code, detail);
            }
        }
        return true;
    }

    /// <summary>The first <paramref name="length"/> elements of <paramref name="array"/> zeroed, growing it when short.</summary>
    private static Span<T> Cleared<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[length];
        }
        var span = array.AsSpan(0, length);
        span.Clear();
        return span;
    }

    public void Dispose() => _socket.Dispose();
}
