using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>RFC 7432 section 15.1 duplicate MAC detection: a MAC that moves
/// <see cref="DuplicateDetectionOptions.MaxMoves"/> times within the window is marked duplicate and an alert is
/// raised. With <see cref="DuplicateDetectionOptions.Freeze"/> it is also frozen: no longer advertised, the data
/// plane keeps its last good entry; with a freeze time it is released when <see cref="Tick"/> finds the time has
/// passed. The mark stays until released (freeze time or operator), so the alert is raised once.</summary>
public sealed partial class EvpnCore
{
    private readonly List<(MacVrf Vrf, MacEntry Entry)> _duplicates = new();

    private void RecordMove(MacVrf vrf, MacEntry entry, MobilityCandidate from, MobilityCandidate to)
    {
        Counters.CountMove();
        var history = entry.History ??= new MobilityHistory();
        history.TotalMoves++;
        var dad = _options.DuplicateDetection;
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
        history.FrozenNeighborIps = dad.Freeze ? _beforeIps.ToArray() : [];
        _duplicates.Add((vrf, entry));
        Counters.CountDuplicate();
        Alert(AlertKind.DuplicateMacDetected, vrf.Vni, entry.Mac,
            $"MAC {entry.Mac} in VNI {vrf.Vni} moved {history.Moves.Count} times within {dad.EffectiveWindow.TotalSeconds:0} s " +
            $"(last {Describe(from)} -> {Describe(to)}): duplicate, " +
            (dad.Freeze ? "frozen, no longer advertised" : "still followed (freeze: none)"));
    }

    /// <summary>Timer tick from the speaker loop: releases duplicate MACs whose freeze time has passed.</summary>
    public void Tick()
    {
        Flush();
        if (_options.DuplicateDetection.FreezeTime is not { } freeze || _duplicates.Count == 0)
        {
            return;
        }
        var now = _time.GetUtcNow();
        foreach (var (vrf, entry) in _duplicates.ToList())
        {
            if (entry.History is { Duplicate: true } history && now - history.DuplicateSince >= freeze)
            {
                Release(vrf, entry, "freeze time ended");
            }
        }
        Process();
    }

    /// <summary>The time of the next freeze expiry, for the speaker loop's timer; null when none is due.</summary>
    public DateTimeOffset? NextFreezeExpiry =>
        _options.DuplicateDetection.FreezeTime is { } freeze && _duplicates.Count > 0
            ? _duplicates.Min(d => d.Entry.History!.DuplicateSince) + freeze
            : null;

    /// <summary>Operator action, FRR's <c>clear evpn dup-addr vni &lt;N|all&gt; [mac M]</c>: releases the duplicate MACs
    /// of <paramref name="vni"/> (every VNI when null), only <paramref name="mac"/> when given, as the end of the freeze
    /// time would: a frozen MAC is installed and advertised again (with the sequence number it reached), its move
    /// history restarts so the next moves are counted afresh. Returns what was released, ordered by VNI and MAC;
    /// empty when nothing matched a duplicate (a no-op).</summary>
    public IReadOnlyList<ClearedDuplicate> ClearDuplicates(uint? vni, MacAddress? mac)
    {
        Flush();
        var matching = _duplicates
            .Where(d => (vni is null || d.Vrf.Vni == vni) && (mac is null || d.Entry.Mac == mac))
            .OrderBy(d => d.Vrf.Vni).ThenBy(d => d.Entry.Mac)
            .Select(d => (d.Vrf, d.Entry, d.Entry.History!.DuplicateSince, d.Entry.History.Frozen))
            .ToList();
        foreach (var (vrf, entry, _, _) in matching)
        {
            Release(vrf, entry, "cleared by operator");
        }
        Process();
        return matching.Select(m => new ClearedDuplicate(m.DuplicateSince, m.Frozen, View(m.Vrf, m.Entry))).ToList();
    }

    private void Release(MacVrf vrf, MacEntry entry, string why)
    {
        var history = entry.History!;
        // What is installed now: the neighbor entries kept when it froze, or those it kept following.
        Before(vrf, entry);
        history.Duplicate = false;
        history.Frozen = false;
        history.Moves.Clear();
        history.FrozenNeighborIps = [];
        _duplicates.RemoveAll(d => ReferenceEquals(d.Entry, entry));
        Counters.DuplicateMacsNow--;
        Alert(AlertKind.DuplicateMacCleared, vrf.Vni, entry.Mac, $"MAC {entry.Mac} in VNI {vrf.Vni} no longer duplicate: {why}");
        After(vrf, entry, null);
    }

    private static string Describe(MobilityCandidate c) => c.IsLocal ? $"local (seq {c.Sequence})" : $"{c.Vtep} (seq {c.Sequence})";
}
