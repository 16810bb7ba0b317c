using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>MAC-VRF lifecycle: configured and discovered VNIs coming and going, their identity changing on
/// reconfiguration, and the re-evaluation of imports when route targets change.</summary>
internal sealed class MacVrfLifecycle
{
    private readonly Func<CoreOptions> _options;
    private readonly Rib.Rib _rib;
    private readonly CoreCounters _counters;
    private readonly CoreOutputs _outputs;
    private readonly MacVrfRegistry _vrfs;
    private readonly ImportSelection _selection;
    private readonly Origination _origination;
    private readonly MacReconciler _reconciler;
    private readonly RemoteImporter _importer;
    private readonly DuplicateDetector _duplicates;

    /// <summary>MAC-VRFs created or re-targeted whose imports from the Loc-RIB are still to be made.</summary>
    private readonly List<MacVrf> _pendingRescan = new();

    public MacVrfLifecycle(Func<CoreOptions> options, Rib.Rib rib, CoreCounters counters, CoreOutputs outputs, MacVrfRegistry vrfs,
        ImportSelection selection, Origination origination, MacReconciler reconciler, RemoteImporter importer, DuplicateDetector duplicates)
    {
        _options = options;
        _rib = rib;
        _counters = counters;
        _outputs = outputs;
        _vrfs = vrfs;
        _selection = selection;
        _origination = origination;
        _reconciler = reconciler;
        _importer = importer;
        _duplicates = duplicates;
    }

    private CoreOptions Options => _options();

    /// <summary>The configuration changed to <paramref name="options"/> (already current): VNIs added or removed,
    /// RD/RT or format changes. Imports are re-evaluated and local routes re-advertised where their identity
    /// changed.</summary>
    public void Reconfigure(CoreOptions options, bool wildcardChanged)
    {
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
    }

    public void VniUp(VniInfo info)
    {
        if (!_vrfs.TryGetValue(info.Vni, out var vrf))
        {
            if (!Options.AdvertiseAllVnis)
            {
                return;
            }
            vrf = CreateVrf(info.Vni, null);
        }
        var wasPresent = vrf.IsPresent;
        var previousVtep = vrf.LocalVtep(Options.LocalVtep);
        vrf.Info = info;
        if (wasPresent && previousVtep != vrf.LocalVtep(Options.LocalVtep))
        {
            // The VTEP address changed: local routes carry it as next hop.
            foreach (var entry in vrf.Macs.Entries())
            {
                if (entry.Local is { } local)
                {
                    _origination.WithdrawLocal(local);
                    _origination.SyncLocalRoutes(vrf, entry, entry.Winner(vrf.LocalVtep(Options.LocalVtep)));
                }
            }
        }
        if (!wasPresent)
        {
            foreach (var vtep in vrf.FloodVteps.Keys)
            {
                _outputs.Add(new DataPlaneIntent.AddFlood(vrf.FloodEntryOf(vtep)));
            }
            foreach (var entry in vrf.Macs.ExpandAll())
            {
                // Reconciled as the VNI appearing: nothing was installed for it while it was absent.
                vrf.Info = null;
                _reconciler.Reconcile(vrf, entry, info, static (info, vrf, _, _) => vrf.Info = info, countMove: false);
            }
        }
        _origination.SyncInclusiveMulticast(vrf);
    }

    public void VniDown(uint vni)
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
            _reconciler.Reconcile(vrf, entry, _origination, static (origination, vrf, entry, _) =>
            {
                if (entry.Local is { } local)
                {
                    // The VNI's device is gone, and with it every MAC learned on it.
                    origination.WithdrawLocal(local);
                    entry.Local = null;
                }
                vrf.Info = null;
            }, countMove: false);
        }
        vrf.Info = null;
        vrf.LocalIps.Clear();
        foreach (var vtep in vrf.FloodVteps.Keys)
        {
            _outputs.Add(new DataPlaneIntent.RemoveFlood(vrf.FloodEntryOf(vtep)));
        }
        _origination.SyncInclusiveMulticast(vrf);
    }

    public MacVrf CreateVrf(uint vni, VniConfig? config)
    {
        var vrf = _vrfs.Add(vni, config);
        _selection.Index(vrf);
        _pendingRescan.Add(vrf);
        Reevaluate(_selection.Sharers(vrf));
        return vrf;
    }

    private void DeleteVrf(MacVrf vrf)
    {
        var sharers = _selection.Sharers(vrf);
        _selection.Unindex(vrf);
        Reevaluate(sharers);
        if (vrf.LocalInclusiveMulticast is { } type3)
        {
            _rib.WithdrawLocal(type3);
        }
        foreach (var entry in vrf.Macs.Entries())
        {
            if (entry.Local is { } local)
            {
                _origination.WithdrawLocal(local);
            }
            if (entry.IsDuplicate)
            {
                _counters.DuplicateMacsNow--;
            }
        }
        _duplicates.Forget(vrf);
        _pendingRescan.Remove(vrf);
        _vrfs.Remove(vrf);
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
        var sharers = _selection.Sharers(vrf);
        _selection.Unindex(vrf);
        _vrfs.SetIdentity(vrf);
        _selection.Index(vrf);
        var importChanged = wildcardChanged || !import.SequenceEqual(vrf.ImportRouteTargets) || wildcard != vrf.WildcardLocalAdministrator ||
                            tag != vrf.EthernetTag;
        if (importChanged)
        {
            DropUnmatchedImports(vrf);
            _pendingRescan.Add(vrf);
            Reevaluate(sharers);
            Reevaluate(_selection.Sharers(vrf));
        }
        if (rd != vrf.Rd || !export.SequenceEqual(vrf.ExportRouteTargets) || importChanged)
        {
            foreach (var entry in vrf.Macs.Entries())
            {
                if (entry.Local is not null)
                {
                    _origination.SyncLocalRoutes(vrf, entry, entry.Winner(vrf.LocalVtep(Options.LocalVtep)));
                }
            }
            _origination.SyncInclusiveMulticast(vrf);
        }
    }

    private void DropUnmatchedImports(MacVrf vrf)
    {
        foreach (var view in vrf.Macs.Views().ToList())
        {
            List<EvpnRoute>? drop = null;
            foreach (var path in view.Remote)
            {
                if (Array.IndexOf(_selection.ImportTargets(path), vrf) < 0)
                {
                    (drop ??= new()).Add(path.Route);
                }
            }
            if (drop is null || !vrf.Macs.TryGetValue(view.Mac, out var entry))
            {
                continue;
            }
            _reconciler.Reconcile(vrf, entry, drop, static (drop, _, entry, _) =>
            {
                foreach (var key in drop)
                {
                    entry.RemoveRemote(key);
                }
            });
        }
        foreach (var (key, _) in vrf.InclusiveMulticast.ToList())
        {
            if (_rib.Find(key)?.Best is not { } best || Array.IndexOf(_selection.ImportTargets(best), vrf) < 0)
            {
                _importer.RemoveInclusiveMulticast(vrf, key);
            }
        }
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

    /// <summary>Imports what the Loc-RIB already holds into MAC-VRFs created or re-targeted since the
    /// last call: one pass over the Loc-RIB however many VNIs appeared. False when none was pending.</summary>
    public bool RescanPending()
    {
        if (_pendingRescan.Count == 0)
        {
            return false;
        }
        var pending = _pendingRescan.ToArray();
        _pendingRescan.Clear();
        // A snapshot: importing can change local routes, and so the Loc-RIB being walked.
        foreach (var best in _rib.BestPaths.ToList())
        {
            if (best.Source.IsLocal ||
                best.Route.Type is not (EvpnRouteType.MacIpAdvertisement or EvpnRouteType.InclusiveMulticast) ||
                !_importer.IsImportable(best, count: false))
            {
                continue;
            }
            foreach (var vrf in _selection.ImportTargets(best))
            {
                if (Array.IndexOf(pending, vrf) >= 0)
                {
                    _importer.ImportInto(vrf, best.Route, best);
                }
            }
        }
        return true;
    }
}
