using Evpn.Api;
using Evpn.LoadGen;
using Evpn.Testing.EndToEnd;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>A reload is checked against the running speaker before anything is applied: one that adds a fixed neighbor
/// at the address of a connected dynamic peer (and removes another neighbor) is refused whole, says why, and leaves
/// both the removed neighbor and the dynamic session as they were.</summary>
[Collection(EvpndCollection.Name)]
public sealed class ReloadConflictTests
{
    [RequiresFact(Requirement.Root)]
    public async Task A_fixed_neighbor_at_a_live_dynamic_peers_address_is_refused_whole_and_nothing_changes()
    {
        using var folder = new TempFolder();
        var address = LoopbackAddresses.Next();
        var other = LoopbackAddresses.Next();
        var socket = folder.File("evpnd.sock");
        var config = folder.File("evpnd.yaml");
        File.WriteAllText(config, Config(address, socket, $"""
              - address: {other}
                remote-as: 65200
                passive: true
            """));
        await using var evpnd = EvpndProcess.Start("reload", "--config", config);
        await evpnd.WaitForApiAsync(socket);
        using var client = new ManagementClient(socket, TimeSpan.FromSeconds(10));
        var options = new LoadOptions { Peer = IpAddr.Parse(address), LocalAsn = 65100, RtAsn = 65001, Vteps = 1, HoldTime = 9 };
        await using var peer = await BgpConnection.EstablishAsync(options, TimeSpan.FromSeconds(30), CancellationToken.None);
        await Eventually.UntilAsync(async () => (await client.GetAsync<NeighborDetail>(ApiPaths.Neighbor("127.0.0.1"))).State == "Established",
            "the dynamic peer 127.0.0.1 to be established", evpnd.Describe);

        File.WriteAllText(config, Config(address, socket, """
              - address: 127.0.0.1
                remote-as: 65100
            """));
        var reload = await Evpnctl.RunAsync(socket, "reload");

        Assert.True(reload.ExitCode == 1, reload.ToString());
        Assert.StartsWith($"reload of {config} rejected; nothing changed\n", reload.Output);
        Assert.Contains("neighbor 127.0.0.1: the address is in use by a dynamic peer from a listen range (Established); "
            + "end that session first (evpnctl neighbor 127.0.0.1 shutdown), then reload", reload.Output);
        var neighbors = await client.GetAsync<IReadOnlyList<NeighborDetail>>(ApiPaths.Neighbors);
        Assert.Equal(["127.0.0.1", other], neighbors.Select(n => n.Neighbor).Order(StringComparer.Ordinal));
        var dynamic = neighbors.Single(n => n.Neighbor == "127.0.0.1");
        Assert.Equal("Established", dynamic.State);
        Assert.Null(dynamic.LastNotificationSent);
        Assert.Contains("rejected, nothing changed", evpnd.Output);
    }

    private static string Config(string address, string socket, string extraNeighbor) => SingleDaemonYaml.Build(address, socket, $"""
          - listen-range: 127.0.0.1/32
            remote-as: 65100
            timers: {"{"}hold-time: 9, keepalive: 3{"}"}
        {extraNeighbor}
        """);
}
