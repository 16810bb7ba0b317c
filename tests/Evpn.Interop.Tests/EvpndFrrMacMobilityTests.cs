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

    protected override IReadOnlyList<string> UpArguments => [.. base.UpArguments, EvpndMetrics.UpOption];

    /// <summary>RFC 7432 section 15.1 duplicate detection with both speakers' defaults: evpnd's
    /// (configs/README.md `duplicate-detection`: 5 moves within 180 s, `freeze: none`) and FRR zebra's
    /// (`dup-addr-detection`: 5 moves within 180 s, no freeze). Six moves in a few seconds: evpnd marks the MAC
    /// duplicate in `show macs` at the fifth and logs the DuplicateMacDetected alert; FRR, which counts a move each
    /// time the MAC changes between local and remote after its first learn, marks it at the sixth. Neither freezes:
    /// both keep following the MAC, so every move still raises the sequence number and the last location is
    /// reachable.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Six_fast_moves_make_both_speakers_mark_the_mac_duplicate_without_freezing_it()
    {
        await AddFixedHostOnBAsync();
        var place = await SettledAtStartAsync();
        var started = DateTime.UtcNow;
        for (var i = 0; i < FastMoves; i++)
        {
            place = await MoveAsync(place, Other(place.Vtep));
        }
        Lab.Log($"{FastMoves} moves took {(DateTime.UtcNow - started).TotalSeconds:F1} s, last sequence {place.Sequence}");

        var atA = await MoverIn(A);
        Assert.True(atA is { Duplicate: true }, $"{A} (evpnd) does not mark {Mover.Mac} duplicate after {FastMoves} moves: {atA}");
        var log = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(Topo[A + ".evpnd-socket"])!, "evpnd.log"));
        var alerts = log.Split('\n')
            .Where(l => l.Contains("DuplicateMacDetected", StringComparison.Ordinal) && l.Contains(Mover.Mac, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        Assert.True(alerts.Length == 1, $"evpnd logged {alerts.Length} DuplicateMacDetected alerts for {Mover.Mac}, one expected");
        Assert.Contains("still followed (freeze: none)", alerts[0], StringComparison.Ordinal);
        Lab.Log("evpnd: " + alerts[0]);
        Assert.Equal(1, await EvpndMetrics.ValueWithinAsync(Lab, Topo, A, "evpn_duplicate_macs", 1));
        Assert.Equal(1, await EvpndMetrics.ValueWithinAsync(Lab, Topo, A, "evpn_duplicate_macs_detected_total", 1));
        Assert.Equal(FastMoves, await EvpndMetrics.ValueWithinAsync(Lab, Topo, A, "evpn_mac_moves_total", FastMoves));

        var atB = await MoverIn(B);
        Assert.True(atB is { Duplicate: true }, $"{B} (FRR) does not mark {Mover.Mac} duplicate after {FastMoves} moves: {atB}");
        await FixedHostsReachTheMoverAsync(place);
    }
}
