using System.Text.Json;
using Evpn.Testing.EndToEnd;
using static Evpn.Testing.EndToEnd.TableText;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>(a) Two evpnd processes over loopback establish eBGP and exchange their type-3 routes (RFC 7432
/// section 11, RFC 8365 section 5.1.3); evpnctl shows them, as tables and as JSON.</summary>
[Collection(EvpndCollection.Name)]
public sealed class EstablishmentTests
{
    [RequiresFact(Requirement.Root)]
    public async Task Two_daemons_establish_and_evpnctl_shows_each_others_type3_routes_and_flood_lists()
    {
        await using var pair = await DaemonPair.StartAsync();
        var (a, b) = (pair.A, pair.B);

        var summary = await Evpnctl.RunAsync(a.SocketPath, "show", "summary");
        Assert.True(summary.ExitCode == 0, summary.ToString());
        var peer = Row(summary.Output, b.Address);
        Assert.Equal(["4", "65002"], peer[1..3]);
        Assert.Equal("2", peer[6]);
        Assert.Equal("2", peer[7]);
        Assert.Equal("a-to-peer", peer[8]);
        Assert.Contains($"BGP router identifier {a.Address}, local AS number 65001", summary.Output);

        using (var json = JsonDocument.Parse((await Evpnctl.RunAsync(a.SocketPath, "show", "summary", "--json")).Output))
        {
            var peerJson = Assert.Single(json.RootElement.GetProperty("peers").EnumerateArray());
            Assert.Equal(b.Address, peerJson.GetProperty("neighbor").GetString());
            Assert.Equal("Established", peerJson.GetProperty("state").GetString());
            Assert.Equal(2, peerJson.GetProperty("pfxRcd").GetInt32());
            Assert.Equal(65002u, peerJson.GetProperty("remoteAs").GetUInt32());
        }

        foreach (var (at, from) in new[] { (a, b), (b, a) })
        {
            var routes = await Evpnctl.RunAsync(at.SocketPath, "show", "routes");
            Assert.True(routes.ExitCode == 0, routes.ToString());
            var received = Rows(routes.Output).Where(r => r.Length > 1 && r[1] == $"[3]:[0]:[32]:[{from.Address}]").ToList();
            Assert.Equal(2, received.Count);
            Assert.All(received, r => Assert.Equal(["*>", $"[3]:[0]:[32]:[{from.Address}]", from.Address], r[..3]));
            Assert.Equal(["100", "200"], received.Select(r => r[3]).Order());
            Assert.All(received, r => Assert.Equal([from.Address, from.Asn.ToString(), "i"], r[4..]));
            Assert.Contains($"RT:{from.Asn}:100 ET:8", routes.Output);
            Assert.Contains("Displayed 4 prefixes (4 paths)", routes.Output);

            var json = await Evpnctl.RunAsync(at.SocketPath, "show", "routes", "--type", "3", "--vni", "100", "--json");
            using var document = JsonDocument.Parse(json.Output);
            var entries = document.RootElement.EnumerateArray().ToList();
            Assert.Equal(2, entries.Count);
            var remote = Assert.Single(entries, e => e.GetProperty("source").GetString() == from.Address);
            Assert.Equal(3, remote.GetProperty("type").GetInt32());
            Assert.Equal(100u, remote.GetProperty("vni").GetUInt32());
            Assert.Equal(from.Address, remote.GetProperty("nextHop").GetString());
            Assert.True(remote.GetProperty("best").GetBoolean());
            Assert.StartsWith(from.Address + ":", remote.GetProperty("rd").GetString());
            Assert.Equal([$"RT:{from.Asn}:100", "ET:8"], remote.GetProperty("extendedCommunities").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal($"ingress-replication label 100 endpoint {from.Address}", remote.GetProperty("pmsi").GetString());

            var flood = await Evpnctl.RunAsync(at.SocketPath, "show", "flood");
            Assert.Equal(["100", "1", from.Address], Row(flood.Output, "100"));
            Assert.Equal(["200", "1", from.Address], Row(flood.Output, "200"));
            using var floodJson = JsonDocument.Parse((await Evpnctl.RunAsync(at.SocketPath, "show", "flood", "--vni", "200", "--json")).Output);
            var list = Assert.Single(floodJson.RootElement.EnumerateArray());
            Assert.Equal(200u, list.GetProperty("vni").GetUInt32());
            Assert.Equal([from.Address], list.GetProperty("remoteVteps").EnumerateArray().Select(v => v.GetString()));
        }
    }
}
