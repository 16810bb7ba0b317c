using Evpn.Config.Loading;
using System.Runtime.Versioning;
using Evpn.Config.Options;
using Evpn.Daemon.Hosting;
using Evpn.Daemon.Speaker;
using Microsoft.Extensions.DependencyInjection;

// evpnd programs the Linux kernel over rtnetlink: it runs on Linux only.
[assembly: SupportedOSPlatform("linux")]

namespace Evpn.Daemon;

/// <summary>evpnd: the BGP EVPN control plane for Linux VTEPs.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = CommandLine.Parse(args);
        if (command.ShowHelp || command.Error is not null)
        {
            if (command.Error is not null)
            {
                await Console.Error.WriteLineAsync($"evpnd: {command.Error}");
            }
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return command.ShowHelp ? ExitCodes.Ok : ExitCodes.ConfigInvalid;
        }

        var loaded = EvpnConfigLoader.Load(command.ConfigPath);
        if (command.CheckOnly || !loaded.IsValid)
        {
            return ConfigCheck.Report(command.ConfigPath, loaded, Console.Out, Console.Error);
        }

        var logger = Logging.Create(loaded.Config.Logging);
        try
        {
            await RehearseFirstLoadAsync(loaded.Config, logger);
            await using var app = DaemonHost.Build(loaded.Config, command.ConfigPath, logger);
            // Taken before the run: RunAsync disposes the host's services when it returns.
            var state = app.Services.GetRequiredService<DaemonState>();
            await app.RunAsync();
            // A speaker loop that failed stopped the host: exit 1, so that systemd restarts evpnd.
            return state.Fault is null ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (code, message) = ExitCodes.Describe(e);
            logger.Fatal(e, "evpnd cannot run: {Message}", message);
            await Console.Error.WriteLineAsync($"evpnd: {message}");
            return code;
        }
        finally
        {
            (logger as IDisposable)?.Dispose();
        }
    }

    /// <summary>Compiles the table-load path before anything starts (see <see cref="FirstLoadRehearsal"/>): before
    /// the host exists, no metrics listener counts the rehearsal's routes, moves and intents as evpnd's. A failure
    /// costs only that; it is logged and the start goes on.</summary>
    private static async Task RehearseFirstLoadAsync(EvpnConfig config, Serilog.ILogger logger)
    {
        try
        {
            var report = await FirstLoadRehearsal.RunAsync(OptionsMapping.Core(config), kernelEncoding: config.DataPlane.Kind == DataPlaneKind.Linux);
            // The rehearsal's objects are garbage now; collected here they do not wait in the older generations
            // for the first full collection, which would come during the first real table load.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            logger.Information("rehearsed a table load before peering: {Routes} routes, {Intents} data-plane intents, {Requests} netlink requests "
                + "encoded, in {Milliseconds:F0} ms", report.Routes, report.Intents, report.Requests, report.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.Warning(e, "the table-load rehearsal failed; the first table load compiles its code as it goes");
        }
    }
}
