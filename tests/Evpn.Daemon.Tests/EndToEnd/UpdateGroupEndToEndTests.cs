using System.Globalization;
using System.Text.RegularExpressions;
using Evpn.Api;
using Evpn.LoadGen;
using Evpn.Wire.Model;
using Xunit.Abstractions;

namespace Evpn.Testing.EndToEnd;

/// <summary>evpnd reflecting to a few hundred real client sessions (evpn-loadgen) of one update group: every client
/// ends with exactly the reflected table (ORIGINATOR_ID, CLUSTER_LIST, none of its own routes back), `show neighbors`
/// and the metrics put them all in one group, and clients that stop reading do not delay the others by more than a
/// second (the same load with and without them, against a fresh evpnd each); and clients with graceful restart lose
/// no route to a restart of evpnd and end with exactly the table again.</summary>
[Collection(EvpndCollection.Name)]
public sealed partial class UpdateGroupEndToEndTests(ITestOutputHelper output)
{
    private const int Clients = 200;
    private const int Originators = 4;
    private const int SlowClients = 2;
    private const int Routes = 2_000;
    private const int RestartClients = 300;

    [RequiresFact(Requirement.Root)]
    public async Task Every_client_ends_with_the_reflected_table_and_clients_that_stop_reading_delay_the_others_by_under_a_second()
    {
        var alone = await RunAsync(slowClients: 0);
        var withSlow = await RunAsync(slowClients: SlowClients);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"last client converged after {alone:F0} ms without slow clients, {withSlow:F0} ms with {SlowClients} that stop reading"));
        Assert.True(withSlow <= alone + 1000,
            $"with {SlowClients} clients that stop reading the last of the others converged after {withSlow:F0} ms, without them after {alone:F0} ms");
    }

    /// <summary>A few hundred clients that offer graceful restart (RFC 4724) are reflected the table; evpnd restarts
    /// (closing the sessions without a NOTIFICATION on SIGTERM, `on-stop: graceful`); the clients keep their routes as
    /// stale, connect again, and the originators send their ranges again. Every client ends with exactly the table
    /// and lost no route to the restart: evpnd, restarting, sent its End-of-RIB only once it had every route again.</summary>
    [RequiresFact(Requirement.Root)]
    public async Task Graceful_restart_clients_lose_no_route_to_a_reflector_restart_and_end_with_the_table_again()
    {
        await using var evpnd = await StartAsync("groups-restart", "  graceful-restart:\n    on-stop: graceful");
        await using var reflected = await ReflectAsync(evpnd, RestartClients, slowClients: 0, gracefulRestart: true);

        await evpnd.RestartAsync();
        var exitCode = await reflected.Run.RestartAsync(CancellationToken.None);

        output.WriteLine(reflected.Text.ToString());
        Assert.True(exitCode == 0, $"{reflected.Text}\n{evpnd.Process.Describe()}");
        Assert.Matches($@"event=restarted converged={RestartClients}/{RestartClients} .* stale_purged=0 notified_on_close=0 restart_state={RestartClients}/{RestartClients} ", reflected.Text.ToString());
        CheckTables(reflected.Run, reflected.Options, RestartClients, slowClients: 0);
        Assert.All(reflected.Run.Views, v => Assert.Equal(0, v.StalePurged));
        await CheckGroupAsync(evpnd, RestartClients);
    }

    /// <summary>One reflected load against a fresh evpnd; returns the time until the last reading client converged.</summary>
    private async Task<double> RunAsync(int slowClients)
    {
        await using var evpnd = await StartAsync("groups");
        await using var run = await ReflectAsync(evpnd, Clients, slowClients);
        return run.LastMs;
    }

    private static Task<SingleDaemon> StartAsync(string name, string router = "") =>
        SingleDaemon.StartAsync(name, LoopbackAddresses.Next(), $"""
              - listen-range: 127.251.0.0/16
                remote-as: {SingleDaemon.Asn}
                route-reflector-client: true
                listen-limit: 1000
            """, router);

    /// <summary>A reflected run, its output and the time its last reading client converged; disposing it closes its
    /// sessions.</summary>
    private sealed record Reflected(ReflectorRun Run, LoadOptions Options, StringWriter Text, double LastMs) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Run.DisposeAsync();
    }

    /// <summary>Reflects one load through <paramref name="evpnd"/> to <paramref name="clients"/> sessions; checks every
    /// reading client's table and the update group. The sessions stay up until the result is disposed.</summary>
    private async Task<Reflected> ReflectAsync(SingleDaemon evpnd, int clients, int slowClients, bool gracefulRestart = false)
    {
        var options = evpnd.PeerOptions(asn: SingleDaemon.Asn, routes: Routes) with
        {
            Sessions = clients, Originators = Originators, SlowClients = slowClients, FirstLocal = IpAddr.Parse("127.251.0.1"),
            Vnis = 10, Vteps = 2, TimeoutSeconds = 120, GracefulRestart = gracefulRestart,
        };
        var text = new StringWriter();
        var run = new ReflectorRun(LoadPlan.Build(options), text);
        try
        {
            var exitCode = await run.RunAsync(CancellationToken.None);

            output.WriteLine(text.ToString());
            Assert.True(exitCode == 0, $"{text}\n{evpnd.Process.Describe()}");
            CheckTables(run, options, clients, slowClients);
            await CheckGroupAsync(evpnd, clients);
            var last = LastMs().Match(text.ToString());
            Assert.True(last.Success, text.ToString());
            return new Reflected(run, options, text, double.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every reading client holds exactly the reflected table: every route but its own, with the End-of-RIB.</summary>
    private static void CheckTables(ReflectorRun run, LoadOptions options, int clients, int slowClients)
    {
        var total = Routes + options.Type3Count;
        for (var c = 0; c < clients - slowClients; c++)
        {
            var view = run.Views[c];
            var own = c < Originators ? Routes / Originators + (c == 0 ? options.Type3Count : 0) : 0;
            Assert.Equal(total - own, view.Expected);
            Assert.Equal(view.Expected, view.Held);
            Assert.True(view.HasEndOfRib);
            Assert.Equal(0, view.OwnRoutesBack);
            Assert.Equal(0, view.BadReflectionAttributes);
        }
    }

    /// <summary>`show neighbors` and the metrics put every established client in one update group.</summary>
    private static async Task CheckGroupAsync(SingleDaemon evpnd, int clients)
    {
        using var client = new ManagementClient(evpnd.SocketPath, TimeSpan.FromSeconds(30));
        var neighbors = await client.GetAsync<IReadOnlyList<NeighborDetail>>(ApiPaths.Neighbors);
        var groups = neighbors.Where(n => n.State == "Established").Select(n => n.UpdateGroup).ToList();
        Assert.Equal(clients, groups.Count);
        var group = Assert.Single(groups.DistinctBy(g => g?.Id))!;
        Assert.Equal(clients, group.Members);
        Assert.Equal("ibgp rr-client as4 extended", group.Shares);
        var series = (await evpnd.MetricsAsync()).Split('\n').Where(l => l.StartsWith("evpn_bgp_update_group_members{", StringComparison.Ordinal)).ToList();
        var members = Assert.Single(series);
        Assert.Contains($"update_group=\"{group.Id}\"", members, StringComparison.Ordinal);
        Assert.EndsWith($" {clients}", members, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"event=reflected .* last_ms=([\d.]+)")]
    private static partial Regex LastMs();
}
