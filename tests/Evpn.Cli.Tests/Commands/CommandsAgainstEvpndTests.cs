using System.Text.Json;
using Evpn.Cli.Commands;
using Evpn.Testing.EndToEnd;
using static Evpn.Testing.EndToEnd.TableText;

namespace Evpn.Cli.Tests.Commands;

/// <summary>Every evpnctl command against two real evpnd processes peering over loopback (in-memory data
/// plane, so no MACs: type-2 coverage is the interop lab's, with the Linux data plane). Table and JSON.</summary>
[Collection(EvpndCollection.Name)]
public sealed class CommandsAgainstEvpndTests
{
    [RequiresFact(Requirement.Root)]
    public async Task Each_command_answers_with_a_table_and_with_json()
    {
        await using var pair = await DaemonPair.StartAsync();
        var (a, b) = (pair.A, pair.B);

        var neighbors = await Run(a, "show", "neighbors", b.Address);
        Assert.Contains($"BGP neighbor is {b.Address}, remote AS 65002, local AS 65001, external link\n", neighbors);
        Assert.Contains("  BGP state = Established, up for ", neighbors);
        Assert.Contains("  Capabilities received: multiprotocol l2vpn-evpn, route-refresh", neighbors);
        Assert.Contains("  Address families negotiated: l2vpn-evpn\n", neighbors);
        Assert.Contains("  Last NOTIFICATION received: none\n", neighbors);
        using (var json = Json(await Run(a, "show", "neighbors", "--json")))
        {
            var neighbor = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(b.Address, neighbor.GetProperty("remoteRouterId").GetString());
            Assert.Equal(9, neighbor.GetProperty("holdTime").GetInt32());
            Assert.Contains("4-octet-as 65002", neighbor.GetProperty("capabilitiesReceived").EnumerateArray().Select(c => c.GetString()));
        }

        var vnis = await Run(a, "show", "vnis");
        Assert.Equal(["100", "up", $"{a.Address}:1", "65001:100", "65001:100", "-", "-", "0", "0", "1"], Row(vnis, "100"));
        using (var json = Json(await Run(a, "show", "vnis", "--json")))
        {
            Assert.Equal([100u, 200u], json.RootElement.EnumerateArray().Select(v => v.GetProperty("vni").GetUInt32()));
        }

        var routes = await Run(a, "show", "routes", "--type", "3", "--rd", $"{b.Address}:1");
        Assert.Contains($"Route Distinguisher: {b.Address}:1\n", routes);
        Assert.Contains("Displayed 1 prefixes (1 paths)", routes);
        Assert.Contains("Displayed 0 prefixes (0 paths)", await Run(a, "show", "routes", "--type", "2"));

        var macs = await Run(a, "show", "macs", "--vni", "100");
        Assert.EndsWith("Number of MACs: 0\n", macs);
        Assert.Equal("[]", (await Run(a, "show", "macs", "--json")).Trim());

        var explain = await Run(a, "explain", "mac", "00:11:22:33:44:55");
        Assert.StartsWith("MAC 00:11:22:33:44:55: no VNI knows this MAC\n", explain);
        using (var json = Json(await Run(a, "explain", "mac", "00:11:22:33:44:55", "--json")))
        {
            Assert.Equal(0, json.RootElement.GetProperty("candidates").GetArrayLength());
        }

        var audit = await Evpnctl.RunAsync(a.SocketPath, "audit");
        Assert.Equal((ManagementCall.Ok, "in sync: the data plane holds exactly what evpnd intends\n"), (audit.ExitCode, audit.Output));
        using (var json = Json(await Run(a, "audit", "--json")))
        {
            Assert.True(json.RootElement.GetProperty("inSync").GetBoolean());
        }

        Assert.Equal("no duplicate MACs in any VNI: nothing cleared\n", await Run(a, "clear", "duplicates"));
        Assert.Equal("MAC 00:11:22:33:44:55 is not duplicate in VNI 100: nothing cleared\n",
            await Run(a, "clear", "duplicates", "--vni", "100", "--mac", "00:11:22:33:44:55"));
        using (var json = Json(await Run(a, "clear", "duplicates", "--vni", "200", "--json")))
        {
            Assert.Equal(0, json.RootElement.GetProperty("cleared").GetArrayLength());
            Assert.Equal("no duplicate MACs in VNI 200: nothing cleared", json.RootElement.GetProperty("message").GetString());
        }
        var unknownVni = await Evpnctl.RunAsync(a.SocketPath, "clear", "duplicates", "--vni", "999");
        Assert.Equal(ManagementCall.Failed, unknownVni.ExitCode);
        Assert.Contains("no VNI 999", unknownVni.Error);

        Assert.Equal("configuration unchanged\n", await Run(a, "reload"));
        Assert.Equal($"route refresh requested from {b.Address}\n", await Run(a, "neighbor", b.Address, "clear", "--soft"));

        Assert.Equal($"neighbor {b.Address} shut down\n", await Run(a, "neighbor", b.Address, "shutdown"));
        Assert.Equal("Idle", Row(await Run(a, "show", "summary"), b.Address)[6]);
        await Eventually.UntilAsync(async () => (await pair.NeighborAsync(b, a.Address)).LastNotificationReceived is not null, $"{b.Name} to receive the Cease", pair.Describe);
        Assert.Contains("(administrative shutdown) \"shut down by the operator (evpnctl)\"", await Run(b, "show", "neighbors", a.Address));

        using (var json = Json(await Run(a, "neighbor", b.Address, "enable", "--json")))
        {
            Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        }
        await Eventually.UntilAsync(async () => Row(await Run(a, "show", "summary"), b.Address)[6] == "2", "the session to come back with 2 prefixes", pair.Describe);

        var missing = await Evpnctl.RunAsync(a.SocketPath, "show", "neighbors", "192.0.2.99");
        Assert.Equal(ManagementCall.Failed, missing.ExitCode);
        Assert.Contains("no neighbor 192.0.2.99", missing.Error);
    }

    [RequiresFact(Requirement.Root)]
    public async Task The_evpnctl_binary_shows_the_summary_and_exits_3_when_evpnd_is_not_running()
    {
        await using var pair = await DaemonPair.StartAsync();

        var summary = await Evpnctl.RunProcessAsync("--socket", pair.A.SocketPath, "show", "summary");
        Assert.True(summary.ExitCode == 0, summary.ToString());
        Assert.Equal("2", Row(summary.Output, pair.B.Address)[6]);

        var absent = Path.Combine(pair.Folder, "absent.sock");
        var unreachable = await Evpnctl.RunProcessAsync("--socket", absent, "show", "summary");
        Assert.Equal(ManagementCall.Unreachable, unreachable.ExitCode);
        Assert.Contains($"evpnctl: evpnd is not answering on {absent}", unreachable.Error);
    }

    private static async Task<string> Run(DaemonConfig at, params string[] arguments)
    {
        var result = await Evpnctl.RunAsync(at.SocketPath, arguments);
        Assert.True(result.ExitCode == ManagementCall.Ok && result.Error.Length == 0, $"evpnctl {string.Join(' ', arguments)}: {result}");
        return result.Output;
    }

    private static JsonDocument Json(string text) => JsonDocument.Parse(text);
}
