using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Evpn.Api;
using Evpn.LoadGen;
using Evpn.Testing.EndToEnd;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>Management and metrics clients cannot starve the speaker loop: 200 clients reading a 100k-route table
/// over the socket at once (and scrapers on the metrics port) while a session with hold time 9 s must stay
/// Established for well over two hold times and a second 100k-route load from that peer must converge. Requests
/// beyond the API's limit are refused with 503 and a sentence saying why; the answers that are given are complete.</summary>
[Collection(EvpndCollection.Name)]
public sealed class ManagementLoadTests
{
    private const int Routes = 100_000;
    private const int Clients = 200;
    private const int Scrapers = 20;
    private const int Vnis = 10;

    /// <summary>The storm lasts at least this long: almost three hold times of 9 s.</summary>
    private static readonly TimeSpan MinimumStorm = TimeSpan.FromSeconds(25);

    /// <summary>Whole tables the clients must have read before the storm ends (the first ones evpnd streams at once).</summary>
    private const int CompleteTables = 4;

    /// <summary>The whole test, start to end.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(6);

    [RequiresFact(Requirement.Root)]
    public async Task Two_hundred_clients_reading_the_routes_starve_neither_a_session_nor_a_table_load()
    {
        using var limit = new CancellationTokenSource(Limit);
        var ct = limit.Token;
        using var folder = new TempFolder();
        var address = LoopbackAddresses.Next();
        var socket = folder.File("evpnd.sock");
        File.WriteAllText(folder.File("evpnd.yaml"), Config(address, socket));
        await using var evpnd = EvpndProcess.Start("load", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);

        var options = new LoadOptions
        {
            Peer = IpAddr.Parse(address), LocalAsn = 65100, RtAsn = 65001, Routes = Routes, Vnis = Vnis, Vteps = 4,
            MacIpFraction = 0, HoldTime = 9, Seed = 1,
        };
        await using var peer = await BgpConnection.EstablishAsync(options, TimeSpan.FromSeconds(30), ct);
        var encoding = new RouteEncoding(options, external: true);
        await peer.SendAsync(encoding.Announcements(LoadPlan.Build(options).Initial, withType3: true, peer.Context), ct);
        var firstTable = Routes + options.Type3Count;
        await WaitForPrefixesAsync(socket, firstTable, evpnd, ct);

        using var storm = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var outcome = new Outcome();
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => ReadRoutesAsync(socket, firstTable, outcome, storm.Token), ct))
            .Concat(Enumerable.Range(0, Scrapers).Select(_ => Task.Run(() => ScrapeAsync($"http://{address}:9181/metrics", outcome, storm.Token), ct)))
            .ToList();
        var stormStart = Stopwatch.StartNew();

        // A second table from the same peer while the clients read: it must converge, and the session stay up.
        var second = options with { Seed = 2 };
        await peer.SendAsync(new RouteEncoding(second, external: true).Announcements(LoadPlan.Build(second).Initial, withType3: false, peer.Context), ct);
        await WaitForPrefixesAsync(socket, firstTable + Routes, evpnd, ct);
        var converged = stormStart.Elapsed;
        // The storm goes on for almost three hold times, and until the first clients have their whole table.
        await Eventually.UntilAsync(() => Task.FromResult(stormStart.Elapsed >= MinimumStorm && outcome.Complete >= CompleteTables),
            $"{CompleteTables} complete tables", () => $"{outcome.Complete} complete, {outcome.Busy} refused\n{evpnd.Describe()}", TimeSpan.FromMinutes(3));
        var established = await NeighborAsync(socket, ct);
        await storm.CancelAsync();
        await Task.WhenAll(clients);

        Assert.True(peer.ClosedReason is null, $"the session went down: {peer.ClosedReason}\n{evpnd.Describe()}");
        Assert.True(established.State == "Established", $"the session is {established.State}\n{evpnd.Describe()}");
        Assert.DoesNotContain("hold timer expired", evpnd.Output);
        Assert.True(outcome.Failures.IsEmpty, "requests failed other than by 503:\n" + string.Join('\n', outcome.Failures.Take(20)));
        Assert.True(outcome.Scrapes > 0, "no scrape of /metrics was answered");
        // A table load converged while 200 clients read; the figure goes to the output for comparison.
        Console.WriteLine($"second 100k load converged {converged.TotalSeconds:0.0} s into the storm; {outcome.Complete} complete tables, " +
                          $"{outcome.Busy} refused as busy, {outcome.Scrapes} scrapes");
        var summary = await Evpnctl.RunAsync(socket, "show", "summary");
        Assert.True(summary.ExitCode == 0, summary.ToString());
    }

    private sealed class Outcome
    {
        private int _complete;
        private int _busy;
        private int _scrapes;

        public ConcurrentQueue<string> Failures { get; } = new();
        public int Complete => Volatile.Read(ref _complete);
        public int Busy => Volatile.Read(ref _busy);
        public int Scrapes => Volatile.Read(ref _scrapes);

        public void Completed() => Interlocked.Increment(ref _complete);
        public void Refused() => Interlocked.Increment(ref _busy);
        public void Scraped() => Interlocked.Increment(ref _scrapes);
    }

    /// <summary>One client: GET /v1/routes again and again, each answer read to its end and its routes counted; a
    /// 503 must say that evpnd is busy, and is retried after the delay it gives.</summary>
    private static async Task ReadRoutesAsync(string socket, int atLeast, Outcome outcome, CancellationToken storm)
    {
        using var http = SocketClient(socket);
        while (!storm.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync(ApiPaths.Routes, HttpCompletionOption.ResponseHeadersRead, storm);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    var message = await response.Content.ReadAsStringAsync(storm);
                    if (!message.StartsWith("evpnd is busy: ", StringComparison.Ordinal) || response.Headers.RetryAfter?.Delta != TimeSpan.FromSeconds(1))
                    {
                        outcome.Failures.Enqueue($"503 without the reason or Retry-After: {message}");
                    }
                    outcome.Refused();
                    await Task.Delay(TimeSpan.FromSeconds(1), storm);
                    continue;
                }
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    outcome.Failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(storm)}");
                    continue;
                }
                var routes = await CountRoutesAsync(response, storm);
                if (routes < atLeast)
                {
                    outcome.Failures.Enqueue($"a table of {routes} routes, fewer than the {atLeast} loaded before");
                }
                outcome.Completed();
            }
            catch (OperationCanceledException) when (storm.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                outcome.Failures.Enqueue($"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    /// <summary>Routes in an indented JSON array: one <c>"type"</c> line per route object.</summary>
    private static async Task<int> CountRoutesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var routes = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            routes += line.StartsWith("    \"type\": ", StringComparison.Ordinal) ? 1 : 0;
        }
        return routes;
    }

    private static async Task ScrapeAsync(string url, Outcome outcome, CancellationToken storm)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (!storm.IsCancellationRequested)
        {
            try
            {
                var page = await http.GetStringAsync(url, storm);
                if (!page.Contains("evpn_bgp_sessions{state=\"Established\"} 1", StringComparison.Ordinal))
                {
                    outcome.Failures.Enqueue("a scrape without the Established session");
                }
                outcome.Scraped();
            }
            catch (OperationCanceledException) when (storm.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                outcome.Failures.Enqueue($"scrape: {e.Message}");
            }
        }
    }

    private static HttpClient SocketClient(string socket) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
            return new NetworkStream(s, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://evpnd"), Timeout = Timeout.InfiniteTimeSpan };

    private static async Task<NeighborSummary> NeighborAsync(string socket, CancellationToken ct)
    {
        using var client = new ManagementClient(socket, TimeSpan.FromSeconds(30));
        return Assert.Single((await client.GetAsync<SummaryDocument>(ApiPaths.Summary, ct)).Peers);
    }

    private static Task WaitForPrefixesAsync(string socket, int prefixes, EvpndProcess evpnd, CancellationToken ct) => Eventually.UntilAsync(async () =>
    {
        ct.ThrowIfCancellationRequested();
        return (await NeighborAsync(socket, ct)).PfxRcd >= prefixes;
    }, $"evpnd to accept {prefixes} routes from the peer", evpnd.Describe, TimeSpan.FromMinutes(2));

    private static string Config(string address, string socket) => $"""
        {DaemonConfig.LoadGeneratorRouter(address)}
        evpn:
          vnis: [{string.Join(", ", Enumerable.Range(1000, Vnis).Select(v => $"{"{"}vni: {v}{"}"}"))}]
        {DaemonConfig.TestServices(address, socket)}

        """;
}
