using Evpn.Config.Options;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Evpn.Daemon.Hosting;

/// <summary>Serilog with structured properties (peer, vni, mac stay fields, not text): console always,
/// and a file when the configuration names one; lines of text or compact JSON. Under systemd the console
/// lines carry their syslog priority, so the journal knows errors from information. The minimum level is a
/// switch, so that a reload can change it.</summary>
public static class Logging
{
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.ILogger Create(LoggingOptions options, LoggingLevelSwitch minimum) =>
        Create(options, minimum, JournalStream.IsStandardOutput());

    /// <param name="minimum">The level in force; set it from <c>logging.level</c> with <see cref="Level"/>.</param>
    /// <param name="journal">Standard output is connected to the journal: prefix each line with its priority.</param>
    public static Serilog.ILogger Create(LoggingOptions options, LoggingLevelSwitch minimum, bool journal)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(minimum)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        configuration = (options.Format, journal) switch
        {
            // Colours on a terminal: the console sink's own template rendering.
            (LogFormat.Text, false) => configuration.WriteTo.Console(outputTemplate: Template),
            _ => configuration.WriteTo.Console(journal ? new JournalPriorityFormatter(Formatter(options.Format)) : Formatter(options.Format)),
        };
        if (options.File is { } file)
        {
            configuration = configuration.WriteTo.File(Formatter(options.Format), file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 7);
        }
        return configuration.CreateLogger();
    }

    /// <summary>Text as the template says, or CLEF: one JSON object per event with @t, @m, @mt, @l, @x and the
    /// event's properties as fields.</summary>
    internal static ITextFormatter Formatter(LogFormat format) => format switch
    {
        LogFormat.Json => new RenderedCompactJsonFormatter(),
        _ => new MessageTemplateTextFormatter(Template),
    };

    public static LogEventLevel Level(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
