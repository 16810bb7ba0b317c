using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Evpn.Config.Options;
using Evpn.Daemon.Management;
using Evpn.Daemon.Metrics;
using Evpn.Daemon.Speaker;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog.Core;
using Serilog.Extensions.Logging;

namespace Evpn.Daemon.Hosting;

/// <summary>evpnd's parts, made here one by one: the speaker, the management API on a Unix socket and Prometheus
/// metrics on a TCP port. One Kestrel, run without a generic host or a service container (each costs memory
/// for as long as evpnd runs), serves both listeners; a request that did not come in on the socket is answered
/// only by the metrics endpoints. Stops on SIGTERM, SIGINT or SIGQUIT, or when the speaker loop fails; SIGHUP
/// reloads the configuration.</summary>
public sealed class DaemonHost : IAsyncDisposable
{
    /// <summary>How long the management API and the speaker have to stop (the speaker's Cease to every peer).</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly SerilogLoggerFactory _loggers;
    private readonly Microsoft.Extensions.Logging.ILogger _log;
    private readonly string _socketPath;
    private readonly uint? _socketGroup;
    private readonly PrometheusExporter _exporter = new(PrometheusExporter.DaemonMeters);
    private readonly SpeakerMetrics _speakerMetrics;
    private readonly SpeakerService _speaker;
    private readonly KestrelServer _server;
    private readonly ManagementApplication _application;
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PosixSignalRegistration> _signals = [];

    private DaemonHost(EvpnConfig config, string configPath, Serilog.ILogger logger, LoggingLevelSwitch minimumLevel)
    {
        _loggers = new SerilogLoggerFactory(logger);
        _log = _loggers.CreateLogger("evpnd");
        var time = TimeProvider.System;
        State = new DaemonState(config, configPath);
        var reloader = new ConfigReloader(State, minimumLevel, _loggers.CreateLogger<ConfigReloader>());
        _speakerMetrics = new SpeakerMetrics(time);
        _speaker = new SpeakerService(State, _loggers, time, Stop);
        var page = new MetricsPage(async ct =>
        {
            await _speakerMetrics.RefreshAsync(State, ct);
            return _exporter.Render();
        }, time);
        _application = new ManagementApplication(new ManagementView(State, reloader), new MetricsEndpoints(page, State));

        _socketPath = config.Management.SocketPath;
        _socketGroup = config.Management.SocketGroup is { } groupName ? UnixGroup.Resolve(groupName) : null;
        PrepareSocketPath(_socketPath, _socketGroup);
        var kestrel = new KestrelServerOptions();
        kestrel.ListenUnixSocket(_socketPath, ManagementSocket.MarkConnections);
        if (config.Metrics.Enabled)
        {
            kestrel.Listen(new IPEndPoint(config.Metrics.Address.ToIPAddress(), config.Metrics.Port),
                new MetricsConnectionLimit(MetricsConnectionLimit.Default).Apply);
        }
        _server = new KestrelServer(Options.Create(kestrel), new SocketTransportFactory(Options.Create(new SocketTransportOptions()), _loggers), _loggers);

        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Stop();
            }));
        }
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _log.LogInformation("SIGHUP: reloading {Path}", configPath);
            _ = ReloadOnSignalAsync(reloader, _log, configPath);
        }));
    }

    public DaemonState State { get; }

    /// <param name="minimumLevel">The switch <paramref name="logger"/> filters by; a reload sets it.</param>
    public static DaemonHost Build(EvpnConfig config, string configPath, Serilog.ILogger logger, LoggingLevelSwitch minimumLevel) =>
        new(config, configPath, logger, minimumLevel);

    /// <summary>Starts the speaker, then the listeners (so the socket answers only once there is a speaker to
    /// ask), tells systemd it is ready, and stops in the reverse order when asked to.</summary>
    public async Task RunAsync()
    {
        await _speaker.StartAsync(CancellationToken.None);
        await _server.StartAsync(_application, CancellationToken.None);
        RestrictSocket(_socketPath, _socketGroup);
        SystemdNotify.Send("READY=1");

        await _stopRequested.Task;
        SystemdNotify.Send("STOPPING=1");
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        await _server.StopAsync(timeout.Token);
        await _speaker.StopAsync(timeout.Token);
    }

    /// <summary>Ends <see cref="RunAsync"/>; a signal or a failed speaker loop calls it.</summary>
    public void Stop() => _stopRequested.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
        _server.Dispose();
        await _speaker.DisposeAsync();
        _speakerMetrics.Dispose();
        _exporter.Dispose();
        _loggers.Dispose();
    }

    /// <summary>A signal has no one to answer: the reloader logs its outcome, and a failure is logged here.</summary>
    private static async Task ReloadOnSignalAsync(ConfigReloader reloader, Microsoft.Extensions.Logging.ILogger log, string configPath)
    {
        try
        {
            await reloader.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.LogError(e, "SIGHUP: reload of {Path} failed: {Message}", configPath, e.Message);
        }
    }

    /// <summary>The socket's folder must exist (made here it is 0750, and given to the socket's group so that its
    /// members can reach the socket); a socket file left by a crashed run is removed (Kestrel cannot bind over
    /// it), but only when nothing answers on it.</summary>
    private static void PrepareSocketPath(string path, uint? group)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            if (group is { } gid)
            {
                UnixGroup.Chown(folder, gid);
            }
        }
        if (File.Exists(path))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"another evpnd answers on {path}", new SocketException((int)SocketError.AddressAlreadyInUse));
            }
            catch (SocketException)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>File permissions are the access control of the management API: owner and group only, the group
    /// being management.socket-group when it is set.</summary>
    private static void RestrictSocket(string path, uint? group)
    {
        if (File.Exists(path))
        {
            if (group is { } gid)
            {
                UnixGroup.Chown(path, gid);
            }
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        }
    }
}
