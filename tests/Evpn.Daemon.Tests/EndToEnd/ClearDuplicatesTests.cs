using System.Globalization;
using Evpn.Api;
using Evpn.LoadGen;
using Evpn.Testing.EndToEnd;
using Evpn.Wire.Model;
using static Evpn.Testing.EndToEnd.TableText;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>RFC 7432 section 15.1 duplicates released by the operator on a running evpnd: a BGP peer (evpn-loadgen's
/// session over loopback) moves two MACs between two VTEPs until evpnd freezes them, then the management API and
/// evpnctl clear them; the in-memory data plane gets the entry of the location that won, the gauge drops.</summary>
[Collection(EvpndCollection.Name)]
public sealed class ClearDuplicatesTests
{
    private const uint Vni = 100;
    private static readonly MacAddress First = MacAddress.Parse("52:54:00:dd:00:01");
    private static readonly MacAddress Second = MacAddress.Parse("52:54:00:dd:00:02");

    [RequiresFact(Requirement.Root)]
    public async Task Frozen_duplicates_are_cleared_through_the_api_and_evpnctl_and_served_where_they_moved()
    {
        using var folder = new TempFolder();
        var address = LoopbackAddresses.Next();
        var socket = folder.File("evpnd.sock");
        var metrics = $"http://{address}:9181/metrics";
        File.WriteAllText(folder.File("evpnd.yaml"), Config(address, socket));
        await using var evpnd = EvpndProcess.Start("dup", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);
        using var client = new ManagementClient(socket, TimeSpan.FromSeconds(10));

        // A peer from 127.0.0.1 (the listen range) plays VTEPs 10.200.0.1 and .2: each MAC goes .1 (seq 0),
        // .2 (1), .1 (2), .2 (3): three moves, the configured maximum.
        var options = new LoadOptions { Peer = IpAddr.Parse(address), LocalAsn = 65100, RtAsn = 65001, Vteps = 2, HoldTime = 9 };
        await using var peer = await BgpConnection.EstablishAsync(options, TimeSpan.FromSeconds(30), CancellationToken.None);
        var flaps = Enumerable.Range(0, 4).SelectMany(i => new[] { First, Second }.Select(mac => new GeneratedRoute(mac, null, Vni, i % 2, (uint)i)));
        await peer.SendAsync(new RouteEncoding(options, external: true).Announcements(flaps, withType3: false, peer.Context), CancellationToken.None);
        await Eventually.UntilAsync(async () => (await MacsAsync(client)).Count(m => m.Duplicate) == 2, "both MACs to be marked duplicate", evpnd.Describe);
        await WaitForDuplicateGaugeAsync(metrics, 2, evpnd);
        // Frozen: the data plane keeps the last good location.
        Assert.Contains($"fdb {First} vni {Vni} dst 10.200.0.1", (await ExplainAsync(client, First)).Kernel);

        var nothing = await client.ClearDuplicatesAsync(200, null);
        Assert.Equal(("no duplicate MACs in VNI 200: nothing cleared", 0), (nothing.Message, nothing.Cleared.Count));

        var cleared = await client.ClearDuplicatesAsync(Vni, First.ToString());

        Assert.Equal("cleared 1 duplicate MAC", cleared.Message);
        var entry = Assert.Single(cleared.Cleared);
        Assert.Equal((Vni, First.ToString(), true), (entry.Vni, entry.Mac, entry.WasFrozen));
        Assert.Equal(("remote", "10.200.0.2", 3u, false), (entry.Now.Type, entry.Now.RemoteVtep, entry.Now.Sequence, entry.Now.Duplicate));
        await Eventually.UntilAsync(async () => (await ExplainAsync(client, First)).Kernel.Contains($"fdb {First} vni {Vni} dst 10.200.0.2"),
            "the cleared MAC's FDB entry to point at 10.200.0.2", evpnd.Describe);
        Assert.Equal([Second.ToString()], (await MacsAsync(client)).Where(m => m.Duplicate).Select(m => m.Mac));
        await WaitForDuplicateGaugeAsync(metrics, 1, evpnd);
        await Eventually.UntilAsync(() => Task.FromResult(evpnd.Output.Contains($"MAC {First} in VNI {Vni} no longer duplicate: cleared by operator", StringComparison.Ordinal)),
            "the release to be logged", evpnd.Describe);

        var cli = await Evpnctl.RunAsync(socket, "clear", "duplicates");

        Assert.True(cli.ExitCode == 0 && cli.Error.Length == 0, cli.ToString());
        Assert.StartsWith("cleared 1 duplicate MAC\n", cli.Output);
        var row = Row(cli.Output, Vni.ToString(CultureInfo.InvariantCulture));
        Assert.Equal([Second.ToString(), "yes", "remote", "10.200.0.2", "3"], [row[1], .. row[3..]]);
        Assert.DoesNotContain(await MacsAsync(client), m => m.Duplicate);
        await WaitForDuplicateGaugeAsync(metrics, 0, evpnd);
        Assert.Equal("no duplicate MACs in any VNI: nothing cleared\n", (await Evpnctl.RunAsync(socket, "clear", "duplicates")).Output);

        var unknown = await Assert.ThrowsAsync<ManagementRequestException>(() => client.ClearDuplicatesAsync(999, null));
        Assert.Equal(404, unknown.Status);
        var malformed = await Assert.ThrowsAsync<ManagementRequestException>(() => client.ClearDuplicatesAsync(null, "52:54:00"));
        Assert.Equal(400, malformed.Status);
    }

    private static string Config(string address, string socket) => $"""
        {DaemonConfig.LoadGeneratorRouter(address)}
        evpn:
          duplicate-detection: {"{"}max-moves: 3, freeze: permanent{"}"}
          vnis: [{"{"}vni: {Vni}{"}"}, {"{"}vni: 200{"}"}]
        {DaemonConfig.TestServices(address, socket)}

        """;

    private static Task<IReadOnlyList<Api.MacAddressEntry>> MacsAsync(ManagementClient client) =>
        client.GetAsync<IReadOnlyList<Api.MacAddressEntry>>($"{ApiPaths.Macs}?vni={Vni}");

    private static Task<ExplainDocument> ExplainAsync(ManagementClient client, MacAddress mac) =>
        client.GetAsync<ExplainDocument>($"{ApiPaths.Explain}?mac={Uri.EscapeDataString(mac.ToString())}&vni={Vni}");

    /// <summary>Waits until a scrape shows the gauge at <paramref name="value"/>: the page may be up to a second old.</summary>
    private static Task WaitForDuplicateGaugeAsync(string url, double value, EvpndProcess evpnd) =>
        Eventually.UntilAsync(async () => await DuplicateGaugeAsync(url) == value, $"evpn_duplicate_macs to be {value}", evpnd.Describe);

    /// <summary>The <c>evpn_duplicate_macs</c> gauge as Prometheus scrapes it.</summary>
    private static async Task<double> DuplicateGaugeAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var line = (await http.GetStringAsync(url)).Split('\n').Single(l => l.StartsWith("evpn_duplicate_macs ", StringComparison.Ordinal));
        return double.Parse(line["evpn_duplicate_macs ".Length..], CultureInfo.InvariantCulture);
    }
}
