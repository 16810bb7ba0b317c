using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>RFC 7432 section 15.1 duplicate MAC detection: a MAC that moves
/// <see cref="DuplicateDetectionOptions.MaxMoves"/> times within the window is marked duplicate and an alert is
/// raised. With <see cref="DuplicateDetectionOptions.Freeze"/> it is also frozen: no longer advertised, the data
/// plane keeps its last good entry; with a freeze time it is released once <see cref="DueForRelease"/> finds the
/// time has passed. The mark stays until released (freeze time or operator), so the alert is raised once.</summary>
internal sealed class DuplicateDetector
{
    private readonly Func<CoreOptions> _options;
    private readonly TimeProvider _time;
    private readonly CoreCounters _counters;
    private readonly CoreOutputs _outputs;
    private readonly List<(MacVrf Vrf, MacEntry Entry)> _duplicates = new();

    public DuplicateDetector(Func<CoreOptions> options, TimeProvider time, CoreCounters counters, CoreOutputs outputs)
    {
        _options = options;
        _time = time;
        _counters = counters;
        _outputs = outputs;
    }

    private CoreOptions Options => _options();

    /// <summary>The MACs marked duplicate, in the order they were marked.</summary>
    public IReadOnlyList<(MacVrf Vrf, MacEntry Entry)> Marked => _duplicates;

    /// <summary>A move of <paramref name="entry"/> from <paramref name="from"/> to <paramref name="to"/>;
    /// <paramref name="installedIps"/> are the neighbor entries installed before it, kept if it freezes.</summary>
    public void RecordMove(MacVrf vrf, MacEntry entry, MobilityCandidate from, MobilityCandidate to, List<IpAddr> installedIps)
    {
        _counters.CountMove();
        var history = entry.History ??= new MobilityHistory();
        history.TotalMoves++;
        var dad = Options.DuplicateDetection;
        if (!dad.Enabled || history.Duplicate)
        {
            return;
        }
        var now = _time.GetUtcNow();
        history.Moves.Enqueue(now);
        while (history.Moves.Count > 0 && now - history.Moves.Peek() > dad.EffectiveWindow)
        {
            history.Moves.Dequeue();
        }
        if (history.Moves.Count < dad.MaxMoves)
        {
            return;
        }
        history.Duplicate = true;
        history.Frozen = dad.Freeze;
        history.DuplicateSince = now;
        history.FrozenNeighborIps = dad.Freeze ? installedIps.ToArray() : [];
        _duplicates.Add((vrf, entry));
        _counters.CountDuplicate();
        _outputs.Alert(AlertKind.DuplicateMacDetected, vrf.Vni, entry.Mac,
            $"MAC {entry.Mac} in VNI {vrf.Vni} moved {history.Moves.Count} times within {dad.EffectiveWindow.TotalSeconds:0} s " +
            $"(last {Describe(from)} -> {Describe(to)}): duplicate, " +
            (dad.Freeze ? "frozen, no longer advertised" : "still followed (freeze: none)"));
    }

    /// <summary>The duplicate MACs whose freeze time has passed.</summary>
    public List<(MacVrf Vrf, MacEntry Entry)> DueForRelease()
    {
        if (Options.DuplicateDetection.FreezeTime is not { } freeze || _duplicates.Count == 0)
        {
            return [];
        }
        var now = _time.GetUtcNow();
        return _duplicates.Where(d => d.Entry.History is { Duplicate: true } history && now - history.DuplicateSince >= freeze).ToList();
    }

    /// <summary>The time of the next freeze expiry, for the speaker loop's timer; null when none is due.</summary>
    public DateTimeOffset? NextFreezeExpiry =>
        Options.DuplicateDetection.FreezeTime is { } freeze && _duplicates.Count > 0
            ? _duplicates.Min(d => d.Entry.History!.DuplicateSince) + freeze
            : null;

    /// <summary>The duplicate MACs of <paramref name="vni"/> (every VNI when null), only <paramref name="mac"/>
    /// when given, ordered by VNI and MAC, with since when each is duplicate and whether it is frozen.</summary>
    public List<(MacVrf Vrf, MacEntry Entry, DateTimeOffset DuplicateSince, bool Frozen)> Matching(uint? vni, MacAddress? mac) => _duplicates
        .Where(d => (vni is null || d.Vrf.Vni == vni) && (mac is null || d.Entry.Mac == mac))
        .OrderBy(d => d.Vrf.Vni).ThenBy(d => d.Entry.Mac)
        .Select(d => (d.Vrf, d.Entry, d.Entry.History!.DuplicateSince, d.Entry.History.Frozen))
        .ToList();

    /// <summary>The mark goes: the MAC is no longer duplicate nor frozen, its move history restarts.</summary>
    public void Unmark(MacVrf vrf, MacEntry entry, string why)
    {
        var history = entry.History!;
        history.Duplicate = false;
        history.Frozen = false;
        history.Moves.Clear();
        history.FrozenNeighborIps = [];
        _duplicates.RemoveAll(d => ReferenceEquals(d.Entry, entry));
        _counters.DuplicateMacsNow--;
        _outputs.Alert(AlertKind.DuplicateMacCleared, vrf.Vni, entry.Mac, $"MAC {entry.Mac} in VNI {vrf.Vni} no longer duplicate: {why}");
    }

    /// <summary>Forgotten with the VRF: a freeze expiry or an operator clear must not release them (and count them) again.</summary>
    public void Forget(MacVrf vrf) => _duplicates.RemoveAll(d => ReferenceEquals(d.Vrf, vrf));

    private static string Describe(MobilityCandidate c) => c.IsLocal ? $"local (seq {c.Sequence})" : $"{c.Vtep} (seq {c.Sequence})";
}
