using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The routes this VTEP originates into the Loc-RIB: a type-2 MAC and MAC+IP route per local MAC it
/// serves, a type-3 route per present VNI.</summary>
internal sealed class Origination
{
    private readonly Func<CoreOptions> _options;
    private readonly Rib.Rib _rib;
    private readonly MacVrfRegistry _vrfs;
    private readonly List<MacIpAdvertisementRoute> _desiredRoutes = new();

    public Origination(Func<CoreOptions> options, Rib.Rib rib, MacVrfRegistry vrfs)
    {
        _options = options;
        _rib = rib;
        _vrfs = vrfs;
    }

    private CoreOptions Options => _options();

    /// <summary>Originates the MAC route and one MAC+IP route per local IP while this VTEP is the
    /// winning location; withdraws them otherwise (moved away, duplicate, VNI gone).</summary>
    public void SyncLocalRoutes(MacVrf vrf, MacEntry entry, MobilityCandidate? winner)
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
        var vtep = vrf.LocalVtep(Options.LocalVtep);
        var isGateway = (vrf.Config?.AdvertiseDefaultGateway ?? Options.AdvertiseDefaultGateway) &&
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

    public void WithdrawLocal(LocalMac local)
    {
        foreach (var route in local.Advertised)
        {
            _rib.WithdrawLocal(route);
        }
        local.Advertised.Clear();
        local.AdvertisedAttributes = null;
    }

    /// <summary>RFC 8365 section 9: one type-3 route per present VNI, for ingress replication.</summary>
    public void SyncInclusiveMulticast(MacVrf vrf)
    {
        InclusiveMulticastRoute? route = null;
        PathAttributes? attributes = null;
        var vtep = vrf.LocalVtep(Options.LocalVtep);
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
}
