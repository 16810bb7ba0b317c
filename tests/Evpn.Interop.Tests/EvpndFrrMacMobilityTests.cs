using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>MAC mobility on topology 1 with evpnd on VTEP A and FRR on VTEP B: the move and back of
/// <see cref="MacMobilityScenarios"/>, and duplicate detection when the host keeps moving.</summary>
public sealed class EvpndFrrMacMobilityTests(ITestOutputHelper output) : MacMobilityScenarios(output)
{
    private const int FastMoves = 6;

    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Frr;

    /// <summary>RFC 7432 section 15.1 duplicate detection, evpnd's default (configs/README.md
    /// `duplicate-detection`: 5 moves within 180 s): six moves in a few seconds make evpnd mark the MAC duplicate
    /// in `show macs` and log the DuplicateMacDetected alert.</summary>
    [Fact]
    public async Task SixFastMovesMakeEvpndMarkTheMacDuplicate()
    {
        var place = await SettledAtStartAsync();
        var started = DateTime.UtcNow;
        for (var i = 0; i < FastMoves; i++)
        {
            place = await FastMoveAsync(place, Other(place.Vtep));
        }
        Lab.Log($"{FastMoves} moves took {(DateTime.UtcNow - started).TotalSeconds:F1} s");

        var atA = await MoverIn(A);
        Assert.True(atA is { Duplicate: true }, $"{A} (evpnd) does not mark {Mover.Mac} duplicate after {FastMoves} moves: {atA}");
        var log = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(Topo[A + ".evpnd-socket"])!, "evpnd.log"));
        var alert = log.Split('\n').FirstOrDefault(l => l.Contains("DuplicateMacDetected", StringComparison.Ordinal) && l.Contains(Mover.Mac, StringComparison.OrdinalIgnoreCase));
        Assert.True(alert is not null, $"evpnd logged no DuplicateMacDetected alert for {Mover.Mac}");
        Lab.Log("evpnd: " + alert);

        // evpnd froze the MAC at the fifth move: it withdrew its route and advertises the MAC no more. FRR
        // (zebra's dup-addr-detection, also 5 moves in 180 s, no freeze) therefore saw only the first four moves,
        // dropped the MAC when the withdrawal came, and learns it afresh behind its own port: it does not mark it.
        SpeakerMac? atB = null;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () => (atB = await MoverIn(B)) is { Local: true } m && m.Port == place.Host);
        Assert.True(atB is { Local: true } && atB.Port == place.Host, $"{B} (FRR) does not have {Mover.Mac} on {place.Host}: {atB}");
        Assert.False(atB.Duplicate, $"{B} (FRR) marks {Mover.Mac} duplicate: {atB}");
        var routes = await SpeakerB.View(Lab, Topo, B).RoutesAsync();
        Assert.DoesNotContain(routes, r => r.RouteType == 2 && r.Mac == Mover.Mac && r.NextHop == Topo.Ip(A));
    }

    /// <summary>A move that waits only until evpnd registered it: the higher sequence number at the new location,
    /// or the duplicate mark (after which evpnd no longer follows the MAC).</summary>
    private async Task<Place> FastMoveAsync(Place from, string to)
    {
        var host = await ArriveAsync(from, to);
        SpeakerMac? seen = null;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            seen = await MoverIn(A);
            return seen is { Duplicate: true }
                   || ((to == A ? seen is { Local: true } && seen.Port == host : seen is { Local: false } && seen.RemoteVtep == Topo.Ip(B))
                       && seen.Sequence > from.Sequence);
        });
        Assert.True(seen is not null, $"{A} (evpnd) lost {Mover.Mac} during the move to {to}");
        await LeaveAsync(from);
        return new Place(host, to, Math.Max(seen.Sequence, from.Sequence));
    }
}
