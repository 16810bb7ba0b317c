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
/// second (the same load with and without them, against a fresh evpnd each); and after evpnd restarts, every client
/// of a new run ends with exactly the table again.</summary>
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

    /// <summary>A few hundred clients are reflected the table, evpnd restarts with graceful restart (closing the sessions
    /// without a NOTIFICATION on SIGTERM, `on-stop: graceful`), and the same clients, connecting again, are reflected
    /// exactly the same table. evpn-loadgen's clients do not offer graceful restart (RFC 4724) and do not reconnect: a
    /// new run's sessions take the place of the first's, and no client keeps routes across the restart as a helper.</summary>
    [RequiresFact(Requirement.Root)]
    public async Task Every_client_ends_with_the_reflected_table_again_after_the_reflector_restarts()
    {
        await using var evpnd = await StartAsync("groups-restart", "  graceful-restart:\n    on-stop: graceful");

        await using var before = await ReflectAsync(evpnd, RestartClients, slowClients: 0);
        await evpnd.RestartAsync();
        await using var after = await ReflectAsync(evpnd, RestartClients, slowClients: 0);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{RestartClients} clients: last converged after {before.LastMs:F0} ms before the restart, {after.LastMs:F0} ms after"));
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

    /// <summary>A reflected run and the time its last reading client converged; disposing it closes its sessions.</summary>
    private sealed record Reflected(ReflectorRun Run, double LastMs) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Run.DisposeAsync();
    }

    /// <summary>Reflects one load through <paramref name="evpnd"/> to <paramref name="clients"/> sessions; checks every
    /// reading client's table and the update group. The sessions stay up until the result is disposed.</summary>
    private async Task<Reflected> ReflectAsync(SingleDaemon evpnd, int clients, int slowClients)
    {
        var options = evpnd.PeerOptions(asn: SingleDaemon.Asn, routes: Routes) with
        {
            Sessions = clients, Originators = Originators, SlowClients = slowClients, FirstLocal = IpAddr.Parse("127.251.0.1"),
            Vnis = 10, Vteps = 2, TimeoutSeconds = 120,
        };
        var text = new StringWriter();
        var run = new ReflectorRun(LoadPlan.Build(options), text);
        try
        {
            var last = await CheckAsync(evpnd, run, options, text, clients, slowClients);
            return new Reflected(run, last);
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    private async Task<double> CheckAsync(SingleDaemon evpnd, ReflectorRun run, LoadOptions options, StringWriter text, int clients, int slowClients)
    {
        var exitCode = await run.RunAsync(CancellationToken.None);

        output.WriteLine(text.ToString());
        Assert.True(exitCode == 0, $"{text}\n{evpnd.Process.Describe()}");
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

        var last = LastMs().Match(text.ToString());
        Assert.True(last.Success, text.ToString());
        return double.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"event=reflected .* last_ms=([\d.]+)")]
    private static partial Regex LastMs();
}
