using System.Diagnostics;
using System.Net;
using Evpn.Api;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>The management API answers only on its Unix socket, whose group and mode are its access control; the
/// metrics port (TCP, reachable by any local user) serves GET /metrics and /healthz and 404 for everything else,
/// reads and actions alike. Needs root (groupadd).</summary>
[Collection(EvpndCollection.Name)]
public sealed class ManagementAccessTests
{
    [RequiresFact(Requirement.Root)]
    public async Task Management_paths_are_refused_on_the_metrics_port_and_served_on_the_socket_with_its_group()
    {
        using var folder = new TempFolder();
        var address = LoopbackAddresses.Next();
        var neighbor = LoopbackAddresses.Next();
        var socket = folder.File("run/evpnd.sock");
        var metrics = $"http://{address}:9181";
        using var group = TemporaryGroup.Create();
        File.WriteAllText(folder.File("evpnd.yaml"), $"""
            router:
              asn: 65001
              local-vtep: {address}
              listen-address: {address}
            neighbors:
              - address: {neighbor}
                remote-as: 65002
                passive: true
            evpn:
              vnis: [{"{"}vni: 100{"}"}]
            data-plane:
              kind: memory
            management:
              socket: {socket}
              socket-group: {group.Name}
            metrics:
              address: {address}:9181
            logging:
              level: information

            """);
        await using var evpnd = EvpndProcess.Start("access", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);

        // The socket (and the folder evpnd made for it) belong to the group: its members may use evpnctl.
        Assert.Equal($"{group.Name} 660", await StatAsync(socket));
        Assert.Equal($"{group.Name} 750", await StatAsync(Path.GetDirectoryName(socket)!));

        using var http = new HttpClient { BaseAddress = new Uri(metrics), Timeout = TimeSpan.FromSeconds(10) };
        var refused = new List<string>();
        foreach (var (method, path) in ManagementRequests(neighbor))
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, path));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.NotFound || body.Length != 0)
            {
                refused.Add($"{method} {path}: {(int)response.StatusCode} {body}");
            }
        }
        Assert.True(refused.Count == 0, "answered on the metrics port:\n" + string.Join('\n', refused));

        using (var scrape = await http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Contains("\nevpn_bgp_sessions{state=", await scrape.Content.ReadAsStringAsync());
        }
        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));

        // Nothing the TCP requests asked for happened: the neighbor is not shut down, no reload ran.
        var neighbors = await Evpnctl.RunAsync(socket, "show", "neighbors", neighbor);
        Assert.True(neighbors.ExitCode == 0, neighbors.ToString());
        Assert.Contains($"BGP neighbor is {neighbor}", neighbors.Output);
        Assert.DoesNotContain("Idle (Admin)", neighbors.Output);
        Assert.DoesNotContain("reload", evpnd.Output, StringComparison.OrdinalIgnoreCase);

        // The same actions over the socket do happen.
        var shutdown = await Evpnctl.RunAsync(socket, "neighbor", neighbor, "shutdown");
        Assert.True(shutdown.ExitCode == 0, shutdown.ToString());
        Assert.Contains("BGP state = Idle (Admin)", (await Evpnctl.RunAsync(socket, "show", "neighbors", neighbor)).Output);
        var reload = await Evpnctl.RunAsync(socket, "reload");
        Assert.True(reload.ExitCode == 0, reload.ToString());
        var summary = await Evpnctl.RunAsync(socket, "show", "summary");
        Assert.True(summary.ExitCode == 0, summary.ToString());
    }

    /// <summary>Every path of the management API with its method, and the other method for good measure.</summary>
    private static IEnumerable<(HttpMethod Method, string Path)> ManagementRequests(string neighbor)
    {
        string[] reads =
        [
            ApiPaths.Summary, ApiPaths.Neighbors, ApiPaths.Neighbor(neighbor), ApiPaths.Routes, ApiPaths.Vnis, ApiPaths.Macs,
            ApiPaths.Flood, $"{ApiPaths.Explain}?mac=52:54:00:00:00:01", ApiPaths.Audit,
        ];
        string[] actions =
        [
            ApiPaths.Reload, ApiPaths.NeighborAction(neighbor, "shutdown"), ApiPaths.NeighborAction(neighbor, "enable"),
            ApiPaths.NeighborAction(neighbor, "clear"), ApiPaths.NeighborAction(neighbor, "clear") + "?soft=true",
            ApiPaths.ClearDuplicates, $"{ApiPaths.ClearDuplicates}?vni=100&mac=52:54:00:00:00:01",
        ];
        return reads.Select(p => (HttpMethod.Get, p)).Concat(reads.Select(p => (HttpMethod.Post, p)))
            .Concat(actions.Select(p => (HttpMethod.Post, p))).Concat(actions.Select(p => (HttpMethod.Get, p)))
            .Append((HttpMethod.Post, "/metrics")).Append((HttpMethod.Delete, "/metrics")).Append((HttpMethod.Get, "/"));
    }

    private static async Task<string> StatAsync(string path) => (await RunAsync("stat", "-c", "%G %a", path)).Trim();

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}: {await error}");
        }
        return await output;
    }

    /// <summary>A system group made for one test (groupadd) and removed after it (groupdel), also when it fails.</summary>
    private sealed class TemporaryGroup : IDisposable
    {
        private TemporaryGroup(string name) => Name = name;

        public string Name { get; }

        public static TemporaryGroup Create()
        {
            var name = $"evpnt{Environment.ProcessId}";
            RunAsync("groupadd", "--system", name).GetAwaiter().GetResult();
            return new TemporaryGroup(name);
        }

        public void Dispose() => RunAsync("groupdel", Name).GetAwaiter().GetResult();
    }
}
