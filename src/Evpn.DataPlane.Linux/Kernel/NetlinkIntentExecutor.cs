using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

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
///   Remote MACs point to their VTEP's nexthop group (<see cref="VtepNexthops"/>) unless the kernel has no
///   nexthop objects or the options ask for destinations; the entries a previous run left in the other form
///   are deleted before they are installed again (a replace cannot change the form). An entry with a remote
///   VNI (NDA_VNI) names its VTEP even with groups: the kernel refuses a VNI beside a nexthop id.
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

    /// <summary>evpnd's nexthop groups; null when the kernel has no nexthop objects.</summary>
    private VtepNexthops? _nexthops;

    /// <summary>Whether installs point to nexthop groups; when false, the groups a previous run left are only
    /// kept until no entry points to them.</summary>
    private bool _useNexthops;

    /// <summary>FDB entries in the kernel in the form evpnd does not write (destination or group): each is deleted
    /// before it is installed again in the usual form. Filled at start, empties as the table is re-installed; with
    /// groups, it also holds the entries with a remote VNI, which are named by destination.</summary>
    private readonly HashSet<(uint Vni, MacAddress Mac)> _otherForm = [];

    /// <summary>Whether the last send had a failure (the only case with anything to check afterwards).</summary>
    private bool _sendFailed;

    /// <param name="fdbNexthops">Point remote MACs to per-VTEP nexthop groups rather than name the VTEP in
    /// each entry.</param>
    /// <param name="beforeSend">Told every batch before any of it reaches the kernel (the watcher, which
    /// does not see the notifications of evpnd's own entries).</param>
    public NetlinkIntentExecutor(NetlinkSocket socket, Func<VniTopology> topology, int maxPerSend, bool fdbNexthops, Action<IReadOnlyList<DataPlaneIntent>> beforeSend)
    {
        _socket = socket;
        _topology = topology;
        _maxPerSend = maxPerSend;
        _beforeSend = beforeSend;
        _nexthops = new VtepNexthops(socket);
        _useNexthops = fdbNexthops;
    }

    /// <summary>The port id of the socket the requests go through (the kernel's notifications of them carry it).</summary>
    public uint PortId => _socket.PortId;

    /// <summary>Whether FDB entries point to nexthop groups (false also when the kernel turned out to have none).</summary>
    public bool UsesNexthops => _useNexthops;

    /// <summary>Reads back what a previous run left (the entries to adopt as stale) and takes over its nexthop
    /// groups. On a kernel without nexthop objects, falls back to destinations.</summary>
    public DataPlaneState ReadLeftovers(VniTopology topology)
    {
        var nexthops = DumpNexthops();
        if (nexthops is null)
        {
            _nexthops = null;
            _useNexthops = false;
            nexthops = [];
        }
        _nexthops?.Adopt(nexthops, ref _sequence);
        var viaNexthop = new HashSet<(uint, MacAddress)>();
        var leftovers = InstalledEntries.Read(_socket, ref _sequence, topology, NexthopRecord.VtepsByGroup(nexthops), viaNexthop);
        foreach (var entry in leftovers.Fdb)
        {
            if (viaNexthop.Contains((entry.Vni, entry.Mac)) != UsesNexthops)
            {
                _otherForm.Add((entry.Vni, entry.Mac));
            }
        }
        return leftovers;
    }

    /// <summary>The remote entries in the kernel now, for an audit.</summary>
    public DataPlaneState ReadInstalled(VniTopology topology) =>
        InstalledEntries.Read(_socket, ref _sequence, topology, NexthopRecord.VtepsByGroup(DumpNexthops() ?? []), viaNexthop: null);

    /// <summary>After a batch is recorded: the nexthop groups of VTEPs no owned entry points to any more go
    /// (without nexthops, all of them once no entry of the other form is left). One the socket fails to get an
    /// answer for (a timeout, an overrun) stays, and goes after a later batch.</summary>
    public void Settle(OwnedEntries owned)
    {
        try
        {
            _nexthops?.Release(_useNexthops ? owned.UsesVtep : vtep => _otherForm.Count > 0 && owned.UsesVtep(vtep), ref _sequence);
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>Every nexthop object, or null when the kernel has none (EOPNOTSUPP: before Linux 5.3).</summary>
    private Dictionary<uint, NexthopRecord>? DumpNexthops()
    {
        try
        {
            return NexthopRecord.Dump(_socket, ref _sequence);
        }
        catch (NetlinkErrorException e) when (e.Error == Errno.EOPNOTSUPP)
        {
            return null;
        }
    }

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
        _sendFailed = false;
        for (var i = 0; i < intents.Count; i++)
        {
            if (!TryTarget(intents[i], out var target, out var failure))
            {
                outcomes[i] = failure;
                continue;
            }
            var start = _writer.Length;
            var count = IntentEncoder.Write(_writer, intents[i], topology, target, ref _sequence, out failure);
            if (count == 0)
            {
                outcomes[i] = failure;
                continue;
            }
            var offset = start;
            for (var m = 0; m < count; m++)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_writer.Written[offset..]);
                var removal = BinaryPrimitives.ReadUInt16LittleEndian(_writer.Written[(offset + 4)..]) == Rtnl.RTM_DELNEIGH;
                _requests.Add(new Request(i, offset, length, removal));
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
        if (_sendFailed && _useNexthops)
        {
            RetryInstallsToDeletedGroups(intents, outcomes);
        }
    }

    /// <summary>How an FDB intent's VXLAN part is written (for an install toward a VTEP without a group yet, the
    /// group is made here); false when that failed.</summary>
    private bool TryTarget(DataPlaneIntent intent, out IntentEncoder.FdbTarget target, out IntentOutcome failure)
    {
        failure = IntentOutcome.Ok;
        target = default;
        switch (intent)
        {
            case DataPlaneIntent.AddFdb { Entry.HasRemoteVni: true } a when _useNexthops:
                // Named by destination, since the kernel takes no VNI with a group: the entry is of the other form,
                // and one not known to be in it yet may be in the group form, which a replace does not change.
                target = new IntentEncoder.FdbTarget(0, DeleteFirst: _otherForm.Add((a.Entry.Vni, a.Entry.Mac)));
                return true;
            case DataPlaneIntent.AddFdb a:
                var group = 0u;
                if (_useNexthops && !_nexthops!.TryGroup(a.Entry.Vtep, ref _sequence, out group, out failure))
                {
                    return false;
                }
                target = new IntentEncoder.FdbTarget(group, DeleteFirst: _otherForm.Count > 0 && _otherForm.Remove((a.Entry.Vni, a.Entry.Mac)));
                return true;
            case DataPlaneIntent.RemoveFdb r:
                // Whatever its form, the entry is gone afterwards: a later install needs no delete first.
                if (_otherForm.Count > 0)
                {
                    _otherForm.Remove((r.Entry.Vni, r.Entry.Mac));
                }
                return true;
            default:
                return true;
        }
    }

    /// <summary>An install refused with EINVAL may have named a group someone deleted (with the entries using
    /// it): such a VTEP's group is forgotten and the install made transient, so its retry makes a new group.</summary>
    private void RetryInstallsToDeletedGroups(IReadOnlyList<DataPlaneIntent> intents, Span<IntentOutcome> outcomes)
    {
        var checkedVteps = new Dictionary<IpAddr, bool>();
        for (var i = 0; i < intents.Count; i++)
        {
            if (outcomes[i].ErrorCode != Errno.EINVAL || intents[i] is not DataPlaneIntent.AddFdb a)
            {
                continue;
            }
            if (!checkedVteps.TryGetValue(a.Entry.Vtep, out var gone))
            {
                gone = _nexthops!.ForgetIfGone(a.Entry.Vtep, ref _sequence);
                checkedVteps[a.Entry.Vtep] = gone;
            }
            if (gone)
            {
                outcomes[i] = new IntentOutcome(Errno.EAGAIN, $"the nexthop group of VTEP {a.Entry.Vtep} was deleted; a new one is made on retry");
            }
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
            _sendFailed = true;
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
