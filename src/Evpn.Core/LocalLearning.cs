using Evpn.DataPlane;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Local MACs and neighbors from the data plane into the MAC entries of present VNIs, reconciled by
/// <see cref="MacReconciler"/>: a local MAC is advertised while this VTEP is its winning location.</summary>
internal sealed class LocalLearning
{
    private readonly MacVrfRegistry _vrfs;
    private readonly MacReconciler _reconciler;
    private readonly Origination _origination;
    private readonly CoreOutputs _outputs;

    public LocalLearning(MacVrfRegistry vrfs, MacReconciler reconciler, Origination origination, CoreOutputs outputs)
    {
        _vrfs = vrfs;
        _reconciler = reconciler;
        _origination = origination;
        _outputs = outputs;
    }

    /// <summary>A local MAC or neighbor learned or removed; other events are not local learning.</summary>
    public void Apply(DataPlaneEvent e)
    {
        switch (e)
        {
            case DataPlaneEvent.LocalMacLearned learned:
                LocalMacLearned(learned.Vni, learned.Mac, learned.Sticky, learned.Port);
                break;
            case DataPlaneEvent.LocalMacRemoved removed:
                LocalMacRemoved(removed.Vni, removed.Mac);
                break;
            case DataPlaneEvent.LocalNeighborLearned neighbor:
                LocalNeighborLearned(neighbor.Vni, neighbor.Ip, neighbor.Mac);
                break;
            case DataPlaneEvent.LocalNeighborRemoved neighbor:
                LocalNeighborRemoved(neighbor.Vni, neighbor.Ip);
                break;
        }
    }

    /// <summary>RFC 7432 section 15.1: a MAC learned locally for which a remote route exists is
    /// advertised with sequence number = highest remote + 1 (a move to this VTEP).</summary>
    private void LocalMacLearned(uint vni, MacAddress mac, bool sticky, string port)
    {
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.IsPresent)
        {
            return;
        }
        var entry = vrf.GetOrAdd(mac);
        _reconciler.Reconcile(vrf, entry, (Sticky: sticky, Port: port, Outputs: _outputs), static (s, vrf, entry, before) =>
        {
            var local = entry.Local ??= new LocalMac { Active = false };
            local.Sticky = s.Sticky;
            local.Port = s.Port;
            var relearn = !local.Active || before is { IsLocal: false };
            if (relearn)
            {
                var remote = entry.RemoteHighest();
                if (remote.Any)
                {
                    local.Sequence = Math.Max(local.Sequence, remote.Sequence + 1);
                    if (remote.Sticky)
                    {
                        s.Outputs.StickyConflict(vrf, entry.Mac, "learned locally but a remote VTEP advertises it as sticky: it stays remote");
                    }
                }
                local.Active = true;
            }
        });
    }

    private void LocalMacRemoved(uint vni, MacAddress mac)
    {
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.Macs.TryGetValue(mac, out var entry) || entry.Local is null)
        {
            return;
        }
        _reconciler.Reconcile(vrf, entry, _origination, static (origination, vrf, entry, _) =>
        {
            var local = entry.Local!;
            origination.WithdrawLocal(local);
            foreach (var ip in local.Ips)
            {
                vrf.LocalIps.Remove(ip);
            }
            entry.Local = null;
        });
    }

    /// <summary>A local ARP/ND entry: the MAC is also advertised as MAC+IP (RFC 7432 section 7.2).</summary>
    private void LocalNeighborLearned(uint vni, IpAddr ip, MacAddress mac)
    {
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.IsPresent)
        {
            return;
        }
        if (vrf.LocalIps.TryGetValue(ip, out var previousMac))
        {
            if (previousMac == mac)
            {
                return;
            }
            LocalNeighborRemoved(vni, ip);
        }
        var entry = vrf.GetOrAdd(mac);
        _reconciler.Reconcile(vrf, entry, ip, static (ip, vrf, entry, _) =>
        {
            // A binding may arrive before its MAC: kept, advertised once the MAC is learned.
            var local = entry.Local ??= new LocalMac { Active = false };
            local.Ips.Add(ip);
            vrf.LocalIps[ip] = entry.Mac;
        });
    }

    private void LocalNeighborRemoved(uint vni, IpAddr ip)
    {
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.LocalIps.Remove(ip, out var mac) ||
            !vrf.Macs.TryGetValue(mac, out var entry) || entry.Local is null)
        {
            return;
        }
        _reconciler.Reconcile(vrf, entry, (Ip: ip, Origination: _origination), static (s, _, entry, _) =>
        {
            var local = entry.Local!;
            local.Ips.Remove(s.Ip);
            if (!local.Active && local.Ips.Count == 0)
            {
                s.Origination.WithdrawLocal(local);
                entry.Local = null;
            }
        });
    }
}
