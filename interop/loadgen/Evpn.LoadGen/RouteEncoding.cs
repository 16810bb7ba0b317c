using System.Collections.Immutable;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>Turns generated hosts into EVPN NLRI and UPDATEs. Routes that share next hop, VNI (route
/// target) and sequence share one attribute set, so they are packed many per UPDATE by
/// <see cref="UpdatePacker"/>.</summary>
public sealed class RouteEncoding
{
    private readonly LoadOptions _options;
    private readonly uint _localAsn;
    private readonly bool _external;

    /// <param name="external">eBGP session: AS_PATH starts with our AS (RFC 4271 section 5.1.2); iBGP: empty
    /// AS_PATH and LOCAL_PREF.</param>
    public RouteEncoding(LoadOptions options, bool external)
    {
        _options = options;
        _localAsn = options.LocalAsn;
        _external = external;
    }

    /// <summary>RD of VTEP <paramref name="vtepIndex"/> for <paramref name="vni"/>: type 1, router-id:VNI (low 16
    /// bits), as a VTEP would derive it (RFC 7432 section 7.9); an IPv4 VTEP's router-id is its VTEP IP.</summary>
    public RouteDistinguisher Rd(int vtepIndex, uint vni) =>
        RouteDistinguisher.FromIPv4(_options.VtepRouterId(vtepIndex), (ushort)vni);

    /// <summary>The type-2 NLRI of a host: Ethernet tag 0, label = VNI (RFC 8365 section 5.1.3).</summary>
    public Nlri Type2(GeneratedRoute route) =>
        Nlri.ForEvpn(new MacIpAdvertisementRoute(Rd(route.VtepIndex, route.Vni), EthernetSegmentId.Zero, 0,
            route.Mac, route.Ip, EvpnLabel.FromVni(route.Vni)));

    /// <summary>The type-3 NLRI of VTEP <paramref name="vtepIndex"/> in <paramref name="vni"/>.</summary>
    public Nlri Type3(int vtepIndex, uint vni) =>
        Nlri.ForEvpn(new InclusiveMulticastRoute(Rd(vtepIndex, vni), 0, _options.Vtep(vtepIndex)));

    /// <summary>Route target <c>RtAsn:VNI</c>, VXLAN encapsulation (tunnel type 8, RFC 8365 section 5.1.3) and,
    /// for a sequence above 0, MAC mobility (RFC 7432 section 7.7).</summary>
    public PathAttributes Attributes(uint vni, uint sequence, PmsiTunnel? pmsi = null)
    {
        var communities = ImmutableArray.CreateBuilder<ExtendedCommunity>(3);
        communities.Add(ExtendedCommunity.RouteTargetAs2(_options.RtAsn, vni));
        communities.Add(ExtendedCommunity.VxlanEncapsulation);
        if (sequence > 0)
        {
            communities.Add(ExtendedCommunity.MacMobility(sequence, false));
        }
        var path = _external
            ? new AsPath(ImmutableArray.Create(new AsPathSegment(AsPathSegmentType.AsSequence, ImmutableArray.Create(_localAsn))))
            : AsPath.Empty;
        return new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = path,
            LocalPref = _external ? null : 100,
            ExtendedCommunities = communities.ToImmutable(),
            PmsiTunnel = pmsi,
        };
    }

    /// <summary>UPDATEs announcing <paramref name="routes"/>, grouped by (VTEP, VNI, sequence) in order of first
    /// appearance, then (when asked) the type-3 route of every VTEP in every VNI.</summary>
    public List<UpdateMessage> Announcements(IEnumerable<GeneratedRoute> routes, bool withType3, DecodeContext context)
    {
        var groups = new Dictionary<(int Vtep, uint Vni, uint Seq), List<Nlri>>();
        var order = new List<(int Vtep, uint Vni, uint Seq)>();
        foreach (var r in routes)
        {
            var key = (r.VtepIndex, r.Vni, r.Sequence);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }
            list.Add(Type2(r));
        }
        var updates = new List<UpdateMessage>();
        foreach (var key in order)
        {
            updates.AddRange(UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, Attributes(key.Vni, key.Seq),
                _options.Vtep(key.Vtep), groups[key], context).Updates);
        }
        if (withType3)
        {
            for (var t = 0; t < _options.Vteps; t++)
            {
                for (var v = 0; v < _options.Vnis; v++)
                {
                    var vni = _options.FirstVni + (uint)v;
                    var pmsi = PmsiTunnel.IngressReplicationTo(_options.Vtep(t), vni);
                    updates.AddRange(UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, Attributes(vni, 0, pmsi),
                        _options.Vtep(t), [Type3(t, vni)], context).Updates);
                }
            }
        }
        return updates;
    }

    /// <summary>UPDATEs withdrawing <paramref name="routes"/> (and, when asked, every type-3 route).</summary>
    public List<UpdateMessage> Withdrawals(IEnumerable<GeneratedRoute> routes, bool withType3, DecodeContext context)
    {
        var nlri = routes.Select(Type2).ToList();
        if (withType3)
        {
            for (var t = 0; t < _options.Vteps; t++)
            {
                for (var v = 0; v < _options.Vnis; v++)
                {
                    nlri.Add(Type3(t, _options.FirstVni + (uint)v));
                }
            }
        }
        return [.. UpdatePacker.PackWithdrawals(AfiSafi.L2vpnEvpn, nlri, context)];
    }
}
