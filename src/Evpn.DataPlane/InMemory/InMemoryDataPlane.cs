using System.Threading.Channels;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.InMemory;

/// <summary>The data plane as tables in memory: for unit tests and for running evpnd without root
/// (`dataplane: memory`). Same contract, batching, per-entry errors, retries and stale sweep as the
/// Linux data plane; the methods under "simulated kernel" play the part of the kernel's notifications.</summary>
public sealed class InMemoryDataPlane : IDataPlane
{
    private readonly InMemoryDataPlaneOptions _options;
    private readonly MemoryTables _tables;
    private readonly DataPlaneWriter _writer;
    private readonly DataPlaneMetrics _metrics = new();
    private readonly Channel<DataPlaneEvent> _events;
    private readonly object _localSync = new();
    private readonly Dictionary<(uint Vni, MacAddress Mac), string> _localMacs = [];
    private readonly Dictionary<(uint Vni, IpAddr Ip), MacAddress> _localNeighbors = [];
    private bool _started;

    public InMemoryDataPlane(InMemoryDataPlaneOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new InMemoryDataPlaneOptions();
        _tables = new MemoryTables(_options.Capacity, _options.Preinstalled);
        _writer = new DataPlaneWriter(_tables, new OwnedEntries(), _options.Retry ?? RetryPolicy.Default,
            time ?? TimeProvider.System, _metrics, static _ => { });
        _events = Channel.CreateBounded<DataPlaneEvent>(new BoundedChannelOptions(_options.EventQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<DataPlaneEvent> Events => _events.Reader;

    public int PendingRetries => _writer.PendingRetries;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var leftover = _tables.Snapshot();
        await _writer.WithOwnedAsync(owned =>
        {
            foreach (var e in leftover.Fdb)
            {
                owned.Adopt(e);
            }
            foreach (var e in leftover.Flood)
            {
                owned.Adopt(e);
            }
            foreach (var e in leftover.Neighbors)
            {
                owned.Adopt(e);
            }
            return 0;
        }, cancellationToken).ConfigureAwait(false);

        var present = _tables.Vnis().Where(IsReported).ToList();
        foreach (var vni in present)
        {
            Emit(new DataPlaneEvent.VniUp(vni));
        }
        foreach (var missing in (_options.ConfiguredVnis ?? new HashSet<uint>()).Except(present.Select(v => v.Vni)).Order())
        {
            Emit(new DataPlaneEvent.ConfiguredVniMissing(missing, "no VXLAN device with this VNI"));
        }
        lock (_localSync)
        {
            foreach (var ((vni, mac), port) in _localMacs)
            {
                Emit(new DataPlaneEvent.LocalMacLearned(vni, mac, false, port));
            }
            foreach (var ((vni, ip), mac) in _localNeighbors)
            {
                Emit(new DataPlaneEvent.LocalNeighborLearned(vni, ip, mac));
            }
            _started = true;
        }
        _writer.StartRetryLoop();
    }

    public Task<ApplyResult> ApplyAsync(IReadOnlyList<DataPlaneIntent> batch, CancellationToken cancellationToken) =>
        _writer.ApplyAsync(batch, cancellationToken);

    /// <summary>Makes the next attempt for failed entries whose backoff has elapsed (the background loop
    /// does this too; tests with a fake clock call it after advancing the clock).</summary>
    public Task<ApplyResult> RetryDueAsync(CancellationToken cancellationToken) => _writer.RetryDueAsync(cancellationToken);

    public Task<int> SweepStaleAsync(CancellationToken cancellationToken) => _writer.SweepStaleAsync(cancellationToken);

    public Task<DataPlaneState> ReadInstalledAsync(CancellationToken cancellationToken) => Task.FromResult(_tables.Snapshot());

    public Task<DataPlaneState> ReadIntendedAsync(CancellationToken cancellationToken) => _writer.ReadIntendedAsync(cancellationToken);

    // ---- simulated kernel ----

    /// <summary>A VXLAN device for <paramref name="info"/> exists and is up.</summary>
    public void AddVni(VniInfo info)
    {
        if (_tables.SetVni(info) && IsReported(info))
        {
            EmitIfStarted(new DataPlaneEvent.VniUp(info));
        }
    }

    /// <summary>The VXLAN device of <paramref name="vni"/> went down or away.</summary>
    public void RemoveVni(uint vni)
    {
        if (_tables.RemoveVni(vni) && (_options.ConfiguredVnis is null || _options.ConfiguredVnis.Contains(vni)))
        {
            EmitIfStarted(new DataPlaneEvent.VniDown(vni));
            if (_options.ConfiguredVnis?.Contains(vni) == true)
            {
                EmitIfStarted(new DataPlaneEvent.ConfiguredVniMissing(vni, "VXLAN device went away"));
            }
        }
    }

    /// <summary>The bridge of <paramref name="vni"/> learned <paramref name="mac"/> on a local port. Like the
    /// kernel's bridge, this takes over a MAC that was remote; the EVPN core sees a MAC move.</summary>
    public void LearnLocalMac(uint vni, MacAddress mac, string port, bool sticky = false)
    {
        lock (_localSync)
        {
            if (_localMacs.TryGetValue((vni, mac), out var known) && known == port)
            {
                return;
            }
            _localMacs[(vni, mac)] = port;
            EmitIfStartedLocked(new DataPlaneEvent.LocalMacLearned(vni, mac, sticky, port));
        }
    }

    public void ForgetLocalMac(uint vni, MacAddress mac)
    {
        lock (_localSync)
        {
            if (_localMacs.Remove((vni, mac)))
            {
                EmitIfStartedLocked(new DataPlaneEvent.LocalMacRemoved(vni, mac));
            }
        }
    }

    public void LearnLocalNeighbor(uint vni, IpAddr ip, MacAddress mac)
    {
        lock (_localSync)
        {
            if (_localNeighbors.TryGetValue((vni, ip), out var known) && known == mac)
            {
                return;
            }
            _localNeighbors[(vni, ip)] = mac;
            EmitIfStartedLocked(new DataPlaneEvent.LocalNeighborLearned(vni, ip, mac));
        }
    }

    public void ForgetLocalNeighbor(uint vni, IpAddr ip)
    {
        lock (_localSync)
        {
            if (_localNeighbors.Remove((vni, ip)))
            {
                EmitIfStartedLocked(new DataPlaneEvent.LocalNeighborRemoved(vni, ip));
            }
        }
    }

    /// <summary>With configured VNIs only those are reported; otherwise every VNI (advertise-all-vni).</summary>
    private bool IsReported(VniInfo info) => _options.ConfiguredVnis is null || _options.ConfiguredVnis.Contains(info.Vni);

    private void EmitIfStarted(DataPlaneEvent e)
    {
        lock (_localSync)
        {
            EmitIfStartedLocked(e);
        }
    }

    private void EmitIfStartedLocked(DataPlaneEvent e)
    {
        // Before start nothing is reported: StartAsync reports the whole state once, like a dump.
        if (_started)
        {
            Emit(e);
        }
    }

    private void Emit(DataPlaneEvent e)
    {
        if (!_events.Writer.TryWrite(e))
        {
            throw new InvalidOperationException($"in-memory data plane event queue full ({_options.EventQueueCapacity}); the reader is not keeping up");
        }
        _metrics.Events.Add(1, new KeyValuePair<string, object?>("kind", e.GetType().Name));
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _writer.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }
}
