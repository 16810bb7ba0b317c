using Evpn.Config.Options;
using Evpn.Daemon.Hosting;
using Serilog.Events;
using Serilog.Parsing;

namespace Evpn.Daemon.Tests.Hosting;

public sealed class JournalPriorityFormatterTests
{
    [Theory]
    [InlineData(LogEventLevel.Fatal, "<2>")]
    [InlineData(LogEventLevel.Error, "<3>")]
    [InlineData(LogEventLevel.Warning, "<4>")]
    [InlineData(LogEventLevel.Information, "<6>")]
    [InlineData(LogEventLevel.Debug, "<7>")]
    [InlineData(LogEventLevel.Verbose, "<7>")]
    public void Each_level_gets_its_syslog_priority(LogEventLevel level, string prefix)
    {
        var text = Render(Event(level, null), LogFormat.Text);

        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        Assert.EndsWith("peer 10.0.0.2 down\n", text, StringComparison.Ordinal);
    }

    /// <summary>journald files each line on its own: an exception's stack lines must be errors too.</summary>
    [Fact]
    public void Every_line_of_a_multi_line_event_carries_the_prefix()
    {
        Exception exception;
        try
        {
            throw new InvalidOperationException("first line\nsecond line");
        }
        catch (InvalidOperationException e)
        {
            exception = e;
        }

        var lines = Render(Event(LogEventLevel.Error, exception), LogFormat.Text).Split('\n');

        Assert.Equal(string.Empty, lines[^1]);
        Assert.True(lines.Length > 3, string.Join('\n', lines));
        Assert.All(lines[..^1], l => Assert.StartsWith("<3>", l, StringComparison.Ordinal));
    }

    [Fact]
    public void A_json_event_stays_one_line_after_its_prefix()
    {
        var lines = Render(Event(LogEventLevel.Warning, null), LogFormat.Json).Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("<4>{\"@t\":", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"Peer\":\"10.0.0.2\"", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8:123456", 8UL, 123456UL)]
    [InlineData("0:1", 0UL, 1UL)]
    public void Journal_stream_reads_device_and_inode(string value, ulong device, ulong inode) =>
        Assert.Equal((device, inode), JournalStream.Parse(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("8")]
    [InlineData(":5")]
    [InlineData("8:")]
    [InlineData("8:x")]
    [InlineData("-1:5")]
    public void Journal_stream_that_is_not_device_colon_inode_is_none(string? value) => Assert.Null(JournalStream.Parse(value));

    private static string Render(LogEvent logEvent, LogFormat format)
    {
        using var output = new StringWriter();
        new JournalPriorityFormatter(Logging.Formatter(format)).Format(logEvent, output);
        return output.ToString();
    }

    private static LogEvent Event(LogEventLevel level, Exception? exception) =>
        new(DateTimeOffset.UnixEpoch, level, exception, new MessageTemplateParser().Parse("peer {Peer} down"),
            [new LogEventProperty("Peer", new ScalarValue("10.0.0.2"))]);
}
