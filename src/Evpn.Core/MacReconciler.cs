using Evpn.DataPlane;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>A change to one MAC entry, made by <see cref="MacReconciler.Reconcile{TState}"/> between reading what is
/// installed and bringing it in line; <paramref name="before"/> is the winning location before the change.</summary>
internal delegate void MacChange<in TState>(TState state, MacVrf vrf, MacEntry entry, MobilityCandidate? before);

/// <summary>The per-MAC reconciliation shared by local learning, import and the MAC-VRF lifecycle: after a change
/// to an entry, pick the winning location (RFC 7432 section 15), count a move, then bring the data plane (FDB and
/// neighbor entries) and the originated routes in line with it.</summary>
internal sealed class MacReconciler
{
    private readonly Func<CoreOptions> _options;
    private readonly Origination _origination;
    private readonly DuplicateDetector _duplicates;
    private readonly CoreOutputs _outputs;

    // The neighbor IPs installed before and after one change, reused so that a change allocates nothing.
    private readonly List<IpAddr> _beforeIps = new();
    private readonly List<IpAddr> _afterIps = new();

    public MacReconciler(Func<CoreOptions> options, Origination origination, DuplicateDetector duplicates, CoreOutputs outputs)
    {
        _options = options;
        _origination = origination;
        _duplicates = duplicates;
        _outputs = outputs;
    }

    private CoreOptions Options => _options();

    /// <summary>Applies <paramref name="change"/> to <paramref name="entry"/> and brings the data plane and the
    /// originated routes in line with the entry's new state. A change of winner to a higher sequence number is
    /// a move (duplicate detection counts it) unless <paramref name="countMove"/> is false: the VNI appearing or
    /// going, or a duplicate released, moves nothing. <paramref name="change"/> must not reconcile another entry
    /// (the before and after lists are reused).</summary>
    public void Reconcile<TState>(MacVrf vrf, MacEntry entry, TState state, MacChange<TState> change, bool countMove = true)
    {
        var before = Before(vrf, entry);
        change(state, vrf, entry, before);
        After(vrf, entry, countMove ? before : null);
    }

    /// <summary>Releases duplicate MACs as the end of the freeze time does: a frozen MAC is installed and
    /// advertised again (with the sequence number it reached), its move history restarts.</summary>
    public void Release(IEnumerable<(MacVrf Vrf, MacEntry Entry)> duplicates, string why)
    {
        foreach (var (vrf, entry) in duplicates)
        {
            // What is installed before: the neighbor entries kept when it froze, or those it kept following.
            Reconcile(vrf, entry, (Duplicates: _duplicates, Why: why), static (s, vrf, entry, _) => s.Duplicates.Unmark(vrf, entry, s.Why), countMove: false);
        }
    }

    /// <summary>What is installed for the entry before a change: the winner, and the neighbor IPs into
    /// <see cref="_beforeIps"/>.</summary>
    private MobilityCandidate? Before(MacVrf vrf, MacEntry entry)
    {
        var winner = entry.Winner(vrf.LocalVtep(Options.LocalVtep));
        _beforeIps.Clear();
        if (entry.History is { Frozen: true } history)
        {
            if (vrf.IsPresent)
            {
                _beforeIps.AddRange(history.FrozenNeighborIps);
            }
            return winner;
        }
        CollectNeighbors(vrf, entry, winner, _beforeIps);
        return winner;
    }

    /// <summary>Brings the data plane and the originated routes in line with the entry's new state.</summary>
    private void After(MacVrf vrf, MacEntry entry, MobilityCandidate? before)
    {
        var winner = entry.Winner(vrf.LocalVtep(Options.LocalVtep));
        if (entry.Local is { Active: true } local && winner is { IsLocal: false })
        {
            // RFC 7432 section 15.1: a later (or sticky) remote location wins; the MAC moved away
            // and the local route is withdrawn. A new local learn brings it back with seq + 1.
            local.Active = false;
        }
        if (before is { } b && winner is { } w && b.Vtep != w.Vtep && w.Sequence > b.Sequence && !MacMobility.IsGateway(b, w))
        {
            _duplicates.RecordMove(vrf, entry, b, w, _beforeIps);
        }
        if (!entry.IsFrozen)
        {
            ApplyFdb(vrf, entry, winner);
            ApplyNeighbors(vrf, entry, winner);
        }
        _origination.SyncLocalRoutes(vrf, entry, winner);
        vrf.Settle(entry);
    }

    private void ApplyFdb(MacVrf vrf, MacEntry entry, MobilityCandidate? winner)
    {
        var desired = vrf.IsPresent && winner is { Path: { } path } ? path : null;
        var installed = entry.InstalledVia;
        if (desired is null)
        {
            if (installed is not null)
            {
                _outputs.Add(new DataPlaneIntent.RemoveFdb(vrf.FdbEntryOf(entry.Mac, installed)));
                entry.InstalledVia = null;
            }
            return;
        }
        if (installed is null || !MacVrf.SameFdbEntry(installed, desired))
        {
            _outputs.Add(new DataPlaneIntent.AddFdb(vrf.FdbEntryOf(entry.Mac, desired)));
        }
        entry.InstalledVia = desired;
    }

    /// <summary>ARP/ND suppression (RFC 7342, RFC 7432 section 10): the IPs of remote MAC+IP routes
    /// from the winning VTEP become neighbor entries.</summary>
    private void ApplyNeighbors(MacVrf vrf, MacEntry entry, MobilityCandidate? winner)
    {
        _afterIps.Clear();
        CollectNeighbors(vrf, entry, winner, _afterIps);
        foreach (var ip in _beforeIps)
        {
            if (!_afterIps.Contains(ip) && vrf.Neighbors.TryGetOwner(ip, out var owner) && owner == entry.Mac)
            {
                vrf.Neighbors.Remove(ip);
                _outputs.Add(new DataPlaneIntent.RemoveNeighbor(new NeighborEntry(vrf.Vni, ip, entry.Mac)));
            }
        }
        foreach (var ip in _afterIps)
        {
            if (!_beforeIps.Contains(ip) || !vrf.Neighbors.TryGetOwner(ip, out var owner) || owner != entry.Mac)
            {
                vrf.Neighbors.Set(ip, entry.Mac);
                _outputs.Add(new DataPlaneIntent.AddNeighbor(new NeighborEntry(vrf.Vni, ip, entry.Mac)));
            }
        }
    }

    /// <summary>The IPs of the remote MAC+IP routes from the winning VTEP, while the VNI is present.</summary>
    public static void CollectNeighbors(MacVrf vrf, MacEntry entry, MobilityCandidate? winner, List<IpAddr> into)
    {
        if (!vrf.IsPresent || winner is not { IsLocal: false } w)
        {
            return;
        }
        foreach (var path in entry.Remote)
        {
            if (((MacIpAdvertisementRoute)path.Route).Ip is { } ip && path.NextHop == w.Vtep && !into.Contains(ip))
            {
                into.Add(ip);
            }
        }
    }
}
