using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>Dynamic neighbors of a listen range on a running evpnd: the range's <c>listen-limit</c> caps the
/// peers at once (connections beyond it are refused, counted by reason and logged once per address per
/// minute), and a peer that left takes its metric series with it.</summary>
[Collection(EvpndCollection.Name)]
public sealed class DynamicNeighborTests
{
    [RequiresFact(Requirement.Root)]
    public async Task Connections_beyond_the_listen_limit_are_refused_counted_and_logged_once_and_a_departed_peer_leaves_no_series()
    {
        var first = LoopbackAddresses.Next();
        var second = LoopbackAddresses.Next();
        await using var evpnd = await SingleDaemon.StartAsync("dynamic", LoopbackAddresses.Next(), """
              - listen-range: 127.0.0.0/8
                remote-as: 65100
                listen-limit: 1
            """);
        var peer = await evpnd.ConnectAsync(first);
        var departed = $"peer=\"{first}\"";
        await Eventually.UntilAsync(async () => (await evpnd.MetricsAsync()).Contains(departed, StringComparison.Ordinal),
            $"series of {first}", evpnd.Process.Describe);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await Assert.ThrowsAsync<IOException>(() => evpnd.ConnectAsync(second));
        }

        await Eventually.UntilAsync(async () => await evpnd.SampleAsync("evpn_bgp_connections_refused_total{reason=\"listen-limit\"}") == 3,
            "three refusals counted", evpnd.Process.Describe);
        Assert.Equal(1, evpnd.LogLines($"refused connection from {second}:"));
        Assert.Contains("listen range 127.0.0.0/8 is at its limit of 1 peers", evpnd.Process.Output);

        await peer.DisposeAsync();
        await Eventually.UntilAsync(async () => !(await evpnd.MetricsAsync()).Contains(departed, StringComparison.Ordinal),
            $"the series of {first} to go once it left", evpnd.Process.Describe);

        // The departed peer freed its place in the range.
        await using var replacement = await evpnd.ConnectAsync(second);
        await Eventually.UntilAsync(async () => (await evpnd.MetricsAsync()).Contains($"peer=\"{second}\"", StringComparison.Ordinal),
            $"series of {second}", evpnd.Process.Describe);
    }
}
