using System.Text.Json;
using Evpn.Testing.EndToEnd;
using static Evpn.Testing.EndToEnd.TableText;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>(d) SIGTERM with on-stop notify: a Cease (administrative shutdown, RFC 8203/9003, as an RFC 8538
/// Hard Reset) reaches the peer, which drops our routes and flood entries at once. With on-stop graceful
/// the close is silent and the peer keeps them as stale (RFC 4724 section 4.2).</summary>
[Collection(EvpndCollection.Name)]
public sealed class StopTests
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    [RequiresFact(Requirement.Root)]
    public async Task Sigterm_sends_a_cease_and_the_peer_shows_it_and_drops_the_routes()
    {
        await using var pair = await DaemonPair.StartAsync();
        var (a, b) = (pair.A, pair.B);

        pair.ProcessA!.Signal(EvpndProcess.SIGTERM);

        Assert.Equal(0, await pair.ProcessA.WaitForExitAsync(StopDeadline));
        await Eventually.UntilAsync(async () => (await pair.RoutesAsync(b)).All(r => r.Source != a.Address), $"{b.Name} to drop {a.Name}'s routes", pair.Describe);
        var neighbors = await Evpnctl.RunAsync(b.SocketPath, "show", "neighbors", a.Address);
        Assert.Contains("  Last NOTIFICATION received: NOTIFICATION Cease/9 (hard reset) carrying NOTIFICATION Cease/2 (administrative shutdown) \"evpnd is stopping\"\n",
            neighbors.Output);
        using (var json = JsonDocument.Parse((await Evpnctl.RunAsync(b.SocketPath, "show", "neighbors", a.Address, "--json")).Output))
        {
            Assert.Contains("Cease/2 \"evpnd is stopping\"", json.RootElement.GetProperty("lastNotificationReceived").GetString());
            Assert.NotEqual("Established", json.RootElement.GetProperty("state").GetString());
        }
        var flood = (await Evpnctl.RunAsync(b.SocketPath, "show", "flood")).Output;
        Assert.Equal(["100", "0", "-"], Row(flood, "100"));
        Assert.Equal(["200", "0", "-"], Row(flood, "200"));
        Assert.Contains("Displayed 2 prefixes (2 paths)", (await Evpnctl.RunAsync(b.SocketPath, "show", "routes")).Output);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Sigterm_with_graceful_stop_closes_silently_and_the_peer_keeps_the_routes_as_stale()
    {
        await using var pair = await DaemonPair.StartAsync(onStopA: "graceful");
        var (a, b) = (pair.A, pair.B);
        // Both daemons connect at start, so the session may have come up through a collision (RFC 4271 6.8), whose
        // Cease/7 is then the last NOTIFICATION received: the stop must add none.
        var beforeStop = (await pair.NeighborAsync(b, a.Address)).LastNotificationReceived;

        pair.ProcessA!.Signal(EvpndProcess.SIGTERM);

        Assert.Equal(0, await pair.ProcessA.WaitForExitAsync(StopDeadline));
        await Eventually.UntilAsync(async () => (await pair.RoutesAsync(b)).Where(r => r.Source == a.Address) is var kept && kept.Count() == 2 && kept.All(r => r.Stale),
            $"{b.Name} to keep {a.Name}'s routes as stale", pair.Describe);
        Assert.Equal(beforeStop, (await pair.NeighborAsync(b, a.Address)).LastNotificationReceived);
        var routes = (await Evpnctl.RunAsync(b.SocketPath, "show", "routes")).Output;
        Assert.Equal(2, Rows(routes).Count(r => r.Length > 1 && r[0] == "S*>" && r[1] == $"[3]:[0]:[32]:[{a.Address}]"));
        Assert.Equal(["100", "1", a.Address], Row((await Evpnctl.RunAsync(b.SocketPath, "show", "flood")).Output, "100"));
    }
}
