using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen.Tests;

/// <summary>The generator over a real loopback TCP session: what the receiver decodes after each command.</summary>
public class SessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static LoadOptions OptionsFor(TestReceiver receiver) => new()
    {
        Port = receiver.Port, Routes = 20_000, Vnis = 20, Vteps = 3, MoveFraction = 0.1, Seed = 5,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Announce_move_and_withdraw_reach_the_receiver_in_full(bool extendedMessage)
    {
        await using var receiver = new TestReceiver(extendedMessage: extendedMessage);
        var options = OptionsFor(receiver);
        var plan = LoadPlan.Build(options);
        await using var connection = await BgpConnection.EstablishAsync(options, Timeout, CancellationToken.None);
        Assert.Equal(extendedMessage, connection.Context.ExtendedMessage);
        var output = new StringWriter();
        var runner = new LoadRunner(plan, connection, output);

        Assert.True(await runner.RunAsync(new LoadCommand(LoadCommandKind.Announce), CancellationToken.None));
        Assert.True(await receiver.WaitAsync(r => r.Count == options.Routes + options.Type3Count, Timeout));
        Assert.True(await receiver.WaitAsync(_ => receiver.EndOfRibs == 1, Timeout));

        Assert.True(await runner.RunAsync(new LoadCommand(LoadCommandKind.Move), CancellationToken.None));
        Assert.True(await receiver.WaitAsync(r => r.Values.Count(v => v.NextHop == options.MoveVtep) == options.MovedCount
            && r.Count == options.Routes + options.Type3Count, Timeout));
        var routes = receiver.Snapshot();
        Assert.All(routes.Where(r => r.Value.NextHop == options.MoveVtep),
            r => Assert.Equal(1u, r.Value.Attributes.MacMobility!.Value.MacMobilitySequence));

        Assert.True(await runner.RunAsync(new LoadCommand(LoadCommandKind.Withdraw), CancellationToken.None));
        Assert.True(await receiver.WaitAsync(r => r.Count == 0, Timeout));
        Assert.False(await runner.RunAsync(new LoadCommand(LoadCommandKind.Quit), CancellationToken.None));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["announce", "move", "withdraw", "quit"], lines.Select(l => l.Split(' ')[0]["event=".Length..]));
        Assert.Contains($"rib_routes={options.Routes + options.Type3Count}", lines[0]);
        Assert.Contains($"moved={options.MovedCount} move_vtep={options.MoveVtep}", lines[1]);
        Assert.Matches(@"first_update_ns=\d{19} last_write_ns=\d{19} send_ms=[\d.]+ encode_ms=[\d.]+ updates=\d+ nlri=\d+ octets=\d+", lines[0]);
        Assert.Null(connection.ClosedReason);
    }

    [Fact]
    public async Task Move_before_announce_and_withdraw_of_nothing_are_reported_as_errors()
    {
        await using var receiver = new TestReceiver();
        var options = OptionsFor(receiver) with { Routes = 100 };
        await using var connection = await BgpConnection.EstablishAsync(options, Timeout, CancellationToken.None);
        var output = new StringWriter();
        var runner = new LoadRunner(LoadPlan.Build(options), connection, output);

        await runner.RunAsync(new LoadCommand(LoadCommandKind.Move), CancellationToken.None);
        await runner.RunAsync(new LoadCommand(LoadCommandKind.Withdraw), CancellationToken.None);

        Assert.Equal(2, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("event=error")));
        Assert.Empty(receiver.Snapshot());
    }

    [Fact]
    public async Task A_notification_in_the_handshake_fails_establishment_with_its_code()
    {
        await using var receiver = new TestReceiver(refuse: true);

        var e = await Assert.ThrowsAsync<IOException>(() =>
            BgpConnection.EstablishAsync(OptionsFor(receiver), Timeout, CancellationToken.None));

        Assert.Contains("NOTIFICATION Cease/2", e.Message);
    }
}
