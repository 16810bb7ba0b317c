using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>RFC 7432 section 15.1 duplicate MAC detection: a MAC that moves
/// <see cref="DuplicateDetectionOptions.MaxMoves"/> times within the window is frozen. It is no longer
/// advertised, the data plane keeps its last good entry, and an alert is raised; with a freeze time
/// it is released when <see cref="Tick"/> finds the time has passed.</summary>
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
        history.DuplicateSince = now;
        history.FrozenNeighborIps = _beforeIps.ToArray();
        _duplicates.Add((vrf, entry));
        Counters.CountDuplicate();
        Alert(AlertKind.DuplicateMacDetected, vrf.Vni, entry.Mac,
            $"MAC {entry.Mac} in VNI {vrf.Vni} moved {history.Moves.Count} times within {dad.EffectiveWindow.TotalSeconds:0} s " +
            $"(last {Describe(from)} -> {Describe(to)}): duplicate, frozen, no longer advertised");
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

    /// <summary>Operator action: release a duplicate MAC now. False if it was not duplicate.</summary>
    public bool ClearDuplicate(uint vni, MacAddress mac)
    {
        Flush();
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.Macs.TryGetValue(mac, out var entry) || !entry.IsDuplicate)
        {
            return false;
        }
        Release(vrf, entry, "cleared by operator");
        Process();
        return true;
    }

    private void Release(MacVrf vrf, MacEntry entry, string why)
    {
        var history = entry.History!;
        _beforeIps.Clear();
        if (vrf.IsPresent)
        {
            _beforeIps.AddRange(history.FrozenNeighborIps);
        }
        history.Duplicate = false;
        history.Moves.Clear();
        history.FrozenNeighborIps = [];
        _duplicates.RemoveAll(d => ReferenceEquals(d.Entry, entry));
        Counters.DuplicateMacsNow--;
        Alert(AlertKind.DuplicateMacCleared, vrf.Vni, entry.Mac, $"MAC {entry.Mac} in VNI {vrf.Vni} no longer duplicate: {why}");
        After(vrf, entry, null);
    }

    private static string Describe(MobilityCandidate c) => c.IsLocal ? $"local (seq {c.Sequence})" : $"{c.Vtep} (seq {c.Sequence})";
}
