using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Local events (VNIs, MACs, neighbors) and the per-MAC reconciliation shared with import:
/// pick the winning location (RFC 7432 section 15), count moves, then bring the data plane and the
/// originated routes in line with it.</summary>
public sealed partial class EvpnCore
{
    private readonly List<IpAddr> _beforeIps = new();
    private readonly List<IpAddr> _afterIps = new();
    private readonly List<MacIpAdvertisementRoute> _desiredRoutes = new();
    private MobilityCandidate? _beforeWinner;

    /// <summary>An event from the data plane: VNIs appearing or going, local MACs and neighbors.</summary>
    public void Apply(DataPlaneEvent e)
    {
        switch (e)
        {
            case DataPlaneEvent.VniUp up:
                VniUp(up.Info);
                return;
            case DataPlaneEvent.VniDown down:
                VniDown(down.Vni);
                return;
        }
        Flush();
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
        Process();
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
        Before(vrf, entry);
        var local = entry.Local ??= new LocalMac { Active = false };
        local.Sticky = sticky;
        local.Port = port;
        var relearn = !local.Active || _beforeWinner is { IsLocal: false };
        if (relearn)
        {
            var remote = entry.RemoteHighest();
            if (remote.Any)
            {
                local.Sequence = Math.Max(local.Sequence, remote.Sequence + 1);
                if (remote.Sticky)
                {
                    StickyConflict(vrf, mac, "learned locally but a remote VTEP advertises it as sticky: it stays remote");
                }
            }
            local.Active = true;
        }
        After(vrf, entry, _beforeWinner);
    }

    private void LocalMacRemoved(uint vni, MacAddress mac)
    {
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.Macs.TryGetValue(mac, out var entry) || entry.Local is not { } local)
        {
            return;
        }
        Before(vrf, entry);
        WithdrawLocal(local);
        foreach (var ip in local.Ips)
        {
            vrf.LocalIps.Remove(ip);
        }
        entry.Local = null;
        After(vrf, entry, _beforeWinner);
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
        Before(vrf, entry);
        // A binding may arrive before its MAC: kept, advertised once the MAC is learned.
        var local = entry.Local ??= new LocalMac { Active = false };
        local.Ips.Add(ip);
        vrf.LocalIps[ip] = mac;
        After(vrf, entry, _beforeWinner);
    }

    private void LocalNeighborRemoved(uint vni, IpAddr ip)
    {
        if (!_vrfs.TryGetValue(vni, out var vrf) || !vrf.LocalIps.Remove(ip, out var mac) ||
            !vrf.Macs.TryGetValue(mac, out var entry) || entry.Local is not { } local)
        {
            return;
        }
        Before(vrf, entry);
        local.Ips.Remove(ip);
        if (!local.Active && local.Ips.Count == 0)
        {
            WithdrawLocal(local);
            entry.Local = null;
        }
        After(vrf, entry, _beforeWinner);
    }

    /// <summary>Records what is installed for the entry before a change: the winner and the neighbor IPs.</summary>
    private void Before(MacVrf vrf, MacEntry entry)
    {
        _beforeWinner = entry.Winner(vrf.LocalVtep(_options.LocalVtep));
        _beforeIps.Clear();
        if (entry.History is { Frozen: true } history)
        {
            if (vrf.IsPresent)
            {
                _beforeIps.AddRange(history.FrozenNeighborIps);
            }
            return;
        }
        CollectNeighbors(vrf, entry, _beforeWinner, _beforeIps);
    }

    /// <summary>Brings the data plane and the originated routes in line with the entry's new state.</summary>
    private void After(MacVrf vrf, MacEntry entry, MobilityCandidate? before)
    {
        var winner = entry.Winner(vrf.LocalVtep(_options.LocalVtep));
        if (entry.Local is { Active: true } local && winner is { IsLocal: false })
        {
            // RFC 7432 section 15.1: a later (or sticky) remote location wins; the MAC moved away
            // and the local route is withdrawn. A new local learn brings it back with seq + 1.
            local.Active = false;
        }
        if (before is { } b && winner is { } w && b.Vtep != w.Vtep && w.Sequence > b.Sequence && !MacMobility.IsGateway(b, w))
        {
            RecordMove(vrf, entry, b, w);
        }
        if (!entry.IsFrozen)
        {
            ApplyFdb(vrf, entry, winner);
            ApplyNeighbors(vrf, entry, winner);
        }
        SyncLocalRoutes(vrf, entry, winner);
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
                _intents.Add(new DataPlaneIntent.RemoveFdb(new FdbEntry(vrf.Vni, entry.Mac, installed.NextHop, installed.Attributes.IsSticky)));
                entry.InstalledVia = null;
            }
            return;
        }
        if (installed is null || installed.NextHop != desired.NextHop || installed.Attributes.IsSticky != desired.Attributes.IsSticky)
        {
            _intents.Add(new DataPlaneIntent.AddFdb(new FdbEntry(vrf.Vni, entry.Mac, desired.NextHop, desired.Attributes.IsSticky)));
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
                _intents.Add(new DataPlaneIntent.RemoveNeighbor(new NeighborEntry(vrf.Vni, ip, entry.Mac)));
            }
        }
        foreach (var ip in _afterIps)
        {
            if (!_beforeIps.Contains(ip) || !vrf.Neighbors.TryGetOwner(ip, out var owner) || owner != entry.Mac)
            {
                vrf.Neighbors.Set(ip, entry.Mac);
                _intents.Add(new DataPlaneIntent.AddNeighbor(new NeighborEntry(vrf.Vni, ip, entry.Mac)));
            }
        }
    }

    private static void CollectNeighbors(MacVrf vrf, MacEntry entry, MobilityCandidate? winner, List<IpAddr> into)
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

    /// <summary>Originates the MAC route and one MAC+IP route per local IP while this VTEP is the
    /// winning location; withdraws them otherwise (moved away, duplicate, VNI gone).</summary>
    private void SyncLocalRoutes(MacVrf vrf, MacEntry entry, MobilityCandidate? winner)
    {
        if (entry.Local is not { } local)
        {
            return;
        }
        if (!local.Active || winner is not { IsLocal: true } || entry.IsFrozen || !vrf.IsPresent)
        {
            WithdrawLocal(local);
            return;
        }
        var vtep = vrf.LocalVtep(_options.LocalVtep);
        var isGateway = (vrf.Config?.AdvertiseDefaultGateway ?? _options.AdvertiseDefaultGateway) &&
                        vrf.Info?.Svi is { } svi && svi == local.Port;
        var attributes = EvpnRoutes.MacAttributes(vrf.ExportRouteTargets, local.Sequence, local.Sticky, isGateway);
        _desiredRoutes.Clear();
        _desiredRoutes.Add(EvpnRoutes.Mac(vrf.Rd, vrf.Vni, entry.Mac, null, vrf.EthernetTag));
        foreach (var ip in local.Ips)
        {
            _desiredRoutes.Add(EvpnRoutes.Mac(vrf.Rd, vrf.Vni, entry.Mac, ip, vrf.EthernetTag));
        }
        foreach (var old in local.Advertised)
        {
            if (!_desiredRoutes.Contains(old))
            {
                _rib.WithdrawLocal(old);
            }
        }
        var attributesChanged = !Equals(attributes, local.AdvertisedAttributes);
        foreach (var route in _desiredRoutes)
        {
            if (attributesChanged || !local.Advertised.Contains(route))
            {
                _rib.Originate(route, attributes, vtep);
            }
        }
        local.Advertised.Clear();
        local.Advertised.AddRange(_desiredRoutes);
        local.AdvertisedAttributes = attributes;
    }

    private void WithdrawLocal(LocalMac local)
    {
        foreach (var route in local.Advertised)
        {
            _rib.WithdrawLocal(route);
        }
        local.Advertised.Clear();
        local.AdvertisedAttributes = null;
    }

    /// <summary>RFC 8365 section 9: one type-3 route per present VNI, for ingress replication.</summary>
    private void SyncInclusiveMulticast(MacVrf vrf)
    {
        InclusiveMulticastRoute? route = null;
        PathAttributes? attributes = null;
        var vtep = vrf.LocalVtep(_options.LocalVtep);
        if (vrf.IsPresent && _vrfs.ContainsKey(vrf.Vni))
        {
            route = new InclusiveMulticastRoute(vrf.Rd, vrf.EthernetTag, vtep);
            attributes = EvpnRoutes.InclusiveMulticastAttributes(vrf.ExportRouteTargets, vtep, vrf.Vni);
        }
        if (route == vrf.LocalInclusiveMulticast && Equals(attributes, vrf.LocalInclusiveMulticastAttributes))
        {
            return;
        }
        if (vrf.LocalInclusiveMulticast is { } old && old != route)
        {
            _rib.WithdrawLocal(old);
        }
        if (route is not null)
        {
            _rib.Originate(route, attributes!, vtep);
        }
        vrf.LocalInclusiveMulticast = route;
        vrf.LocalInclusiveMulticastAttributes = attributes;
    }

    private void StickyConflict(MacVrf vrf, MacAddress mac, string what)
    {
        Counters.StickyConflicts++;
        Alert(AlertKind.StickyMacConflict, vrf.Vni, mac, $"sticky MAC {mac} in VNI {vrf.Vni} {what} (RFC 7432 section 15.2)");
    }

    private void Alert(AlertKind kind, uint vni, MacAddress mac, string message) =>
        _alerts.Add(new CoreAlert(_time.GetUtcNow(), kind, vni, mac, message));
}
