using System.Net.Sockets;
using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.FdbWatch;

/// <summary>Follows a namespace's FDB through RTNLGRP_NEIGH notifications and tells, to the notification,
/// when an armed <see cref="FdbTarget"/> is met: no polling, so the time has no dump interval in it.</summary>
/// <remarks>
///   The table is filled by a dump on a second socket after the subscription is in place, so no change
///   falls between the two; notifications queued meanwhile are applied afterwards and, being later, win.
///   If the kernel drops notifications (ENOBUFS) the queue is emptied (until then the kernel drops more
///   without saying so) and the table is rebuilt by a new dump the same way.
///   The receive thread owns the table; commands read it under the same lock.
/// </remarks>
internal sealed class KernelFdbWatch : IDisposable
{
    /// <summary>The notification socket's receive buffer unless told otherwise: large, so that the burst of a
    /// table load seldom overruns it.</summary>
    public const int DefaultEventBufferBytes = 256 * 1024 * 1024;

    /// <summary>Notifications read per system call at most, and the room for each (a neighbor notification
    /// is a few hundred octets; a datagram that does not fit counts as lost and brings a new dump).</summary>
    private const int BatchDatagrams = 64;
    private const int DatagramBytes = 16 * 1024;
    private static readonly TimeSpan PauseWhenCaughtUp = TimeSpan.FromMilliseconds(1);

    private readonly NetlinkSocket _events;
    private readonly NetlinkSocket _requests;
    private readonly GroupVteps _groups;
    private readonly RemoteFdbTable _table = new();
    private readonly Lock _lock = new();
    private readonly Action<string> _report;
    private readonly Action<string> _log;
    private uint _sequence;
    private FdbTarget? _armed;
    private long _notifications;

    /// <param name="report">Receives the `event=reached` lines.</param>
    /// <param name="log">Receives diagnostics (resynchronisations).</param>
    /// <param name="eventBufferBytes">The notification socket's receive buffer (tests make it small to
    /// provoke overruns).</param>
    public KernelFdbWatch(string? networkNamespace, Action<string> report, Action<string> log, int eventBufferBytes = DefaultEventBufferBytes)
    {
        _report = report;
        _log = log;
        _events = NetlinkSocket.Open(networkNamespace, Rtnl.RTMGRP_NEIGH, eventBufferBytes);
        _events.AttachFilter(VxlanFdbFilter.Program());
        _requests = NetlinkSocket.Open(networkNamespace, 0, 4 * 1024 * 1024);
        // A socket of its own: a lookup made while a dump is being read must not take the dump's replies.
        _groups = new GroupVteps(NetlinkSocket.Open(networkNamespace, 0, 64 * 1024));
        Resynchronize();
    }

    /// <summary>Times the kernel dropped notifications and the table was dumped again.</summary>
    public int Resyncs { get; private set; }

    /// <summary>Notifications received (those the socket filter passed), reported with each answer: how much
    /// the watch read to time a load.</summary>
    public long Notifications
    {
        get
        {
            lock (_lock)
            {
                return _notifications;
            }
        }
    }

    public int Observe(FdbTarget target)
    {
        lock (_lock)
        {
            return target.Observed(_table);
        }
    }

    /// <summary>Reports `event=reached` with the Unix time in ns as soon as the table meets
    /// <paramref name="target"/>, at once when it already does. Replaces any target armed before.</summary>
    public void Arm(FdbTarget target)
    {
        lock (_lock)
        {
            _armed = target;
            CheckArmed();
        }
    }

    /// <summary>Applies notifications until cancelled, reading up to <see cref="BatchDatagrams"/> of them per
    /// system call; a bounded wait for the first keeps the loop noticing the cancellation.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        var buffer = new byte[BatchDatagrams * DatagramBytes];
        var lengths = new int[BatchDatagrams];
        while (!cancellationToken.IsCancellationRequested)
        {
            int count;
            try
            {
                count = _events.ReceiveMany(buffer, DatagramBytes, lengths, TimeSpan.FromMilliseconds(200));
            }
            catch (SocketException e) when (NetlinkDump.IsOverrun(e))
            {
                Resyncs++;
                // What is queued predates the dump, which supersedes it; and until the queue is empty the
                // kernel would drop further notifications silently.
                var discarded = _events.DiscardQueued();
                _log($"notifications dropped (ENOBUFS): discarded {discarded} queued, dumping the FDB again, resync {Resyncs}");
                ResynchronizeUntilDone(cancellationToken);
                continue;
            }
            if (count == 0)
            {
                continue;
            }
            lock (_lock)
            {
                for (var i = 0; i < count; i++)
                {
                    foreach (var message in new NetlinkReader(buffer.AsSpan(i * DatagramBytes, lengths[i])))
                    {
                        _notifications++;
                        Apply(message);
                    }
                }
                CheckArmed();
            }
            if (count < BatchDatagrams)
            {
                // Caught up: a pause before waiting again. A reader waiting on the socket is woken by every
                // notification, in the context of whoever changed the FDB, which is the receiver being timed
                // (the wake-up is charged to the receiver); a paused one is not, and
                // what arrives meanwhile is read in the next batch. The pause is the timing's resolution; a
                // stop ends it at once.
                cancellationToken.WaitHandle.WaitOne(PauseWhenCaughtUp);
            }
        }
    }

    /// <summary>A dump interrupted by changes again and again (NLM_F_DUMP_INTR, under heavy churn) is
    /// retried after a pause rather than ending the watch.</summary>
    private void ResynchronizeUntilDone(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Resynchronize();
                return;
            }
            catch (IOException e)
            {
                _log($"FDB dump failed, trying again: {e.Message}");
                // A pause lets the churn that interrupted the dump settle; a stop ends it at once.
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private void Resynchronize()
    {
        lock (_lock)
        {
            _table.Clear();
            NetlinkDump.Neighbors(_requests, ref _sequence, Rtnl.AF_BRIDGE, (in NetlinkMessage m) => Apply(m));
            CheckArmed();
        }
    }

    private void Apply(in NetlinkMessage message)
    {
        if (message.Type is not (Rtnl.RTM_NEWNEIGH or Rtnl.RTM_DELNEIGH) || !NeighborRecord.TryParse(message, out var r))
        {
            return;
        }
        var present = message.Type == Rtnl.RTM_NEWNEIGH;
        // An entry on a nexthop group is looked up only when it comes: a removal needs no VTEP.
        var vtep = r.NexthopId is { } group && present ? _groups.VtepOf(group) : r.Destination;
        _table.Apply(present, r.Family, r.IfIndex, r.Mac, vtep);
    }

    private void CheckArmed()
    {
        if (_armed is { } target && target.IsMetBy(_table))
        {
            _armed = null;
            _report($"event=reached count={target.Count} at_ns={UnixNanoseconds()} resyncs={Resyncs} notifications={_notifications}");
        }
    }

    public static long UnixNanoseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public void Dispose()
    {
        _events.Dispose();
        _requests.Dispose();
        _groups.Dispose();
    }
}
