using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Read-only queries for show and explain. Call them from the speaker loop (they read the
/// owner's state, and first bring it up to date) and hand the immutable results to other threads.</summary>
public sealed class CoreQueries
{
    private readonly Func<CoreOptions> _options;
    private readonly Rib.Rib _rib;
    private readonly MacVrfRegistry _vrfs;
    private readonly ImportSelection _selection;
    private readonly DuplicateDetector _duplicates;
    private readonly ImportExplainer _explainer;
    private readonly Action _flush;

    internal CoreQueries(Func<CoreOptions> options, Rib.Rib rib, MacVrfRegistry vrfs, ImportSelection selection, DuplicateDetector duplicates,
        ImportExplainer explainer, Action flush)
    {
        _options = options;
        _rib = rib;
        _vrfs = vrfs;
        _selection = selection;
        _duplicates = duplicates;
        _explainer = explainer;
        _flush = flush;
    }

    private CoreOptions Options => _options();

    private void Flush() => _flush();

    public IReadOnlyList<VniView> Vnis()
    {
        Flush();
        return _vrfs.Values.OrderBy(v => v.Vni).Select(v =>
        {
            var (local, remote) = v.Macs.CountLocation();
            return new VniView(v.Vni, v.Rd, v.ImportRouteTargets, v.ExportRouteTargets, v.Config is not null, v.IsPresent,
                v.LocalVtep(Options.LocalVtep), local, remote, v.FloodVteps.Count);
        }).ToList();
    }

    /// <summary>Whether a MAC-VRF exists for <paramref name="vni"/> (configured or present), without walking its MACs.</summary>
    public bool HasVni(uint vni) => _vrfs.ContainsKey(vni);

    public IReadOnlyList<MacView> Macs(uint vni)
    {
        Flush();
        if (!_vrfs.TryGetValue(vni, out var vrf))
        {
            return [];
        }
        return vrf.Macs.Views().OrderBy(e => e.Mac).Select(e => View(vrf, e)).ToList();
    }

    /// <summary>The MACs of <paramref name="vni"/> in no order: a copy of the keys, short work for one loop turn
    /// however large the VNI, so a reader can sort it elsewhere and read the entries a slice at a time.</summary>
    public MacAddress[] MacAddresses(uint vni)
    {
        Flush();
        return _vrfs.TryGetValue(vni, out var vrf) ? vrf.Macs.Addresses() : [];
    }

    /// <summary>The entries of <paramref name="macs"/> in <paramref name="vni"/>, in the order given; a MAC gone since is left out.</summary>
    public IReadOnlyList<MacView> Macs(uint vni, IEnumerable<MacAddress> macs)
    {
        Flush();
        if (!_vrfs.TryGetValue(vni, out var vrf))
        {
            return [];
        }
        return macs.Select(vrf.Macs.View).OfType<MacEntry>().Select(e => View(vrf, e)).ToList();
    }

    public MacView? FindMac(uint vni, MacAddress mac)
    {
        Flush();
        return _vrfs.TryGetValue(vni, out var vrf) && vrf.Macs.View(mac) is { } entry ? View(vrf, entry) : null;
    }

    public IReadOnlyList<MacView> DuplicateMacs()
    {
        Flush();
        return _duplicates.Marked.Select(d => View(d.Vrf, d.Entry)).ToList();
    }

    /// <summary>The remote VTEPs of a VNI's flood list (from type-3 routes).</summary>
    public IReadOnlyList<FloodEntry> FloodList(uint vni)
    {
        Flush();
        return _vrfs.TryGetValue(vni, out var vrf)
            ? vrf.FloodVteps.Keys.Order().Select(vrf.FloodEntryOf).ToList()
            : [];
    }

    /// <summary>How many MAC-VRFs exist (configured or present), without counting their MACs.</summary>
    public int VniCount => _vrfs.Count;

    /// <summary>When the next frozen duplicate MAC is released; null when none is frozen for a time.</summary>
    public DateTimeOffset? NextFreezeExpiry => _duplicates.NextFreezeExpiry;

    /// <summary>One sentence for an import decision (<see cref="ExplainImport"/>).</summary>
    public static string Describe(ImportReason reason, uint ethernetTag, uint? labelVni) => ImportExplainer.Describe(reason, ethernetTag, labelVni);

    // Counts the RIB keeps as it changes, not walks of it: monitoring polls them, and a walk of a million
    // routes on the speaker loop would slow the convergence it is watching. They need no flush either.

    /// <summary>The paths held from <paramref name="peer"/> (accepted into the RIB, not those refused): FRR's
    /// PfxRcd, and what max-prefix counts; 0 for a peer without a session.</summary>
    public int AcceptedPaths(PeerAddress peer) => _rib.FindPeer(peer)?.PathCount ?? 0;

    /// <summary>The routes announced to <paramref name="peer"/> and not withdrawn since (PfxSnt).</summary>
    public int RoutesSent(PeerAddress peer) => _rib.FindPeer(peer)?.RoutesSent ?? 0;

    /// <summary>The update group <paramref name="peer"/> is in (null without an EVPN session).</summary>
    public UpdateGroupSummary? UpdateGroupOf(PeerAddress peer) =>
        _rib.FindPeer(peer)?.UpdateGroupId is { } id ? _rib.UpdateGroups.FirstOrDefault(g => g.Id == id) : null;

    /// <summary>Every update group: what its members share, how many they are.</summary>
    public IReadOnlyList<UpdateGroupSummary> UpdateGroups() => [.. _rib.UpdateGroups.OrderBy(g => g.Id)];

    /// <summary>EVPN paths held: local ones and every peer's.</summary>
    public int PathCount => _rib.Local.PathCount + _rib.Peers.Sum(p => p.PathCount);

    /// <summary>Destinations (route keys) in the Loc-RIB.</summary>
    public int DestinationCount => _rib.DestinationCount;

    /// <summary>Paths held per EVPN route type.</summary>
    public IReadOnlyDictionary<EvpnRouteType, int> PathCountsByType() => _rib.PathCountsByType();

    /// <summary>Loc-RIB paths matching the filter. <see cref="RouteFilter.Vni"/> matches routes imported
    /// into that VNI's MAC-VRF (by route target) or originated by it.</summary>
    public IReadOnlyList<RouteView> Routes(RouteFilter filter) => ScanRoutes(filter).Next(int.MaxValue);

    /// <summary>The paths of <see cref="Routes"/> in slices, for answers too large to make in one turn of the
    /// speaker loop: see <see cref="RouteScan"/>.</summary>
    public RouteScan ScanRoutes(RouteFilter filter)
    {
        Flush();
        MacVrf? vrf = null;
        if (filter.Vni is { } vni && !_vrfs.TryGetValue(vni, out vrf))
        {
            return new RouteScan(this, null, []);
        }
        var keys = new List<EvpnRoute>(_rib.DestinationCount);
        foreach (var key in _rib.Keys)
        {
            if ((filter.Type is not { } type || key.Type == type) &&
                (filter.Rd is not { } rd || key.Rd == rd) &&
                (filter.Mac is not { } mac || (key is MacIpAdvertisementRoute m && m.Mac == mac)))
            {
                keys.Add(key);
            }
        }
        return new RouteScan(this, vrf, keys);
    }

    /// <summary>Adds the views of the paths of <paramref name="key"/> that pass the VNI filter; nothing when
    /// the key has left the Loc-RIB.</summary>
    internal void AddRouteViews(EvpnRoute key, MacVrf? vrf, List<RouteView> views)
    {
        if (_rib.Find(key) is not { } destination)
        {
            return;
        }
        foreach (var path in destination.Paths)
        {
            if (vrf is not null && !BelongsTo(vrf, path))
            {
                continue;
            }
            var isBest = ReferenceEquals(path, destination.Best);
            views.Add(new RouteView(path.Route, path.Attributes.Attributes, path.NextHop, path.Source.ToString(), isBest, path.IsStale,
                isBest ? destination.Reason : null, ImportSelection.LabelVni(path), NotInstalled(path), path.ReceivedPathId));
        }
    }

    internal void FlushForQuery() => Flush();

    /// <summary>Every location claimed for <paramref name="mac"/> in <paramref name="vni"/> and why the winner won.</summary>
    public MacExplanation Explain(MacAddress mac, uint vni)
    {
        Flush();
        if (!_vrfs.TryGetValue(vni, out var vrf))
        {
            return new MacExplanation(vni, mac, false, [], null, false, $"VNI {vni} is neither configured nor present in the data plane");
        }
        if (vrf.Macs.View(mac) is not { } entry)
        {
            return new MacExplanation(vni, mac, true, [], null, false, $"no local or remote entry for {mac} in VNI {vni}");
        }
        var vtep = vrf.LocalVtep(Options.LocalVtep);
        var winner = entry.Winner(vtep);
        var candidates = new List<MacCandidateView>();
        if (entry.Local is { } local)
        {
            var candidate = new MobilityCandidate(vtep, local.Sequence, local.Sticky, null);
            candidates.Add(CandidateView(vrf, candidate, winner, local.Active ? null : "moved away or not learned yet"));
        }
        foreach (var path in entry.Remote)
        {
            candidates.Add(CandidateView(vrf, MobilityCandidate.Remote(path), winner, path.Source.ToString()));
        }
        var won = candidates.FirstOrDefault(c => c.IsWinner);
        string summary;
        if (won is null)
        {
            summary = $"{mac} in VNI {vni} is not served: the local entry is inactive and no remote route exists";
        }
        else
        {
            var decisive = candidates.Where(c => !c.IsWinner).Select(c => c.Reason).DefaultIfEmpty(MobilityReason.OnlyCandidate).Max();
            summary = $"{(won.IsLocal ? "local" : won.Vtep.ToString())} wins ({decisive}): sequence {won.Sequence}{(won.Sticky ? ", sticky" : "")}";
            if (RemoteVniOf(vrf, winner) is { } remote)
            {
                summary += $"; frames to it carry VNI {remote}, its label (downstream-assigned)";
            }
        }
        if (entry.IsDuplicate)
        {
            summary += $"; DUPLICATE since {entry.History!.DuplicateSince:u}: " +
                       (entry.IsFrozen ? "not advertised, data plane frozen" : "still followed (freeze: none)");
        }
        return new MacExplanation(vni, mac, true, candidates, won, entry.IsDuplicate, summary);
    }

    /// <summary>Received type-2/type-3 routes (their best paths) matching the filter, each with the import
    /// decision for every VNI it matched by route target. With <paramref name="vni"/>, that VNI's decision is
    /// always listed.</summary>
    public IReadOnlyList<RouteImportExplanation> ExplainImport(MacAddress? mac, RouteDistinguisher? rd, uint? ethernetTag, EvpnRouteType? type, uint? vni)
    {
        Flush();
        return _explainer.ExplainImport(mac, rd, ethernetTag, type, vni);
    }

    private MacCandidateView CandidateView(MacVrf vrf, MobilityCandidate candidate, MobilityCandidate? winner, string? learnedFrom)
    {
        var isWinner = winner is { } w && w.Vtep == candidate.Vtep && w.Path == candidate.Path;
        var reason = MobilityReason.OnlyCandidate;
        if (winner is { } win && !isWinner)
        {
            MacMobility.Compare(win, candidate, out reason);
        }
        var destination = candidate.Path is { } path ? _rib.Find(path.Route) : null;
        return new MacCandidateView(candidate.IsLocal, candidate.Vtep, candidate.Sequence, candidate.Sticky, candidate.Path?.Route,
            learnedFrom, isWinner, reason, destination?.Reason, destination?.Paths.Count() ?? 0,
            candidate.Path is { } imported
                ? ImportExplainer.Describe(_selection.ImportDecision(imported, vrf), ImportSelection.EthernetTagOf(imported.Route), ImportSelection.LabelVni(imported))
                : null);
    }

    internal MacView View(MacVrf vrf, MacEntry entry)
    {
        var vtep = vrf.LocalVtep(Options.LocalVtep);
        var winner = entry.Winner(vtep);
        var history = entry.History;
        var ips = new List<IpAddr>();
        MacLocation location;
        if (winner is { IsLocal: true })
        {
            location = MacLocation.Local;
            ips.AddRange(entry.Local!.Ips);
        }
        else if (winner is { } w)
        {
            location = MacLocation.Remote;
            MacReconciler.CollectNeighbors(vrf, entry, winner, ips);
            if (!vrf.IsPresent)
            {
                foreach (var path in entry.Remote)
                {
                    if (((MacIpAdvertisementRoute)path.Route).Ip is { } ip && path.NextHop == w.Vtep && !ips.Contains(ip))
                    {
                        ips.Add(ip);
                    }
                }
            }
        }
        else
        {
            location = MacLocation.Inactive;
            if (entry.Local is { } local)
            {
                ips.AddRange(local.Ips);
            }
        }
        var isGateway = winner?.Path?.Attributes.IsDefaultGateway ??
                        ((vrf.Config?.AdvertiseDefaultGateway ?? Options.AdvertiseDefaultGateway) && entry.Local is { } l && vrf.Info?.Svi == l.Port);
        return new MacView(vrf.Vni, entry.Mac, location, winner?.Vtep, winner?.Sequence ?? entry.Local?.Sequence ?? 0,
            winner?.Sticky ?? entry.Local?.Sticky ?? false, entry.IsDuplicate, history?.TotalMoves ?? 0, ips,
            entry.Local?.Port, isGateway, RemoteVniOf(vrf, winner));
    }

    /// <summary>The VNI frames toward a remote winner carry when its label names another than the MAC-VRF's
    /// (downstream-assigned); null otherwise.</summary>
    private static uint? RemoteVniOf(MacVrf vrf, MobilityCandidate? winner) =>
        winner is { IsLocal: false, Path: { } path } && MacVrf.RemoteVni(path) is var remote && remote != vrf.Vni ? remote : null;

    private bool BelongsTo(MacVrf vrf, RibPath path)
    {
        if (path.Source.IsLocal)
        {
            return path.Route.Rd == vrf.Rd && ImportSelection.EthernetTagOf(path.Route) == vrf.EthernetTag;
        }
        return Array.IndexOf(_selection.ImportTargets(path), vrf) >= 0;
    }

    /// <summary>Why a received type-2 or type-3 path is not installed, for show.</summary>
    private string? NotInstalled(RibPath path) =>
        path.Source.IsLocal || path.Route.Type is not (EvpnRouteType.MacIpAdvertisement or EvpnRouteType.InclusiveMulticast)
            ? null
            : InstallCheck.Why(path, Options.LocalVtep);
}
