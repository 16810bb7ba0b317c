using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>Max-prefix (RFC 4486) counted against the routes evpnd's RIB accepted from the peer: at the
/// limit the session stays up; one route more and evpnd closes it with Cease/1 (its data, AFI/SAFI/limit,
/// is checked in the session tests), drops the peer's routes and keeps the session down (no restart
/// interval configured).</summary>
[Collection(EvpndCollection.Name)]
public sealed class MaxPrefixTests
{
    [RequiresFact(Requirement.Root)]
    public async Task One_route_over_the_limit_closes_the_session_with_cease_1_and_drops_the_peers_routes()
    {
        await using var pair = await DaemonPair.StartAsync(maxPrefixA: 2);
        var (a, b) = (pair.A, pair.B);
        Assert.Equal("Established", (await pair.NeighborAsync(a, b.Address)).State);

        pair.Rewrite(b with { Vnis = [100, 200, 300] });
        var reload = await Evpnctl.RunAsync(b.SocketPath, "reload");
        Assert.True(reload.ExitCode == 0, reload.ToString());

        await Eventually.UntilAsync(async () => (await pair.NeighborAsync(b, a.Address)).LastNotificationReceived is { } n && n.Contains("Cease/1"),
            $"{b.Name} to receive a max-prefix Cease from {a.Name}", pair.Describe);
        var atA = await pair.NeighborAsync(a, b.Address);
        Assert.NotEqual("Established", atA.State);
        Assert.Contains("Cease/1", atA.LastNotificationSent);
        await Eventually.UntilAsync(async () => (await pair.RoutesAsync(a)).All(r => r.Source != b.Address),
            $"{a.Name} to drop {b.Name}'s routes", pair.Describe);
        var summary = await Evpnctl.RunAsync(a.SocketPath, "show", "summary");
        Assert.Contains("Idle (Admin)", summary.Output);
    }
}
