using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>MAC-VRF lifecycle: configured and discovered VNIs, RD/RT derivation, the route-target
/// index used by import, and re-evaluation when route targets change.</summary>
public sealed partial class EvpnCore
{
    private readonly Dictionary<uint, MacVrf> _vrfs = new();
    private readonly Dictionary<ulong, List<MacVrf>> _byRouteTarget = new();
    private readonly Dictionary<uint, List<MacVrf>> _byWildcard = new();
    private readonly HashSet<ushort> _usedRdIndexes = new();
    private readonly List<MacVrf> _pendingRescan = new();

    /// <summary>Bumped whenever the route-target index changes, invalidating import caches.</summary>
    private int _importGeneration;

    /// <summary>Applies a new configuration: VNIs added or removed, RD/RT or format changes. Imports
    /// are re-evaluated and local routes re-advertised where their identity changed. The router id,
    /// AS and VTEP address are fixed for the life of the core.</summary>
    public void Reconfigure(CoreOptions options)
    {
        if (options.LocalAsn != _options.LocalAsn || options.RouterId != _options.RouterId || options.LocalVtep != _options.LocalVtep ||
            options.IsRouteReflector != _options.IsRouteReflector || options.ClusterId != _options.ClusterId)
        {
            throw new ArgumentException("the AS, router id, VTEP address and route-reflector role need a restart of evpnd", nameof(options));
        }
        var wildcardChanged = options.WildcardImport != _options.WildcardImport;
        _options = options;
        var configured = options.Vnis.ToDictionary(v => v.Vni);
        foreach (var vrf in _vrfs.Values.ToList())
        {
            if (configured.TryGetValue(vrf.Vni, out var config))
            {
                vrf.Config = config;
                RefreshIdentity(vrf, wildcardChanged);
            }
            else
            {
                vrf.Config = null;
                if (!vrf.IsPresent || !options.AdvertiseAllVnis)
                {
                    Uninstall(vrf);
                    DeleteVrf(vrf);
                }
                else
                {
                    RefreshIdentity(vrf, wildcardChanged);
                }
            }
        }
        foreach (var config in options.Vnis)
        {
            if (!_vrfs.ContainsKey(config.Vni))
            {
                CreateVrf(config.Vni, config);
            }
        }
        Process();
    }

    private void VniUp(VniInfo info)
    {
        if (!_vrfs.TryGetValue(info.Vni, out var vrf))
        {
            if (!_options.AdvertiseAllVnis)
            {
                return;
            }
            vrf = CreateVrf(info.Vni, null);
        }
        var wasPresent = vrf.IsPresent;
        var previousVtep = vrf.LocalVtep(_options.LocalVtep);
        vrf.Info = info;
        if (wasPresent && previousVtep != vrf.LocalVtep(_options.LocalVtep))
        {
            // The VTEP address changed: local routes carry it as next hop.
            foreach (var entry in vrf.Macs.Entries())
            {
                if (entry.Local is { } local)
                {
                    WithdrawLocal(local);
                    SyncLocalRoutes(vrf, entry, entry.Winner(vrf.LocalVtep(_options.LocalVtep)));
                }
            }
        }
        if (!wasPresent)
        {
            foreach (var vtep in vrf.FloodVteps.Keys)
            {
                _intents.Add(new DataPlaneIntent.AddFlood(new FloodEntry(vrf.Vni, vtep)));
            }
            foreach (var entry in vrf.Macs.ExpandAll())
            {
                _beforeIps.Clear();
                After(vrf, entry, null);
            }
        }
        SyncInclusiveMulticast(vrf);
        Process();
    }

    private void VniDown(uint vni)
    {
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.IsPresent)
        {
            return;
        }
        Uninstall(vrf);
        if (vrf.Config is null)
        {
            DeleteVrf(vrf);
        }
        Process();
    }

    /// <summary>The VNI leaves the data plane: what was installed for it is removed, its local MACs
    /// are forgotten and its routes withdrawn. Imported remote state is kept for when it returns.</summary>
    private void Uninstall(MacVrf vrf)
    {
        if (!vrf.IsPresent)
        {
            return;
        }
        var info = vrf.Info;
        foreach (var entry in vrf.Macs.ExpandAll())
        {
            vrf.Info = info;
            Before(vrf, entry);
            if (entry.Local is { } local)
            {
                // The VNI's device is gone, and with it every MAC learned on it.
                WithdrawLocal(local);
                entry.Local = null;
            }
            vrf.Info = null;
            After(vrf, entry, null);
        }
        vrf.Info = null;
        vrf.LocalIps.Clear();
        foreach (var vtep in vrf.FloodVteps.Keys)
        {
            _intents.Add(new DataPlaneIntent.RemoveFlood(new FloodEntry(vrf.Vni, vtep)));
        }
        SyncInclusiveMulticast(vrf);
    }

    private MacVrf CreateVrf(uint vni, VniConfig? config)
    {
        var vrf = new MacVrf(vni) { Config = config };
        _vrfs.Add(vni, vrf);
        SetIdentity(vrf);
        Index(vrf);
        _pendingRescan.Add(vrf);
        Reevaluate(Sharers(vrf));
        return vrf;
    }

    private void DeleteVrf(MacVrf vrf)
    {
        var sharers = Sharers(vrf);
        Unindex(vrf);
        Reevaluate(sharers);
        if (vrf.LocalInclusiveMulticast is { } type3)
        {
            _rib.WithdrawLocal(type3);
        }
        foreach (var entry in vrf.Macs.Entries())
        {
            if (entry.Local is { } local)
            {
                WithdrawLocal(local);
            }
            if (entry.IsDuplicate)
            {
                Counters.DuplicateMacsNow--;
            }
        }
        // Forgotten with the VRF: a freeze expiry or an operator clear must not release them (and count them) again.
        _duplicates.RemoveAll(d => ReferenceEquals(d.Vrf, vrf));
        if (vrf.RdIndex != 0)
        {
            _usedRdIndexes.Remove(vrf.RdIndex);
        }
        _pendingRescan.Remove(vrf);
        _vrfs.Remove(vrf.Vni);
    }

    /// <summary>RD and route targets from configuration, or derived by the rule in effect (<see cref="VniIdentity"/>;
    /// an RD the rule does not fix is RFC 7432 section 7.9 <c>router-id:index</c>).</summary>
    private void SetIdentity(MacVrf vrf)
    {
        var config = vrf.Config;
        var mode = config?.Derivation ?? _options.Derivation;
        var evi = config?.Evi ?? vrf.Vni;
        var fixedRd = config?.Rd ?? VniIdentity.Rd(mode, _options.RouterId.V4Bits, evi);
        if (fixedRd is { } rd)
        {
            if (vrf.RdIndex != 0)
            {
                _usedRdIndexes.Remove(vrf.RdIndex);
                vrf.RdIndex = 0;
            }
            vrf.Rd = rd;
        }
        else
        {
            if (vrf.RdIndex == 0)
            {
                vrf.RdIndex = AllocateRdIndex();
            }
            vrf.Rd = VniIdentity.IndexedRd(_options.RouterId.V4Bits, vrf.RdIndex);
        }
        var auto = VniIdentity.RouteTarget(mode, _options.LocalAsn, vrf.Vni, evi);
        vrf.ImportRouteTargets = config?.ImportRouteTargets is { Count: > 0 } import ? import.ToArray() : [auto];
        vrf.ExportRouteTargets = config?.ExportRouteTargets is { Count: > 0 } export ? export.ToArray() : [auto];
        vrf.WildcardLocalAdministrator = VniIdentity.LocalAdministrator(auto);
        vrf.EthernetTag = config?.EthernetTag ?? 0;
    }

    private ushort AllocateRdIndex()
    {
        // RDs not made from an index: configured, or fixed by the derivation rule.
        var taken = new HashSet<RouteDistinguisher>(_vrfs.Values.Where(v => v.RdIndex == 0).Select(v => v.Rd));
        for (ushort index = 1; index < ushort.MaxValue; index++)
        {
            if (!_usedRdIndexes.Contains(index) && !taken.Contains(VniIdentity.IndexedRd(_options.RouterId.V4Bits, index)))
            {
                _usedRdIndexes.Add(index);
                return index;
            }
        }
        throw new InvalidOperationException("no free route distinguisher index (65534 MAC-VRFs)");
    }

    /// <summary>Re-derives a MAC-VRF's identity; when it changed, drops imports that no longer match,
    /// rescans the Loc-RIB for new matches and re-advertises local routes with the new RD/RTs.</summary>
    private void RefreshIdentity(MacVrf vrf, bool wildcardChanged)
    {
        var rd = vrf.Rd;
        var import = vrf.ImportRouteTargets;
        var export = vrf.ExportRouteTargets;
        var wildcard = vrf.WildcardLocalAdministrator;
        var tag = vrf.EthernetTag;
        var sharers = Sharers(vrf);
        Unindex(vrf);
        SetIdentity(vrf);
        Index(vrf);
        var importChanged = wildcardChanged || !import.SequenceEqual(vrf.ImportRouteTargets) || wildcard != vrf.WildcardLocalAdministrator ||
                            tag != vrf.EthernetTag;
        if (importChanged)
        {
            DropUnmatchedImports(vrf);
            _pendingRescan.Add(vrf);
            Reevaluate(sharers);
            Reevaluate(Sharers(vrf));
        }
        if (rd != vrf.Rd || !export.SequenceEqual(vrf.ExportRouteTargets) || importChanged)
        {
            foreach (var entry in vrf.Macs.Entries())
            {
                if (entry.Local is not null)
                {
                    SyncLocalRoutes(vrf, entry, entry.Winner(vrf.LocalVtep(_options.LocalVtep)));
                }
            }
            SyncInclusiveMulticast(vrf);
        }
    }

    private void DropUnmatchedImports(MacVrf vrf)
    {
        foreach (var view in vrf.Macs.Views().ToList())
        {
            List<EvpnRoute>? drop = null;
            foreach (var path in view.Remote)
            {
                if (Array.IndexOf(ImportTargets(path), vrf) < 0)
                {
                    (drop ??= new()).Add(path.Route);
                }
            }
            if (drop is null || !vrf.Macs.TryGetValue(view.Mac, out var entry))
            {
                continue;
            }
            Before(vrf, entry);
            foreach (var key in drop)
            {
                entry.RemoveRemote(key);
            }
            After(vrf, entry, _beforeWinner);
        }
        foreach (var (key, _) in vrf.InclusiveMulticast.ToList())
        {
            if (_rib.Find(key)?.Best is not { } best || Array.IndexOf(ImportTargets(best), vrf) < 0)
            {
                RemoveInclusiveMulticast(vrf, key);
            }
        }
    }

    /// <summary>The other MAC-VRFs importing one of <paramref name="vrf"/>'s route targets: whether a route
    /// target is unique to a VNI decides imports (<see cref="Decide"/>), so they change when it comes or goes.</summary>
    private List<MacVrf> Sharers(MacVrf vrf)
    {
        var sharers = new List<MacVrf>();
        foreach (var rt in vrf.ImportRouteTargets)
        {
            if (_byRouteTarget.TryGetValue(rt.Raw, out var list))
            {
                sharers.AddRange(list.Where(v => v != vrf && !sharers.Contains(v)));
            }
        }
        if (_options.WildcardImport && _byWildcard.TryGetValue(vrf.WildcardLocalAdministrator, out var wild))
        {
            sharers.AddRange(wild.Where(v => v != vrf && !sharers.Contains(v)));
        }
        return sharers;
    }

    /// <summary>Drops what <paramref name="vrfs"/> import and should no longer, and rescans the Loc-RIB for
    /// what they should import now.</summary>
    private void Reevaluate(List<MacVrf> vrfs)
    {
        foreach (var vrf in vrfs)
        {
            if (!_vrfs.ContainsKey(vrf.Vni))
            {
                continue;
            }
            DropUnmatchedImports(vrf);
            if (!_pendingRescan.Contains(vrf))
            {
                _pendingRescan.Add(vrf);
            }
        }
    }

    private void Index(MacVrf vrf)
    {
        foreach (var rt in vrf.ImportRouteTargets)
        {
            AddTo(_byRouteTarget, rt.Raw, vrf);
        }
        if (_options.WildcardImport)
        {
            AddTo(_byWildcard, vrf.WildcardLocalAdministrator, vrf);
        }
        _importGeneration++;
    }

    private void Unindex(MacVrf vrf)
    {
        foreach (var list in _byRouteTarget.Values)
        {
            list.Remove(vrf);
        }
        foreach (var list in _byWildcard.Values)
        {
            list.Remove(vrf);
        }
        _importGeneration++;
    }

    private static void AddTo<TKey>(Dictionary<TKey, List<MacVrf>> index, TKey key, MacVrf vrf) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = new List<MacVrf>(1);
            index.Add(key, list);
        }
        if (!list.Contains(vrf))
        {
            list.Add(vrf);
        }
    }

    /// <summary>Imports what the Loc-RIB already holds into MAC-VRFs created or re-targeted since the
    /// last call: one pass over the Loc-RIB however many VNIs appeared.</summary>
    private void Flush()
    {
        Process();
        if (_pendingRescan.Count == 0)
        {
            return;
        }
        var pending = _pendingRescan.ToArray();
        _pendingRescan.Clear();
        // A snapshot: importing can change local routes, and so the Loc-RIB being walked.
        foreach (var best in _rib.BestPaths.ToList())
        {
            if (best.Source.IsLocal ||
                best.Route.Type is not (EvpnRouteType.MacIpAdvertisement or EvpnRouteType.InclusiveMulticast) ||
                !IsImportable(best, count: false))
            {
                continue;
            }
            foreach (var vrf in ImportTargets(best))
            {
                if (Array.IndexOf(pending, vrf) >= 0)
                {
                    ImportInto(vrf, best.Route, best);
                }
            }
        }
        Process();
    }

}
