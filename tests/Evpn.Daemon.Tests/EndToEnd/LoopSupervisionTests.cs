using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>A real evpnd whose speaker loop fails or sticks (made so by <see cref="StartupHook"/>, loaded through
/// DOTNET_STARTUP_HOOKS): a failure ends the process with exit code 1 and closes the sessions silently, so that a
/// graceful-restart peer keeps its routes while systemd restarts evpnd; a stuck loop stops the systemd watchdog
/// pings, which otherwise arrive every half of WATCHDOG_USEC with a status line.</summary>
[Collection(EvpndCollection.Name)]
public sealed class LoopSupervisionTests
{
    private static readonly TimeSpan WatchdogTimeout = TimeSpan.FromSeconds(2);

    [RequiresFact(Requirement.Root)]
    public async Task A_fault_on_the_speaker_loop_ends_evpnd_with_exit_code_1_and_the_peer_keeps_its_routes_as_stale()
    {
        using var folder = new TempFolder();
        var trigger = folder.File("fault");
        await using var pair = await DaemonPair.StartAsync(environmentA: Hook(trigger, "throw"));
        var (a, b) = (pair.A, pair.B);

        File.WriteAllText(trigger, string.Empty);

        Assert.Equal(1, await pair.ProcessA!.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("the speaker loop failed: fault injected into the speaker loop's tick by the test", pair.ProcessA.Output);
        // Closed without NOTIFICATION: B, a graceful-restart helper, keeps A's routes as stale for the restart.
        await Eventually.UntilAsync(async () => (await pair.RoutesAsync(b)).Where(r => r.Source == a.Address) is var kept && kept.Count() == 2 && kept.All(r => r.Stale),
            $"{b.Name} to keep {a.Name}'s routes as stale", pair.Describe);
        Assert.Null((await pair.NeighborAsync(b, a.Address)).LastNotificationReceived);
    }

    [RequiresFact(Requirement.Root)]
    public async Task The_loop_sends_watchdog_pings_every_half_timeout_with_a_status_line_and_stops_when_it_is_stuck()
    {
        using var folder = new TempFolder();
        var trigger = folder.File("stuck");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(folder.File("notify")));
        var environment = new Dictionary<string, string>(Hook(trigger, "block"))
        {
            ["NOTIFY_SOCKET"] = folder.File("notify"),
            ["WATCHDOG_USEC"] = ((long)WatchdogTimeout.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var pair = await DaemonPair.StartAsync(environmentA: environment);

        var pings = new List<TimeSpan>();
        var statuses = new List<string>();
        var ready = false;
        // What evpnd sent while the pair came up waits in the socket: its arrival times say nothing of the period.
        while (notify.Available > 0)
        {
            var queued = await ReceiveAsync(notify, TimeSpan.FromSeconds(1));
            ready |= queued!.Split('\n').Contains("READY=1");
            statuses.AddRange(queued.Split('\n').Where(l => l.StartsWith("STATUS=", StringComparison.Ordinal)).Select(l => l["STATUS=".Length..]));
        }
        var clock = Stopwatch.StartNew();
        while (pings.Count < 6)
        {
            var datagram = await ReceiveAsync(notify, TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"no sd_notify datagram in 10 s\n{pair.Describe()}");
            foreach (var line in datagram.Split('\n'))
            {
                if (line == "WATCHDOG=1")
                {
                    pings.Add(clock.Elapsed);
                }
                else if (line.StartsWith("STATUS=", StringComparison.Ordinal))
                {
                    statuses.Add(line["STATUS=".Length..]);
                }
            }
        }
        var gaps = pings.Zip(pings.Skip(1), (x, y) => (y - x).TotalSeconds).ToList();
        // Half of WATCHDOG_USEC, 1 s; never near the 2 s at which systemd would kill evpnd.
        Assert.All(gaps, g => Assert.InRange(g, 0.5, 1.8));
        Assert.InRange(gaps.Average(), 0.85, 1.3);
        Assert.True(ready, "READY=1 was not sent");
        Assert.Equal("1 of 1 sessions established, 4 EVPN routes", statuses[^1]);

        File.WriteAllText(trigger, string.Empty);

        // The next tick blocks the loop: at most a ping already under way arrives, then none for two timeouts.
        var late = 0;
        while (await ReceiveAsync(notify, 2 * WatchdogTimeout) is { } datagram)
        {
            late += datagram.Split('\n').Count(l => l == "WATCHDOG=1");
            Assert.True(late <= 1, $"watchdog pings go on while the loop is stuck\n{pair.Describe()}");
        }
        Assert.False(pair.ProcessA!.HasExited);
    }

    /// <summary>The test's startup hook in evpnd, armed to <paramref name="fault"/> once <paramref name="trigger"/> exists.</summary>
    private static Dictionary<string, string> Hook(string trigger, string fault) => new()
    {
        ["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location,
        [StartupHook.TriggerVariable] = trigger,
        [StartupHook.FaultVariable] = fault,
    };

    private static async Task<string?> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
