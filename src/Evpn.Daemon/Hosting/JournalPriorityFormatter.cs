using Serilog.Events;
using Serilog.Formatting;

namespace Evpn.Daemon.Hosting;

/// <summary>Prefixes every line of an event with its syslog priority, "&lt;3&gt;" for an error, as
/// sd-daemon(3) describes for programs whose output goes to the journal: journald strips the prefix and
/// files the line at that priority (`journalctl -p err`). Every line of a multi-line event (an exception's
/// stack) gets it, since journald reads each line as an entry of its own.</summary>
public sealed class JournalPriorityFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var rendered = new StringWriter();
        inner.Format(logEvent, rendered);
        var prefix = Prefix(logEvent.Level);
        foreach (var line in rendered.ToString().AsSpan().TrimEnd("\r\n").EnumerateLines())
        {
            output.Write(prefix);
            output.Write(line);
            output.Write('\n');
        }
    }

    /// <summary>syslog(3) priorities: LOG_CRIT 2, LOG_ERR 3, LOG_WARNING 4, LOG_INFO 6, LOG_DEBUG 7.</summary>
    public static string Prefix(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => "<2>",
        LogEventLevel.Error => "<3>",
        LogEventLevel.Warning => "<4>",
        LogEventLevel.Information => "<6>",
        _ => "<7>",
    };
}
