using System.Threading.Channels;
using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evpn.DataPlane.Linux;

/// <summary>The kernel's VXLAN data plane over rtnetlink, with no `ip`/`bridge` subprocesses.</summary>
/// <remarks>
///   Three netlink sockets, all opened inside <see cref="LinuxDataPlaneOptions.NetworkNamespace"/>: one for
///   programming (batched requests, owned by the writer), one subscribed to link and neighbor notifications
///   and one for the watcher's dumps. The watcher publishes the VNI-to-device map as an immutable snapshot
///   that the writer reads; the writer queues each batch for the watcher before sending it (the watcher does
///   not see notifications of evpnd's own entries). Nothing else is shared between them.
/// </remarks>
public sealed class LinuxDataPlane : IDataPlane
{
    private readonly LinuxDataPlaneOptions _options;
    private readonly ILogger _logger;
    private readonly DataPlaneMetrics _metrics = new();
    private readonly Channel<DataPlaneEvent> _events;
    private readonly NetlinkIntentExecutor _executor;
    private readonly DataPlaneWriter _writer;
    private readonly CancellationTokenSource _stop = new();
    private KernelWatcher? _watcher;
    private Thread? _watching;
    private VniTopology _topology = VniTopology.Empty;

    public LinuxDataPlane(LinuxDataPlaneOptions options, ILogger<LinuxDataPlane>? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger<LinuxDataPlane>.Instance;
        _events = Channel.CreateBounded<DataPlaneEvent>(new BoundedChannelOptions(options.EventQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var socket = NetlinkSocket.Open(options.NetworkNamespace, 0, options.SocketBufferBytes);
        socket.ReceiveTimeout = options.KernelReplyTimeout;
        _executor = new NetlinkIntentExecutor(socket, () => Volatile.Read(ref _topology), options.MaxMessagesPerSend, options.FdbNexthops,
            intents => _watcher?.Installing(intents));
        _writer = new DataPlaneWriter(_executor, new OwnedEntries(), options.Retry, time ?? TimeProvider.System, _metrics, ReportFailures);
    }

    public ChannelReader<DataPlaneEvent> Events => _events.Reader;

    /// <summary>Failed entries waiting for their next attempt.</summary>
    public int PendingRetries => _writer.PendingRetries;

    /// <summary>The VNIs the kernel has now (device present, whether up or not), for `evpnctl show vni`.</summary>
    public IReadOnlyCollection<VniInfo> Vnis => Volatile.Read(ref _topology).ByVni.Values.Select(d => d.Info).ToList();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null)
        {
            throw new InvalidOperationException("the data plane is already started");
        }
        _watcher = new KernelWatcher(_options, _events.Writer, _metrics, _logger, t => Volatile.Write(ref _topology, t), _executor.PortId);
        _watcher.Synchronize();
        // Restart without traffic loss: what a previous run installed stays in the kernel as stale until
        // the core re-installs it or the sweep removes it.
        var adopted = await _writer.WithOwnedAsync(owned =>
        {
            var leftover = _executor.ReadLeftovers(Volatile.Read(ref _topology));
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
            return leftover.Fdb.Count + leftover.Flood.Count + leftover.Neighbors.Count;
        }, cancellationToken).ConfigureAwait(false);
        if (_options.FdbNexthops && !_executor.UsesNexthops)
        {
            _logger.LogWarning("the kernel has no nexthop objects: remote MACs name their VTEP in each FDB entry instead of pointing to a nexthop group");
        }
        if (adopted > 0)
        {
            _logger.LogInformation("adopted {Count} entries left by a previous run as stale", adopted);
        }
        var watcher = _watcher;
        var stop = _stop.Token;
        _watching = new Thread(() => watcher.Run(stop)) { IsBackground = true, Name = "evpn netlink watcher" };
        _watching.Start();
        _writer.StartRetryLoop();
    }

    public Task<ApplyResult> ApplyAsync(IReadOnlyList<DataPlaneIntent> batch, CancellationToken cancellationToken) =>
        _writer.ApplyAsync(batch, cancellationToken);

    /// <summary>Makes the next attempt for failed entries whose backoff has elapsed (the background loop does
    /// this on its own; exposed for tests and for `evpnctl` to force it).</summary>
    public Task<ApplyResult> RetryDueAsync(CancellationToken cancellationToken) => _writer.RetryDueAsync(cancellationToken);

    public async Task<int> SweepStaleAsync(CancellationToken cancellationToken)
    {
        var swept = await _writer.SweepStaleAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("swept {Count} stale entries", swept);
        return swept;
    }

    public Task<DataPlaneState> ReadIntendedAsync(CancellationToken cancellationToken) => _writer.ReadIntendedAsync(cancellationToken);

    public Task<DataPlaneState> ReadInstalledAsync(CancellationToken cancellationToken) =>
        _writer.WithOwnedAsync(_ => _executor.ReadInstalled(Volatile.Read(ref _topology)), cancellationToken);

    /// <summary>One warning per batch (by error and kind, with an example), each entry at debug level.</summary>
    private void ReportFailures(IReadOnlyList<IntentFailure> failures)
    {
        foreach (var group in failures.GroupBy(f => (f.ErrorCode, Kind: f.Intent.Kind(), f.WillRetry)))
        {
            var first = group.First();
            _logger.LogWarning("data plane: {Count} {Kind} entries failed: {Message} (errno {Errno}, will retry {WillRetry}); first: {Intent}",
                group.Count(), group.Key.Kind, first.Message, group.Key.ErrorCode, group.Key.WillRetry, first.Intent);
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var failure in failures)
            {
                _logger.LogDebug("data plane {Kind} vni {Vni} failed: {Message} (errno {Errno}, will retry {WillRetry}): {Intent}",
                    failure.Intent.Kind(), failure.Intent.Vni(), failure.Message, failure.ErrorCode, failure.WillRetry, failure.Intent);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _events.Writer.TryComplete();
        _watching?.Join();
        _watcher?.Dispose();
        await _writer.DisposeAsync().ConfigureAwait(false);
        _executor.Dispose();
        _metrics.Dispose();
        _stop.Dispose();
    }
}
