using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Import of remote type-2 and type-3 best paths into the MAC-VRFs <see cref="ImportSelection"/> selects:
/// type-2 into the MAC entries (reconciled by <see cref="MacReconciler"/>), type-3 into the flood lists.</summary>
internal sealed class RemoteImporter
{
    private readonly Func<CoreOptions> _options;
    private readonly CoreCounters _counters;
    private readonly CoreOutputs _outputs;
    private readonly ImportSelection _selection;
    private readonly MacReconciler _reconciler;

    public RemoteImporter(Func<CoreOptions> options, CoreCounters counters, CoreOutputs outputs, ImportSelection selection, MacReconciler reconciler)
    {
        _options = options;
        _counters = counters;
        _outputs = outputs;
        _selection = selection;
        _reconciler = reconciler;
    }

    private CoreOptions Options => _options();

    public void Import(BestPathChange change)
    {
        var previous = change.Previous is { } p && IsImportable(p, count: false) ? p : null;
        var current = change.Current is { } c && IsImportable(c, count: true) ? c : null;
        if (previous is null && current is null)
        {
            return;
        }
        var route = (current ?? previous)!.Route;
        if (route.Type is not (EvpnRouteType.MacIpAdvertisement or EvpnRouteType.InclusiveMulticast))
        {
            // Types 1, 4 and 5 are selected and reflected, not imported: evpnd has no multihoming or IP-VRFs yet.
            return;
        }
        var before = previous is null ? [] : _selection.ImportTargets(previous);
        var after = current is null ? [] : _selection.ImportTargets(current);
        foreach (var vrf in after)
        {
            ImportInto(vrf, change.Key, current);
        }
        foreach (var vrf in before)
        {
            if (Array.IndexOf(after, vrf) < 0)
            {
                ImportInto(vrf, change.Key, null);
            }
        }
        if (current is not null && after.Length == 0)
        {
            _counters.RoutesWithoutMacVrf++;
        }
    }

    /// <summary>Remote routes only (ours come back reflected at most, and the loop checks drop those) that
    /// the VXLAN data plane can serve (<see cref="InstallCheck"/>).</summary>
    public bool IsImportable(RibPath path, bool count)
    {
        if (path.Source.IsLocal || path.NextHop == Options.LocalVtep)
        {
            return false;
        }
        var block = InstallCheck.Check(path, Options.LocalVtep);
        if (count)
        {
            _counters.CountNotInstalled(block);
        }
        return block == InstallBlock.None;
    }

    /// <summary>Why a received path stays out of the data plane, in one sentence, or null when it does not.</summary>
    public string? NotInstalled(RibPath path) => InstallCheck.Why(path, Options.LocalVtep);

    /// <summary>Puts (or with a null <paramref name="current"/>, removes) the best path of one
    /// destination (route key <paramref name="key"/>) in one MAC-VRF. Idempotent: a path is keyed by its destination.</summary>
    public void ImportInto(MacVrf vrf, EvpnRoute key, RibPath? current)
    {
        var route = current?.Route ?? key;
        if (route is InclusiveMulticastRoute type3)
        {
            if (current is null)
            {
                RemoveInclusiveMulticast(vrf, key);
            }
            else
            {
                PutInclusiveMulticast(vrf, key, InstallCheck.Vtep(current), ImportSelection.LabelVni(current) ?? vrf.Vni);
            }
            return;
        }
        var mac = ((MacIpAdvertisementRoute)route).Mac;
        if (vrf.IsPresent && ImportAlone(vrf, mac, key, current))
        {
            return;
        }
        MacEntry? entry;
        if (current is null)
        {
            if (!vrf.Macs.TryGetValue(mac, out entry))
            {
                return;
            }
        }
        else
        {
            entry = vrf.GetOrAdd(mac);
        }
        _reconciler.Reconcile(vrf, entry, (Key: key, Current: current, Outputs: _outputs), static (s, vrf, entry, _) =>
        {
            if (s.Current is not { } current)
            {
                entry.RemoveRemote(s.Key);
                return;
            }
            entry.PutRemote(current);
            if (entry.Local is { Active: true, Sticky: true })
            {
                s.Outputs.StickyConflict(vrf, entry.Mac, current.Attributes.IsSticky
                    ? $"is also static at {current.NextHop}: a misconfiguration; the sequence number, then the lower VTEP decides"
                    : $"is advertised by {current.NextHop}: the local static entry stays");
            }
        });
    }

    /// <summary>The common cases of a MAC known from one remote route only, decided without a
    /// <see cref="MacEntry"/>: a new MAC, the same route changed without moving, and its withdrawal. Each
    /// gives the intents <see cref="MacReconciler.Reconcile{TState}"/> would: with one location there is no
    /// mobility decision, no move and no local route. False for anything else.</summary>
    private bool ImportAlone(MacVrf vrf, MacAddress mac, EvpnRoute key, RibPath? current)
    {
        // Added first, looked up only when the MAC is known already: one probe for a new MAC.
        if (current is not null && vrf.Macs.TryAddInstalled(current))
        {
            _outputs.Add(new DataPlaneIntent.AddFdb(vrf.FdbEntryOf(mac, current)));
            if (((MacIpAdvertisementRoute)current.Route).Ip is { } ip)
            {
                vrf.Neighbors.Set(ip, mac);
                _outputs.Add(new DataPlaneIntent.AddNeighbor(new NeighborEntry(vrf.Vni, ip, mac)));
            }
            return true;
        }
        var member = vrf.Macs.Find(mac);
        if (member is null)
        {
            // A withdrawal for a MAC not here.
            return true;
        }
        if (member is not RibPath installed || !RouteKeyComparer.Instance.Equals(installed.Route, key))
        {
            return false;
        }
        // Same destination, so the same IP (part of the route key).
        var neighborIp = ((MacIpAdvertisementRoute)installed.Route).Ip;
        if (current is null)
        {
            vrf.Macs.Remove(mac);
            _outputs.Add(new DataPlaneIntent.RemoveFdb(vrf.FdbEntryOf(mac, installed)));
            if (neighborIp is { } ip && vrf.Neighbors.TryGetOwner(ip, out var owner) && owner == mac)
            {
                vrf.Neighbors.Remove(ip);
                _outputs.Add(new DataPlaneIntent.RemoveNeighbor(new NeighborEntry(vrf.Vni, ip, mac)));
            }
            return true;
        }
        if (current.NextHop != installed.NextHop)
        {
            // Another VTEP: a move, counted by the general path.
            return false;
        }
        vrf.Macs.ReplaceInstalled(current);
        if (!MacVrf.SameFdbEntry(current, installed))
        {
            _outputs.Add(new DataPlaneIntent.AddFdb(vrf.FdbEntryOf(mac, current)));
        }
        if (neighborIp is { } again && (!vrf.Neighbors.TryGetOwner(again, out var holder) || holder != mac))
        {
            vrf.Neighbors.Set(again, mac);
            _outputs.Add(new DataPlaneIntent.AddNeighbor(new NeighborEntry(vrf.Vni, again, mac)));
        }
        return true;
    }

    /// <summary>RFC 8365 section 9 / RFC 7432 section 11: a remote type-3 puts its VTEP in the VNI's flood list,
    /// flooded to with the PMSI tunnel label's VNI (<paramref name="remoteVni"/>; section 5.1.3).</summary>
    private void PutInclusiveMulticast(MacVrf vrf, EvpnRoute key, IpAddr vtep, uint remoteVni)
    {
        remoteVni = remoteVni == vrf.Vni ? 0 : remoteVni;
        if (vrf.InclusiveMulticast.TryGetValue(key, out var existing))
        {
            if (existing == vtep && (vrf.FloodVteps[vtep] > 1 || (vrf.FloodRemoteVnis?.GetValueOrDefault(vtep) ?? 0) == remoteVni))
            {
                return;
            }
            RemoveInclusiveMulticast(vrf, key);
        }
        vrf.InclusiveMulticast[key] = vtep;
        vrf.FloodVteps.TryGetValue(vtep, out var count);
        vrf.FloodVteps[vtep] = count + 1;
        if (count == 0)
        {
            if (remoteVni != 0)
            {
                (vrf.FloodRemoteVnis ??= [])[vtep] = remoteVni;
            }
            if (vrf.IsPresent)
            {
                _outputs.Add(new DataPlaneIntent.AddFlood(vrf.FloodEntryOf(vtep)));
            }
        }
    }

    public void RemoveInclusiveMulticast(MacVrf vrf, EvpnRoute key)
    {
        if (!vrf.InclusiveMulticast.Remove(key, out var vtep))
        {
            return;
        }
        var count = vrf.FloodVteps[vtep] - 1;
        if (count > 0)
        {
            vrf.FloodVteps[vtep] = count;
            return;
        }
        if (vrf.IsPresent)
        {
            _outputs.Add(new DataPlaneIntent.RemoveFlood(vrf.FloodEntryOf(vtep)));
        }
        vrf.FloodVteps.Remove(vtep);
        vrf.FloodRemoteVnis?.Remove(vtep);
    }
}
