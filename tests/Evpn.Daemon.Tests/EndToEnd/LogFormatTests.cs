using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>What a running evpnd writes: compact JSON with `logging.format: json`, and syslog priorities on
/// every line when its output is the journal's stream.</summary>
[Collection(EvpndCollection.Name)]
public sealed class LogFormatTests
{
    /// <summary>Under the journal, as systemd runs it: information is priority 6, and after the prefix each line is
    /// one JSON object.</summary>
    [RequiresFact(Requirement.Root)]
    public async Task Json_format_writes_one_compact_json_object_per_line_with_the_structured_fields()
    {
        using var folder = new TempFolder();
        var config = Config(folder);
        var path = folder.File("x.yaml");
        File.WriteAllText(path, config.ToYaml().Replace("  level: information\n", "  level: information\n  format: json\n", StringComparison.Ordinal));
        var journal = folder.File("journal");

        await using var evpnd = EvpndProcess.StartUnderJournal("json", journal, "--config", path);
        await evpnd.WaitForApiAsync(config.SocketPath);
        evpnd.Signal(EvpndProcess.SIGTERM);
        Assert.Equal(0, await evpnd.WaitForExitAsync(Eventually.Deadline));

        var lines = File.ReadAllLines(journal);
        Assert.All(lines, l => Assert.Matches("^<[0-7]>[{]", l));
        var events = lines.Select(l => ParseEvent(l[3..])).ToList();
        Assert.NotEmpty(events);
        Assert.Contains(lines, l => l.StartsWith("<6>", StringComparison.Ordinal) && l.Contains("evpnd started", StringComparison.Ordinal));
        Assert.All(events, e =>
        {
            Assert.True(e.TryGetProperty("@t", out _), e.ToString());
            Assert.True(e.TryGetProperty("@m", out _), e.ToString());
            Assert.True(e.TryGetProperty("@i", out _), e.ToString());
        });
        // A message template's arguments stay fields of their own: the start message's AS is a number.
        Assert.Contains(events, e => e.TryGetProperty("Asn", out var asn) && asn.ValueKind == JsonValueKind.Number && asn.GetUInt32() == config.Asn);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Under_the_journal_every_line_carries_its_syslog_priority_and_a_failure_is_an_error()
    {
        using var folder = new TempFolder();
        var config = Config(folder);
        var path = folder.File("x.yaml");
        File.WriteAllText(path, config.ToYaml());
        using var squatter = new TcpListener(IPAddress.Parse(config.Address), 179);
        squatter.Start();
        var journal = folder.File("journal");

        await using var evpnd = EvpndProcess.StartUnderJournal("journal", journal, "--config", path);

        Assert.Equal(4, await evpnd.WaitForExitAsync(Eventually.Deadline));
        var lines = File.ReadAllLines(journal);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches("^<[0-7]>", l));
        // Logger.Fatal: LOG_CRIT, which `journalctl -p err` (priorities 0-3) shows; every line of its stack trace too.
        Assert.Contains(lines, l => l.StartsWith("<2>", StringComparison.Ordinal) && l.Contains("cannot listen", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("<2>   at ", StringComparison.Ordinal));
    }

    private static DaemonConfig Config(TempFolder folder) =>
        new("x", 65001, LoopbackAddresses.Next(), 65002, LoopbackAddresses.Next(), [100], folder.File("x.sock"));

    private static JsonElement ParseEvent(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"not a JSON object: {line} ({e.Message})");
        }
    }
}
