using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Read-only queries for the management API. Call them from the speaker loop (they read the
/// owner's state) and hand the immutable results to other threads.</summary>
public sealed partial class EvpnCore
{
    public IReadOnlyList<VniView> Vnis()
    {
        Flush();
        return _vrfs.Values.OrderBy(v => v.Vni).Select(v =>
        {
            var (local, remote) = v.Macs.CountLocation();
            return new VniView(v.Vni, v.Rd, v.ImportRouteTargets, v.ExportRouteTargets, v.Config is not null, v.IsPresent,
                v.LocalVtep(_options.LocalVtep), local, remote, v.FloodVteps.Count);
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

    public MacView? FindMac(uint vni, MacAddress mac)
    {
        Flush();
        return _vrfs.TryGetValue(vni, out var vrf) && vrf.Macs.View(mac) is { } entry ? View(vrf, entry) : null;
    }

    public IReadOnlyList<MacView> DuplicateMacs()
    {
        Flush();
        return _duplicates.Select(d => View(d.Vrf, d.Entry)).ToList();
    }

    /// <summary>The remote VTEPs of a VNI's flood list (from type-3 routes).</summary>
    public IReadOnlyList<FloodEntry> FloodList(uint vni)
    {
        Flush();
        return _vrfs.TryGetValue(vni, out var vrf)
            ? vrf.FloodVteps.Keys.Order().Select(v => new FloodEntry(vni, v)).ToList()
            : [];
    }

    /// <summary>How many MAC-VRFs exist (configured or present), without counting their MACs.</summary>
    public int VniCount => _vrfs.Count;

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
                isBest ? destination.Reason : null, LabelVni(path), NotInstalled(path)));
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
        var vtep = vrf.LocalVtep(_options.LocalVtep);
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
        }
        if (entry.IsDuplicate)
        {
            summary += $"; DUPLICATE since {entry.History!.DuplicateSince:u}: " +
                       (entry.IsFrozen ? "not advertised, data plane frozen" : "still followed (freeze: none)");
        }
        return new MacExplanation(vni, mac, true, candidates, won, entry.IsDuplicate, summary);
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
            candidate.Path is { } imported ? Describe(ImportDecision(imported, vrf), EthernetTagOf(imported.Route), LabelVni(imported)) : null);
    }

    private MacView View(MacVrf vrf, MacEntry entry)
    {
        var vtep = vrf.LocalVtep(_options.LocalVtep);
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
            CollectNeighbors(vrf, entry, winner, ips);
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
                        ((vrf.Config?.AdvertiseDefaultGateway ?? _options.AdvertiseDefaultGateway) && entry.Local is { } l && vrf.Info?.Svi == l.Port);
        return new MacView(vrf.Vni, entry.Mac, location, winner?.Vtep, winner?.Sequence ?? entry.Local?.Sequence ?? 0,
            winner?.Sticky ?? entry.Local?.Sticky ?? false, entry.IsDuplicate, history?.TotalMoves ?? 0, ips,
            entry.Local?.Port, isGateway);
    }

    private bool BelongsTo(MacVrf vrf, RibPath path)
    {
        if (path.Source.IsLocal)
        {
            return path.Route.Rd == vrf.Rd && EthernetTagOf(path.Route) == vrf.EthernetTag;
        }
        return Array.IndexOf(ImportTargets(path), vrf) >= 0;
    }

    /// <summary>Why a received type-2 or type-3 path is not installed, for show.</summary>
    private static string? NotInstalled(RibPath path) =>
        path.Source.IsLocal || path.Route.Type is not (EvpnRouteType.MacIpAdvertisement or EvpnRouteType.InclusiveMulticast)
            ? null
            : RouteForms.UnsupportedTunnel(path);

    /// <summary>RFC 8365 section 5.1.3: with the VXLAN encapsulation community the label is the VNI.</summary>
    private static uint? LabelVni(RibPath path)
    {
        if (!path.Attributes.IsVxlan)
        {
            return null;
        }
        return path.Route switch
        {
            MacIpAdvertisementRoute r => EvpnLabel.ToVni(r.Label1),
            InclusiveMulticastRoute => path.Attributes.Attributes.PmsiTunnel is { } pmsi ? EvpnLabel.ToVni(pmsi.Label) : null,
            EthernetAutoDiscoveryRoute r => EvpnLabel.ToVni(r.Label),
            IpPrefixRoute r => EvpnLabel.ToVni(r.Label),
            _ => null,
        };
    }
}
