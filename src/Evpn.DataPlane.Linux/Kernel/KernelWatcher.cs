using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>Watches the kernel (RTNLGRP_LINK, RTNLGRP_NEIGH and the address groups) and turns what it sees into events for the
/// EVPN core: VNIs up and down, MACs the bridges learn on local ports, ARP/ND entries on the SVIs. It owns
/// its state (links, local entries) alone: one task runs the initial dump and then the notification loop.</summary>
internal sealed class KernelWatcher : IDisposable
{
    private const int EventBufferBytes = 32 * 1024 * 1024;

    private readonly LinuxDataPlaneOptions _options;
    private readonly NetlinkSocket _events;
    private readonly NetlinkSocket _requests;
    private readonly ChannelWriter<DataPlaneEvent> _output;
    private readonly DataPlaneMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<VniTopology> _publish;

    private readonly Dictionary<int, LinkRecord> _links = [];
    private readonly Dictionary<int, SortedSet<IpAddr>> _addresses = [];
    private readonly Dictionary<uint, VniInfo> _announced = [];
    private readonly HashSet<uint> _reportedMissing = [];
    private readonly HashSet<int> _reportedUnsupported = [];
    private readonly HashSet<int> _suppressionRequested = [];
    private readonly Dictionary<(uint Vni, MacAddress Mac), (string Port, bool Sticky)> _localMacs = [];
    private readonly Dictionary<(uint Vni, IpAddr Ip), MacAddress> _localNeighbors = [];
    private readonly List<DataPlaneEvent> _pending = [];

    /// <summary>Batches the writer is about to install (see <see cref="Installing"/>), for the watcher's thread.</summary>
    private readonly ConcurrentQueue<IReadOnlyList<DataPlaneIntent>> _installing = new();

    /// <summary>Local MACs plus local neighbors, published for the writer's thread: while there are none,
    /// nothing it installs can replace a local entry, and it does not queue its batches here.</summary>
    private int _localCount;
    private VniTopology _topology = VniTopology.Empty;
    private uint _sequence;

    /// <param name="requestsPortId">The port id of the socket the entries are written through (<see cref="OwnEntryFilter"/>).</param>
    public KernelWatcher(LinuxDataPlaneOptions options, ChannelWriter<DataPlaneEvent> output, DataPlaneMetrics metrics, ILogger logger, Action<VniTopology> publish,
        uint requestsPortId)
    {
        _options = options;
        _output = output;
        _metrics = metrics;
        _logger = logger;
        _publish = publish;
        // Subscribe before dumping, so that no change falls between the dump and the first notification.
        // Notifications come in bursts (one per entry of a batch); a generous buffer absorbs them, and an
        // overrun costs a full re-dump.
        _events = NetlinkSocket.Open(options.NetworkNamespace, Rtnl.RTMGRP_LINK | Rtnl.RTMGRP_NEIGH | Rtnl.RTMGRP_IPV4_IFADDR | Rtnl.RTMGRP_IPV6_IFADDR, Math.Max(options.SocketBufferBytes, EventBufferBytes));
        _events.AttachFilter(OwnEntryFilter.Program(requestsPortId));
        _requests = NetlinkSocket.Open(options.NetworkNamespace, 0, options.SocketBufferBytes);
        _requests.ReceiveTimeout = options.KernelReplyTimeout;
    }

    /// <summary>Dumps links and neighbor tables and queues the resulting events (emitted by <see cref="RunAsync"/>).</summary>
    public void Synchronize()
    {
        var links = new Dictionary<int, LinkRecord>();
        NetlinkDump.Links(_requests, ref _sequence, (in NetlinkMessage m) =>
        {
            if (m.Type == Rtnl.RTM_NEWLINK && LinkRecord.TryParse(m, out var link))
            {
                links[link.Index] = link;
            }
        });
        _links.Clear();
        foreach (var link in links.Values)
        {
            _links[link.Index] = link;
        }
        _addresses.Clear();
        NetlinkDump.Addresses(_requests, ref _sequence, (in NetlinkMessage m) =>
        {
            if (m.Type == Rtnl.RTM_NEWADDR && AddressRecord.TryParse(m, out var a))
            {
                OnAddress(a, deleted: false);
            }
        });
        OnLinksChanged();

        var seenMacs = new HashSet<(uint, MacAddress)>();
        var seenNeighbors = new HashSet<(uint, IpAddr)>();
        NetlinkDump.Neighbors(_requests, ref _sequence, Rtnl.AF_BRIDGE, (in NetlinkMessage m) =>
        {
            if (NeighborRecord.TryParse(m, out var r) && OnFdb(r, deleted: false) is { } key)
            {
                seenMacs.Add(key);
            }
        });
        foreach (var family in new[] { Rtnl.AF_INET, Rtnl.AF_INET6 })
        {
            NetlinkDump.Neighbors(_requests, ref _sequence, family, (in NetlinkMessage m) =>
            {
                if (NeighborRecord.TryParse(m, out var r) && OnNeighbor(r, deleted: false) is { } key)
                {
                    seenNeighbors.Add(key);
                }
            });
        }
        // After a resync: what the dump no longer shows went away while notifications were lost.
        foreach (var key in _localMacs.Keys.Where(k => !seenMacs.Contains(k)).ToList())
        {
            _localMacs.Remove(key);
            _pending.Add(new DataPlaneEvent.LocalMacRemoved(key.Vni, key.Mac));
        }
        foreach (var key in _localNeighbors.Keys.Where(k => !seenNeighbors.Contains(k)).ToList())
        {
            _localNeighbors.Remove(key);
            _pending.Add(new DataPlaneEvent.LocalNeighborRemoved(key.Vni, key.Ip));
        }
    }

    /// <summary>Called by the writer before it sends <paramref name="intents"/> to the kernel. The socket filter
    /// drops the notifications of the entries evpnd installs, and an installed remote entry replaces a local
    /// one of the same MAC (or IP) without a word: the watcher forgets such local entries here instead, so that
    /// the MAC learned locally again later is reported again. Queued before the kernel sees the batch, so it is
    /// handled before any notification that follows it.</summary>
    public void Installing(IReadOnlyList<DataPlaneIntent> intents)
    {
        if (Volatile.Read(ref _localCount) > 0)
        {
            _installing.Enqueue(intents);
        }
    }

    /// <summary>Emits queued events, then follows notifications until cancelled. If the kernel drops
    /// notifications (ENOBUFS, the reader fell behind), everything is dumped again and compared.</summary>
    /// <remarks>Runs on a thread of its own with blocking receives: during a large batch the kernel sends a
    /// notification per entry, and a blocking recv keeps up far better than an async receive per datagram.
    /// The receive timeout bounds how long a cancellation waits.</remarks>
    public void Run(CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        _events.ReceiveTimeout = TimeSpan.FromMilliseconds(200);
        if (!Flush(cancellationToken))
        {
            return;
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = _events.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                length = 0;
            }
            catch (SocketException e) when (NetlinkDump.IsOverrun(e))
            {
                _logger.LogWarning("kernel dropped netlink notifications; dumping links and neighbors again");
                _metrics.ResyncCount.Add(1);
                // What is queued predates the dump, which supersedes it.
                _events.DiscardQueued();
                Synchronize();
                length = 0;
            }
            ForgetReplacedLocals();
            Handle(buffer.AsSpan(0, length));
            if (!Flush(cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Local entries that a remote entry evpnd installs takes the place of are local no more.</summary>
    private void ForgetReplacedLocals()
    {
        while (_installing.TryDequeue(out var intents))
        {
            foreach (var intent in intents)
            {
                switch (intent)
                {
                    case DataPlaneIntent.AddFdb a when _localMacs.Remove((a.Entry.Vni, a.Entry.Mac)):
                        _pending.Add(new DataPlaneEvent.LocalMacRemoved(a.Entry.Vni, a.Entry.Mac));
                        break;
                    case DataPlaneIntent.AddNeighbor a when _localNeighbors.Remove((a.Entry.Vni, a.Entry.Ip)):
                        _pending.Add(new DataPlaneEvent.LocalNeighborRemoved(a.Entry.Vni, a.Entry.Ip));
                        break;
                }
            }
        }
    }

    private void PublishLocalCount() => Volatile.Write(ref _localCount, _localMacs.Count + _localNeighbors.Count);

    /// <summary>Hands the queued events to the core, waiting while its queue is full. False once the
    /// data plane is stopping (cancelled, or the queue closed).</summary>
    private bool Flush(CancellationToken cancellationToken)
    {
        PublishLocalCount();
        foreach (var e in _pending)
        {
            while (!_output.TryWrite(e))
            {
                try
                {
                    if (!_output.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                    {
                        return false;
                    }
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
            _metrics.Events.Add(1, new KeyValuePair<string, object?>("kind", e.GetType().Name));
        }
        _pending.Clear();
        return true;
    }

    private void Handle(ReadOnlySpan<byte> datagram)
    {
        var linksChanged = false;
        foreach (var message in new NetlinkReader(datagram))
        {
            switch (message.Type)
            {
                case Rtnl.RTM_NEWLINK when LinkRecord.TryParse(message, out var link):
                    _links[link.Index] = link;
                    linksChanged = true;
                    break;
                case Rtnl.RTM_NEWADDR or Rtnl.RTM_DELADDR when AddressRecord.TryParse(message, out var address):
                    linksChanged |= OnAddress(address, message.Type == Rtnl.RTM_DELADDR);
                    break;
                case Rtnl.RTM_DELLINK when LinkRecord.TryParse(message, out var link):
                    _links.Remove(link.Index);
                    _addresses.Remove(link.Index);
                    _suppressionRequested.Remove(link.Index);
                    linksChanged = true;
                    break;
                case Rtnl.RTM_NEWNEIGH or Rtnl.RTM_DELNEIGH when NeighborRecord.TryParse(message, out var r):
                    if (linksChanged)
                    {
                        OnLinksChanged();
                        linksChanged = false;
                    }
                    if (r.Family == Rtnl.AF_BRIDGE)
                    {
                        OnFdb(r, message.Type == Rtnl.RTM_DELNEIGH);
                    }
                    else
                    {
                        OnNeighbor(r, message.Type == Rtnl.RTM_DELNEIGH);
                    }
                    break;
            }
        }
        if (linksChanged)
        {
            OnLinksChanged();
        }
    }

    /// <summary>Records an address change; true when the set of addresses changed.</summary>
    private bool OnAddress(AddressRecord address, bool deleted)
    {
        if (address.IsLinkLocal)
        {
            return false;
        }
        if (deleted)
        {
            return _addresses.TryGetValue(address.IfIndex, out var set) && set.Remove(address.Address);
        }
        if (!_addresses.TryGetValue(address.IfIndex, out var addresses))
        {
            _addresses[address.IfIndex] = addresses = [];
        }
        return addresses.Add(address.Address);
    }

    private void OnLinksChanged()
    {
        _topology = VniTopology.Build(_links.Values, _addresses);
        _publish(_topology);
        var configured = _options.ConfiguredVnis;
        var up = _topology.UpVnis.Where(d => configured is null || configured.Contains(d.Info.Vni)).ToDictionary(d => d.Info.Vni);
        foreach (var vni in _announced.Keys.Where(v => !up.ContainsKey(v)).ToList())
        {
            _announced.Remove(vni);
            _pending.Add(new DataPlaneEvent.VniDown(vni));
            // The VNI's local entries go with it: the core drops the VNI's routes on VniDown.
            foreach (var key in _localMacs.Keys.Where(k => k.Vni == vni).ToList())
            {
                _localMacs.Remove(key);
            }
            foreach (var key in _localNeighbors.Keys.Where(k => k.Vni == vni).ToList())
            {
                _localNeighbors.Remove(key);
            }
        }
        foreach (var (vni, device) in up)
        {
            if (!_announced.TryGetValue(vni, out var known) || known != device.Info)
            {
                _announced[vni] = device.Info;
                _pending.Add(new DataPlaneEvent.VniUp(device.Info));
                _reportedMissing.Remove(vni);
            }
        }
        if (configured is not null)
        {
            foreach (var vni in configured.Where(v => !up.ContainsKey(v)).Order())
            {
                if (_reportedMissing.Add(vni))
                {
                    var reason = _topology.ByVni.ContainsKey(vni) ? "VXLAN device is down" : "no VXLAN device with this VNI";
                    _logger.LogWarning("configured VNI {Vni} is not usable: {Reason}", vni, reason);
                    _pending.Add(new DataPlaneEvent.ConfiguredVniMissing(vni, reason));
                }
            }
        }
        foreach (var link in _topology.Unsupported)
        {
            if (_reportedUnsupported.Add(link.Index))
            {
                _logger.LogWarning("VXLAN device {Device} is in external (collect_metadata/vnifilter) mode, which evpnd does not program; use one VXLAN device per VNI", link.Name);
            }
        }
        if (_options.ArpNdSuppression)
        {
            EnsureNeighSuppress();
        }
    }

    /// <summary>RFC 7432 section 10: with ARP/ND suppression the VXLAN port must not flood ARP/ND; the
    /// bridge answers from the neighbor entries instead.</summary>
    private void EnsureNeighSuppress()
    {
        foreach (var device in _topology.ByVni.Values.Where(d => d.BridgeIndex != 0 && !d.NeighSuppress))
        {
            if (!_suppressionRequested.Add(device.VxlanIndex))
            {
                continue;
            }
            var writer = new NetlinkWriter(64);
            var sequence = ++_sequence;
            IntentEncoder.WriteNeighSuppress(writer, device.VxlanIndex, on: true, sequence);
            var (error, _) = _requests.Request(writer.Written, sequence);
            if (error != 0)
            {
                _logger.LogWarning("turning on neigh_suppress on {Device} failed: {Error}", device.Info.VxlanDevice, Errno.Describe(error));
            }
        }
    }

    /// <summary>A bridge FDB change. Returns the key of the local MAC it shows, if it shows one.</summary>
    private (uint, MacAddress)? OnFdb(in NeighborRecord r, bool deleted)
    {
        // Only the bridge's own entries (they carry NDA_MASTER, not NTF_SELF) say on which port a MAC was learned.
        if (r.IsSelf || r.Master == 0 || r.Mac is not { } mac || mac.IsZero || mac.IsMulticast
            || !_topology.ByBridgeIndex.TryGetValue(r.Master, out var device)
            || r.IfIndex == device.BridgeIndex)
        {
            return null;
        }
        var key = (device.Info.Vni, mac);
        var onVxlanPort = _topology.ByVxlanIndex.ContainsKey(r.IfIndex) || (_links.TryGetValue(r.IfIndex, out var l) && l.IsVxlan);
        // NUD_PERMANENT: the address of a local interface, not a host behind it. extern_learn or the VXLAN
        // port: a remote MAC (ours, or learned from the fabric), never re-advertised as local.
        var local = !deleted && !onVxlanPort && !r.IsExternLearned && (r.State & Rtnl.NUD_PERMANENT) == 0;
        if (!local)
        {
            // A MAC that was local and is now remote or gone.
            if (_localMacs.Remove(key))
            {
                _pending.Add(new DataPlaneEvent.LocalMacRemoved(key.Vni, mac));
            }
            return null;
        }
        var port = _links.TryGetValue(r.IfIndex, out var link) ? link.Name : r.IfIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A static entry (NUD_NOARP, `bridge fdb add ... static`) or a sticky one does not move: RFC 7432
        // section 15.2 sticky MAC.
        var sticky = (r.State & Rtnl.NUD_NOARP) != 0 || (r.Flags & Rtnl.NTF_STICKY) != 0;
        if (!_localMacs.TryGetValue(key, out var known) || known != (port, sticky))
        {
            _localMacs[key] = (port, sticky);
            _pending.Add(new DataPlaneEvent.LocalMacLearned(key.Vni, mac, sticky, port));
        }
        return key;
    }

    /// <summary>An ARP/ND change on an SVI. Returns the key of the local binding it shows, if any.</summary>
    private (uint, IpAddr)? OnNeighbor(in NeighborRecord r, bool deleted)
    {
        if (r.Destination is not { } ip || !_topology.ByBridgeIndex.TryGetValue(r.IfIndex, out var device) || IsMulticast(ip))
        {
            return null;
        }
        var key = (device.Info.Vni, ip);
        const ushort valid = Rtnl.NUD_REACHABLE | Rtnl.NUD_STALE | Rtnl.NUD_DELAY | Rtnl.NUD_PROBE | Rtnl.NUD_PERMANENT | Rtnl.NUD_NOARP;
        var local = !deleted && !r.IsExternLearned && (r.State & valid) != 0 && r.Mac is { IsZero: false };
        if (!local)
        {
            if (_localNeighbors.Remove(key))
            {
                _pending.Add(new DataPlaneEvent.LocalNeighborRemoved(key.Vni, ip));
            }
            return null;
        }
        var mac = r.Mac!.Value;
        if (!_localNeighbors.TryGetValue(key, out var known) || known != mac)
        {
            _localNeighbors[key] = mac;
            _pending.Add(new DataPlaneEvent.LocalNeighborLearned(key.Vni, ip, mac));
        }
        return key;
    }

    private static bool IsMulticast(IpAddr ip) =>
        ip.IsV4 ? (ip.V4Bits >> 28) == 0xE : (ip.V6Bits >> 120) == 0xFF;

    public void Dispose()
    {
        _events.Dispose();
        _requests.Dispose();
    }
}
