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
/// second (the same load with and without them, against a fresh evpnd each).</summary>
[Collection(EvpndCollection.Name)]
public sealed partial class UpdateGroupEndToEndTests(ITestOutputHelper output)
{
    private const int Clients = 200;
    private const int Originators = 4;
    private const int SlowClients = 2;
    private const int Routes = 2_000;

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

    /// <summary>One reflected load against a fresh evpnd; checks every reading client's table and the update group,
    /// and returns the time until the last reading client converged.</summary>
    private async Task<double> RunAsync(int slowClients)
    {
        await using var evpnd = await SingleDaemon.StartAsync("groups", LoopbackAddresses.Next(), $"""
              - listen-range: 127.251.0.0/16
                remote-as: {SingleDaemon.Asn}
                route-reflector-client: true
                listen-limit: 1000
            """);
        var options = evpnd.PeerOptions(asn: SingleDaemon.Asn, routes: Routes) with
        {
            Sessions = Clients, Originators = Originators, SlowClients = slowClients, FirstLocal = IpAddr.Parse("127.251.0.1"),
            Vnis = 10, Vteps = 2, TimeoutSeconds = 120,
        };
        var text = new StringWriter();
        await using var run = new ReflectorRun(LoadPlan.Build(options), text);

        var exitCode = await run.RunAsync(CancellationToken.None);

        output.WriteLine(text.ToString());
        Assert.True(exitCode == 0, $"{text}\n{evpnd.Process.Describe()}");
        var total = Routes + options.Type3Count;
        for (var c = 0; c < Clients - slowClients; c++)
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
        Assert.Equal(Clients, groups.Count);
        var group = Assert.Single(groups.DistinctBy(g => g?.Id))!;
        Assert.Equal(Clients, group.Members);
        Assert.Equal("ibgp rr-client as4 extended", group.Shares);
        var series = (await evpnd.MetricsAsync()).Split('\n').Where(l => l.StartsWith("evpn_bgp_update_group_members{", StringComparison.Ordinal)).ToList();
        var members = Assert.Single(series);
        Assert.Contains($"update_group=\"{group.Id}\"", members, StringComparison.Ordinal);
        Assert.EndsWith($" {Clients}", members, StringComparison.Ordinal);

        var last = LastMs().Match(text.ToString());
        Assert.True(last.Success, text.ToString());
        return double.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"event=reflected .* last_ms=([\d.]+)")]
    private static partial Regex LastMs();
}
