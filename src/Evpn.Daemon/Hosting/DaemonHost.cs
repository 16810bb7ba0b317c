using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Evpn.Config.Options;
using Evpn.Daemon.Management;
using Evpn.Daemon.Metrics;
using Evpn.Daemon.Speaker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;

namespace Evpn.Daemon.Hosting;

/// <summary>The Generic Host (through ASP.NET Core's slim builder, for Kestrel): the speaker as a hosted
/// service, the management API on a Unix socket, and Prometheus metrics on a TCP port. One Kestrel serves both
/// listeners; a request that did not come in on the socket is answered only by the metrics endpoints.</summary>
public static class DaemonHost
{
    /// <param name="minimumLevel">The switch <paramref name="logger"/> filters by; a reload sets it.</param>
    public static WebApplication Build(EvpnConfig config, string configPath, Serilog.ILogger logger, LoggingLevelSwitch minimumLevel)
    {
        // The empty builder: no configuration files or environment variables to read or watch (evpnd's configuration
        // is its YAML file), only Kestrel's core and routing on top of the host.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.AddSerilog(logger, dispose: false);
        // Serilog's switch decides; the host's own default (information) would hide debug and trace.
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
        builder.Services.AddSingleton(minimumLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var socketPath = config.Management.SocketPath;
        uint? socketGroup = config.Management.SocketGroup is { } groupName ? UnixGroup.Resolve(groupName) : null;
        PrepareSocketPath(socketPath, socketGroup);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(socketPath, ManagementSocket.MarkConnections);
            if (config.Metrics.Enabled)
            {
                kestrel.Listen(new IPEndPoint(config.Metrics.Address.ToIPAddress(), config.Metrics.Port),
                    new MetricsConnectionLimit(MetricsConnectionLimit.Default).Apply);
            }
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new DaemonState(config, configPath));
        builder.Services.AddSingleton<ConfigReloader>();
        builder.Services.AddSingleton<IManagementView, ManagementView>();
        builder.Services.AddSingleton(_ => new PrometheusExporter(PrometheusExporter.DaemonMeters));
        builder.Services.AddSingleton<SpeakerMetrics>();
        builder.Services.AddSingleton<SpeakerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpeakerService>());
        builder.Services.ConfigureHttpJsonOptions(ManagementEndpoints.ConfigureJson);
        builder.Services.AddRateLimiter(ApiLimits.Configure);

        var app = builder.Build();
        app.Use(ManagementSocket.OnlyMetricsElsewhere);
        ManagementEndpoints.UseErrorMessages(app);
        app.UseRateLimiter();
        var view = app.Services.GetRequiredService<IManagementView>();
        ManagementEndpoints.Map(app, () => view);
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        var speakerMetrics = app.Services.GetRequiredService<SpeakerMetrics>();
        var state = app.Services.GetRequiredService<DaemonState>();
        var page = new MetricsPage(async ct =>
        {
            await speakerMetrics.RefreshAsync(state, ct);
            return exporter.Render();
        }, app.Services.GetRequiredService<TimeProvider>());
        MetricsEndpoints.Map(app, page, state);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            RestrictSocket(socketPath, socketGroup);
            SystemdNotify.Send("READY=1");
        });
        app.Lifetime.ApplicationStopping.Register(() => SystemdNotify.Send("STOPPING=1"));
        var reloader = app.Services.GetRequiredService<ConfigReloader>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("evpnd");
        var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            log.LogInformation("SIGHUP: reloading {Path}", configPath);
            _ = ReloadOnSignalAsync(reloader, log, configPath);
        });
        app.Lifetime.ApplicationStopped.Register(hangup.Dispose);
        return app;
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
