using Evpn.Config.Options;
using Serilog;
using Serilog.Events;

namespace Evpn.Daemon.Hosting;

/// <summary>Serilog with structured properties (peer, vni, mac stay fields, not text): console always,
/// and a file when the configuration names one.</summary>
public static class Logging
{
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.ILogger Create(LoggingOptions options)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(Level(options.Level))
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: Template);
        if (options.File is { } file)
        {
            configuration = configuration.WriteTo.File(file, outputTemplate: Template, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 7);
        }
        return configuration.CreateLogger();
    }

    private static LogEventLevel Level(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
