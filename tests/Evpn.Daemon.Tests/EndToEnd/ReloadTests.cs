using System.Globalization;
using System.Text.RegularExpressions;
using Evpn.Api;
using Evpn.Testing.EndToEnd;
using static Evpn.Testing.EndToEnd.TableText;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>(b) A reload that adds a VNI keeps the session up and advertises the VNI's type-3 route;
/// (c) a reload of a broken file changes nothing and says why, with line:column.</summary>
[Collection(EvpndCollection.Name)]
public sealed class ReloadTests
{
    private static readonly TimeSpan SettledUptime = TimeSpan.FromSeconds(3);

    [RequiresFact(Requirement.Root)]
    public async Task Reload_adds_a_vni_and_its_type3_reaches_the_peer_without_resetting_the_session()
    {
        await using var pair = await DaemonPair.StartAsync(vnisA: [100, 200], vnisB: [100, 200, 300]);
        var (a, b) = (pair.A, pair.B);
        var before = await SettledAsync(pair);

        pair.Rewrite(a with { Vnis = [100, 200, 300] });
        var reload = await Evpnctl.RunAsync(a.SocketPath, "reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.Equal($"reloaded {pair.ConfigPath(a)}\n  vni 300: added\n", reload.Output);
        await pair.WaitForType3Async(b, from: a, [300]);
        await Eventually.UntilAsync(async () => Row((await Evpnctl.RunAsync(b.SocketPath, "show", "flood", "--vni", "300")).Output, "300")[2] == a.Address,
            $"{b.Name}'s flood list of VNI 300 to hold {a.Address}", pair.Describe);
        Assert.Equal(["300", "up"], Row((await Evpnctl.RunAsync(a.SocketPath, "show", "vnis")).Output, "300")[..2]);
        await AssertSessionsKeptAsync(pair, before);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_broken_file_changes_nothing_and_the_answer_gives_line_and_column()
    {
        await using var pair = await DaemonPair.StartAsync();
        var (a, b) = (pair.A, pair.B);
        var before = await SettledAsync(pair);

        var broken = (a with { Vnis = [100, 200, 300] }).ToYaml().Replace("{vni: 300}", "{vni: 99999999}", StringComparison.Ordinal);
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("99999999", StringComparison.Ordinal)) + 1;
        File.WriteAllText(pair.ConfigPath(a), broken);
        var reload = await Evpnctl.RunAsync(a.SocketPath, "reload");

        Assert.True(reload.ExitCode == 1, reload.ToString());
        Assert.StartsWith($"reload of {pair.ConfigPath(a)} rejected; nothing changed\n", reload.Output);
        var reason = Regex.Match(reload.Output, @"^  (?<file>\S+\.yaml):(?<line>\d+):(?<column>\d+): (?<message>.+)$", RegexOptions.Multiline);
        Assert.True(reason.Success, reload.ToString());
        Assert.EndsWith("a.yaml", reason.Groups["file"].Value);
        Assert.Equal(line, int.Parse(reason.Groups["line"].Value, CultureInfo.InvariantCulture));
        Assert.Contains("evpn.vnis[2].vni", reason.Groups["message"].Value);

        using (var json = System.Text.Json.JsonDocument.Parse((await Evpnctl.RunAsync(a.SocketPath, "reload", "--json")).Output))
        {
            Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
            Assert.Contains(json.RootElement.GetProperty("details").EnumerateArray(), d => d.GetString()!.Contains($":{line}:", StringComparison.Ordinal));
        }

        // SIGHUP reads the same file: refused the same way, in the log.
        pair.ProcessA!.Signal(EvpndProcess.SIGHUP);
        await Eventually.UntilAsync(() => Task.FromResult(pair.ProcessA.Output.Contains("rejected, nothing changed", StringComparison.Ordinal)),
            "evpnd to log the refused SIGHUP reload", pair.Describe);

        Assert.Equal(["100", "200"], Rows((await Evpnctl.RunAsync(a.SocketPath, "show", "vnis")).Output).Skip(1).TakeWhile(r => r.Length > 0).Select(r => r[0]));
        Assert.Equal(2, (await pair.RoutesAsync(b)).Count(r => r.Source == a.Address));
        await AssertSessionsKeptAsync(pair, before);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Reload_changes_the_log_level_at_once()
    {
        await using var pair = await DaemonPair.StartAsync(vnisA: [100, 200]);
        var a = pair.A;
        pair.Rewrite(a with { LogLevel = "warning" });
        Assert.True((await Evpnctl.RunAsync(a.SocketPath, "reload")).ExitCode == 0);

        // At warning the reloader's own information line is not written; the switch is set before it logs.
        pair.Rewrite(pair.A with { LogLevel = "warning", Vnis = [100, 200, 300] });
        Assert.True((await Evpnctl.RunAsync(a.SocketPath, "reload")).ExitCode == 0);
        pair.Rewrite(pair.A with { LogLevel = "information", Vnis = [100, 200, 300, 400] });
        Assert.True((await Evpnctl.RunAsync(a.SocketPath, "reload")).ExitCode == 0);

        await Eventually.UntilAsync(() => Task.FromResult(pair.ProcessA!.Output.Contains("vni 400: added", StringComparison.Ordinal)),
            "evpnd to log the reload that set information", pair.Describe);
        Assert.DoesNotContain("vni 300: added", pair.ProcessA!.Output, StringComparison.Ordinal);
    }

    /// <summary>Waits until both sessions have been up a few seconds (a reset after this shows as a lower uptime) and returns their
    /// uptimes with the NOTIFICATIONs each side last sent and received (a connection collision at start may have left a Cease/7).</summary>
    private static async Task<Sessions> SettledAsync(DaemonPair pair)
    {
        await Eventually.UntilAsync(async () => (await UptimesAsync(pair)) is var (a, b) && a >= SettledUptime && b >= SettledUptime,
            "both sessions to be up 3 s", pair.Describe);
        return new Sessions(await UptimesAsync(pair), await NotificationsAsync(pair));
    }

    private static async Task<string> NotificationsAsync(DaemonPair pair)
    {
        var a = await pair.NeighborAsync(pair.A, pair.B.Address);
        var b = await pair.NeighborAsync(pair.B, pair.A.Address);
        return $"A sent {a.LastNotificationSent}, received {a.LastNotificationReceived}; B sent {b.LastNotificationSent}, received {b.LastNotificationReceived}";
    }

    private static async Task<(TimeSpan A, TimeSpan B)> UptimesAsync(DaemonPair pair) =>
        (Uptime(await pair.NeighborAsync(pair.A, pair.B.Address)), Uptime(await pair.NeighborAsync(pair.B, pair.A.Address)));

    private static TimeSpan Uptime(NeighborDetail neighbor) =>
        neighbor.State == "Established" ? TimeSpan.ParseExact(neighbor.UpDown, @"hh\:mm\:ss", CultureInfo.InvariantCulture) : TimeSpan.Zero;

    private static async Task AssertSessionsKeptAsync(DaemonPair pair, Sessions before)
    {
        var after = await UptimesAsync(pair);
        Assert.True(after.A >= before.Uptimes.A && after.B >= before.Uptimes.B, $"a session was reset: uptimes {before.Uptimes} before, {after} after\n{pair.Describe()}");
        Assert.Equal(before.Notifications, await NotificationsAsync(pair));
    }

    private sealed record Sessions((TimeSpan A, TimeSpan B) Uptimes, string Notifications);
}
