using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Evpn.Config.Options;
using Evpn.Core;
using Evpn.Daemon.Hosting;
using Evpn.DataPlane;
using Evpn.DataPlane.InMemory;
using Evpn.DataPlane.Linux;
using Evpn.DataPlane.Linux.Unnumbered;
using Evpn.Session.Speaker;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Daemon.Speaker;

/// <summary>Starts and stops evpnd's parts in order: data plane (adopting what a previous run left), EVPN
/// core, BGP speaker with its peers; then runs the speaker loop and feeds it data-plane events and timer
/// ticks. On stop: a Cease to every peer, or (graceful-restart stop) a silent close that leaves the kernel
/// entries and lets peers keep our routes for the restart time (RFC 4724 section 4.2).</summary>
/// <remarks>If the speaker loop, or a task feeding it, fails, evpnd stops with exit code 1 (systemd restarts it):
/// sessions are closed without NOTIFICATION and kernel entries stay, as in a graceful-restart stop, so peers
/// keep our routes and the next evpnd adopts the entries. Under systemd the loop itself sends the watchdog
/// pings and the status line (<see cref="NotifySystemdAsync"/>), so a loop that is stuck stops the pings.</remarks>
/// <param name="stopDaemon">Stops evpnd (after a failure of the loop).</param>
public sealed class SpeakerService(DaemonState state, ILoggerFactory loggers, TimeProvider time, Action stopDaemon) : IAsyncDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CeaseGrace = TimeSpan.FromSeconds(2);

    /// <summary>How often the status line is refreshed when systemd's watchdog is off.</summary>
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    private static readonly Meter Meter = new("Evpn.Daemon.Loop");
    private static readonly Histogram<double> LoopDelay = Meter.CreateHistogram<double>("evpn.speaker.loop.delay.seconds", unit: "s",
        description: "How long the speaker loop took to run its once-a-second tick after it was due (the loop's backlog)");

    private readonly ILogger _log = loggers.CreateLogger("evpnd");
    private readonly CancellationTokenSource _stop = new();
    private IDataPlane? _dataPlane;
    private IntentWriter? _writer;
    private MrtDump? _dump;
    private BgpSpeaker? _bgp;
    private LinkLocalDiscovery? _discovery;
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = state.Config;
        _dataPlane = CreateDataPlane(config);
        await _dataPlane.StartAsync(cancellationToken).ConfigureAwait(false);
        var adopted = await _dataPlane.ReadInstalledAsync(cancellationToken).ConfigureAwait(false);
        var adoptedAny = adopted.Fdb.Count + adopted.Flood.Count + adopted.Neighbors.Count > 0;
        if (adoptedAny)
        {
            _log.LogInformation("adopted {Fdb} FDB, {Flood} flood and {Neighbors} neighbor entries from a previous run as stale; "
                + "they keep forwarding until peers have re-sent their routes", adopted.Fdb.Count, adopted.Flood.Count, adopted.Neighbors.Count);
        }
        var restartingWith = RestartingWith(config, adoptedAny);

        _writer = new IntentWriter(_dataPlane, loggers.CreateLogger("evpnd.dataplane"));
        var core = new EvpnCore(OptionsMapping.Core(config), time);
        _dump = new MrtDump(config.MrtDump, loggers.CreateLogger("evpnd.mrt"));
        var evpn = new EvpnSpeaker(config, core, _writer, _dump, loggers.CreateLogger("evpnd.speaker"));
        _bgp = new BgpSpeaker(OptionsMapping.Speaker(config, restartingWith), evpn, time, loggers.CreateLogger("evpnd.bgp"));
        foreach (var peer in OptionsMapping.Peers(config))
        {
            _bgp.AddPeer(peer);
        }
        foreach (var template in OptionsMapping.InterfacePeers(config))
        {
            _bgp.AddInterfaceNeighbor(template);
        }
        _discovery = InterfaceDiscovery.Start(config, loggers.CreateLogger("evpnd.unnumbered"), time);
        state.Attach(evpn, _bgp, _writer, _dataPlane);
        _log.LogInformation("evpnd started: AS {Asn}, router-id {RouterId}, VTEP {Vtep}, listening on {Listen}, {Peers} neighbors, data plane {DataPlane}",
            config.Router.Asn, config.Router.RouterId, config.Router.LocalVtep, _bgp.ListenEndPoint, config.Neighbors.Count, config.DataPlane.Kind);

        var token = _stop.Token;
        Task[] parts =
        [
            _bgp.RunAsync(token),
            PumpDataPlaneEventsAsync(_dataPlane, _bgp, evpn, token),
            TickAsync(_bgp, evpn, token),
            NotifySystemdAsync(_bgp, evpn, token),
            InterfaceDiscovery.RunAsync(_discovery, _bgp, token),
        ];
        _running = Task.WhenAll(parts);
        _ = WatchAsync(parts);
    }

    /// <summary>The first of <paramref name="parts"/> to fail stops evpnd with exit code 1; parts end normally only
    /// when evpnd stops.</summary>
    private async Task WatchAsync(Task[] parts)
    {
        var left = parts.ToList();
        while (left.Count > 0)
        {
            var ended = await Task.WhenAny(left).ConfigureAwait(false);
            left.Remove(ended);
            if (ended.Exception?.InnerException is not { } fault)
            {
                continue;
            }
            state.Fail(fault);
            _log.LogCritical(fault, "the speaker loop failed: {Error}. evpnd stops with exit code 1 so that systemd restarts it; sessions close "
                + "without NOTIFICATION (graceful-restart peers keep our routes) and kernel entries stay, to be adopted on restart", fault.Message);
            SystemdNotify.Send($"STATUS=speaker loop failed: {fault.GetType().Name}: {fault.Message}");
            stopDaemon();
            return;
        }
    }

    /// <summary>RFC 4724 section 4.1: a start is a restart, with the Restart State bit and selection deferral, after a
    /// graceful stop within the restart time (peers still hold our routes), or with kernel entries adopted. Null on a
    /// fresh start; otherwise the dynamic neighbors that the deferral waits for as well.</summary>
    private ImmutableArray<PeerAddress>? RestartingWith(EvpnConfig config, bool adoptedAny)
    {
        var gracefulRestart = config.Router.GracefulRestart;
        var stop = GracefulStopRecord.Take(GracefulStopRecord.PathFor(config), time.GetUtcNow(), gracefulRestart.RestartTime, _log);
        if (stop is { } peers && gracefulRestart.Enabled)
        {
            _log.LogInformation("restarting after a graceful stop: route selection waits for End-of-RIB from every peer, "
                + "{Dynamic} dynamic neighbors of the previous run included", peers.Length);
            return peers;
        }
        return adoptedAny ? [] : null;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // After a failure nothing runs on the loop any more: DisposeAsync closes the sessions silently.
        if (state.Fault is null && _bgp is { } bgp)
        {
            if (state.Config.Router.GracefulRestart.OnStop == GracefulStopMode.Notify)
            {
                await bgp.InvokeAsync(s =>
                {
                    // RFC 8538 section 5: a Hard Reset where the N bit was negotiated, so that graceful-restart
                    // peers drop our routes now instead of keeping them stale for the restart time.
                    foreach (var peer in s.Peers.ToList())
                    {
                        s.Shutdown(peer, "evpnd is stopping", hardReset: true);
                    }
                }).WaitAsync(CeaseGrace, cancellationToken).ConfigureAwait(false);
                // Let the write loops put the NOTIFICATIONs on the wire.
                await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var dynamicPeers = await bgp.InvokeAsync(s => s.GracefulDynamicPeers()).WaitAsync(CeaseGrace, cancellationToken).ConfigureAwait(false);
                GracefulStopRecord.Write(GracefulStopRecord.PathFor(state.Config), time.GetUtcNow(), dynamicPeers, _log);
                _log.LogInformation("graceful-restart stop: sessions closed without NOTIFICATION, kernel entries left in place");
            }
        }
        else if (state.Fault is not null)
        {
            // The sessions close silently as in a graceful stop, but the failed loop cannot say which dynamic
            // neighbors were up: the record names none.
            GracefulStopRecord.Write(GracefulStopRecord.PathFor(state.Config), time.GetUtcNow(), [], _log);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (Exception) when (state.Fault is not null)
        {
            // Logged by WatchAsync.
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_bgp is not null)
        {
            await _bgp.DisposeAsync().ConfigureAwait(false);
            _bgp = null;
        }
        if (_discovery is not null)
        {
            await _discovery.DisposeAsync().ConfigureAwait(false);
            _discovery = null;
        }
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
        if (_dataPlane is not null)
        {
            await _dataPlane.DisposeAsync().ConfigureAwait(false);
            _dataPlane = null;
        }
        _dump?.Dispose();
        _dump = null;
        _stop.Dispose();
    }

    private IDataPlane CreateDataPlane(EvpnConfig config)
    {
        var configured = OptionsMapping.ConfiguredVnis(config);
        if (config.DataPlane.Kind == DataPlaneKind.Linux)
        {
            return new LinuxDataPlane(new LinuxDataPlaneOptions
            {
                NetworkNamespace = config.DataPlane.Namespace,
                ConfiguredVnis = configured,
                ArpNdSuppression = config.DataPlane.ArpSuppression && config.Evpn.ArpNdSuppression,
                FdbNexthops = config.DataPlane.FdbNexthops,
            }, loggers.CreateLogger<LinuxDataPlane>(), time);
        }
        // Without a kernel, the configured VNIs are the devices: each exists, up, behind the local VTEP.
        var memory = new InMemoryDataPlane(new InMemoryDataPlaneOptions(ConfiguredVnis: configured), time);
        foreach (var vni in config.Evpn.Vnis)
        {
            memory.AddVni(MemoryVni(config, vni));
        }
        return memory;
    }

    /// <summary>The device the in-memory data plane shows for a configured VNI; the bridge is its SVI, where
    /// neighbor (ARP/ND suppression) entries go.</summary>
    internal static VniInfo MemoryVni(EvpnConfig config, VniOptions vni) =>
        new(vni.Vni, vni.VxlanDevice ?? $"vxlan{vni.Vni}", vni.Bridge ?? $"br{vni.Vni}", config.Router.LocalVtep, 4789, Learning: false,
            Svi: vni.Bridge ?? $"br{vni.Vni}");

    /// <summary>Moves data-plane events onto the speaker loop, as many per loop turn as are waiting.</summary>
    private static async Task PumpDataPlaneEventsAsync(IDataPlane dataPlane, BgpSpeaker bgp, EvpnSpeaker evpn, CancellationToken cancellationToken)
    {
        var reader = dataPlane.Events;
        var batch = new List<DataPlaneEvent>();
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (batch.Count < 4096 && reader.TryRead(out var e))
                {
                    batch.Add(e);
                }
                var events = batch.ToArray();
                batch.Clear();
                await bgp.InvokeAsync(s => evpn.OnDataPlaneEvents(s, events)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task TickAsync(BgpSpeaker bgp, EvpnSpeaker evpn, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var due = time.GetTimestamp();
                await bgp.InvokeAsync(s =>
                {
                    LoopDelay.Record(time.GetElapsedTime(due).TotalSeconds);
                    evpn.Tick(s);
                }).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>sd_notify from the speaker loop: <c>WATCHDOG=1</c> every half of systemd's WatchdogSec, and the
    /// status line (<c>systemctl status evpnd</c>) when it changed. Each ping is an input the loop runs, and the
    /// next is not posted before it ran, so a stuck loop stops the pings and systemd restarts evpnd.</summary>
    private async Task NotifySystemdAsync(BgpSpeaker bgp, EvpnSpeaker evpn, CancellationToken cancellationToken)
    {
        if (!SystemdNotify.IsAvailable)
        {
            return;
        }
        var watchdog = SystemdNotify.WatchdogTimeout();
        using var timer = new PeriodicTimer(watchdog is { } timeout ? timeout / 2 : StatusInterval, time);
        string? shown = null;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await bgp.InvokeAsync(_ =>
                {
                    var status = Status(bgp, evpn);
                    var message = watchdog is null ? null : "WATCHDOG=1";
                    if (status != shown)
                    {
                        message = message is null ? $"STATUS={status}" : $"{message}\nSTATUS={status}";
                        shown = status;
                    }
                    if (message is not null)
                    {
                        SystemdNotify.Send(message);
                    }
                }).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>The status line: sessions established of all peers, and the EVPN routes held.</summary>
    private static string Status(BgpSpeaker bgp, EvpnSpeaker evpn)
    {
        var peers = bgp.Peers;
        var established = peers.Count(p => p.State == Session.Fsm.BgpState.Established);
        return $"{established} of {peers.Count} sessions established, {evpn.RouteCount} EVPN routes";
    }
}
