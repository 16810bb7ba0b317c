using Evpn.Config.Loading;
using System.Runtime.Versioning;
using Evpn.Api;
using Evpn.Daemon.Hosting;
using Serilog.Core;

// evpnd programs the Linux kernel over rtnetlink: it runs on Linux only.
[assembly: SupportedOSPlatform("linux")]

namespace Evpn.Daemon;

/// <summary>evpnd: the BGP EVPN control plane for Linux VTEPs.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = CommandLine.Parse(args);
        if (command.ShowVersion)
        {
            await Console.Out.WriteLineAsync(BuildVersion.Line("evpnd"));
            return ExitCodes.Ok;
        }
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

        var minimumLevel = new LoggingLevelSwitch(Logging.Level(loaded.Config.Logging.Level));
        var logger = Logging.Create(loaded.Config.Logging, minimumLevel);
        try
        {
            await using var host = DaemonHost.Build(loaded.Config, command.ConfigPath, logger, minimumLevel);
            await host.RunAsync();
            // A speaker loop that failed stopped the host: exit 1, so that systemd restarts evpnd.
            return host.State.Fault is null ? ExitCodes.Ok : ExitCodes.Failed;
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
}
