using Evpn.Config.Loading;
using Evpn.Config.Options;

namespace Evpn.Config.Validation;

/// <summary>Checks between keys, once every value parsed. Each error names the key to change.</summary>
internal static class ConfigValidator
{
    public static void Validate(ReadContext ctx, EvpnConfig config)
    {
        ValidateNeighbors(ctx, config);
        ValidateVnis(ctx, config.Evpn);
    }

    private static void ValidateNeighbors(ReadContext ctx, EvpnConfig config)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var neighbors = config.Neighbors;
        for (var i = 0; i < neighbors.Count; i++)
        {
            var n = neighbors[i];
            var path = $"neighbors[{i}]";
            var keyPath = n.IsListenRange ? $"{path}.listen-range" : n.IsInterface ? $"{path}.interface" : $"{path}.address";
            if (seen.TryGetValue(n.Key, out var first))
            {
                ctx.Invalid(keyPath, $"duplicate neighbor {n.Key} (already neighbors[{first}])");
            }
            else
            {
                seen.Add(n.Key, i);
            }

            if (n.Address is { } address && (address == config.Router.LocalVtep || address == config.Router.RouterId))
            {
                ctx.Invalid(keyPath, $"{address} is this router's own address (router.local-vtep or router.router-id)");
            }
            // An interface neighbor's session runs over IPv6 link-local addresses.
            var family = n.Address?.IsV6 ?? n.ListenRange?.Address.IsV6 ?? true;
            if (n.SourceAddress is { } source && source.IsV6 != family)
            {
                ctx.Invalid($"{path}.source-address", $"source address {source} is {(source.IsV6 ? "IPv6" : "IPv4")} but the neighbor is {(family ? "IPv6" : "IPv4")}");
            }
            if (n.RouteReflectorClient && !n.RemoteAs.IsInternal(config.Router.Asn))
            {
                ctx.Invalid($"{path}.route-reflector-client", $"route reflection is for internal neighbors only (RFC 4456 section 2), but remote-as is {n.RemoteAs} and router.asn is {config.Router.Asn}");
            }
            if (n.IsListenRange && n.Password is not null)
            {
                ValidateRangePassword(ctx, neighbors, i);
            }
        }
    }

    /// <summary>
    ///   A password on a listen range is supported: Linux keys TCP-MD5 by prefix (TCP_MD5SIG_EXT with
    ///   TCP_MD5SIG_FLAG_PREFIX, since 4.13) and picks the longest matching key for each SYN. What cannot work
    ///   is a fixed neighbor inside the range without a key of its own: the range's key would match it, the
    ///   kernel would drop its unsigned segments, and the session would never come up.
    /// </summary>
    private static void ValidateRangePassword(ReadContext ctx, EquatableArray<NeighborOptions> neighbors, int rangeIndex)
    {
        var range = neighbors[rangeIndex].ListenRange!.Value;
        for (var j = 0; j < neighbors.Count; j++)
        {
            if (neighbors[j].Address is { } inside && range.Contains(inside) && neighbors[j].Password is null)
            {
                ctx.Invalid($"neighbors[{rangeIndex}].password",
                    $"listen range {range} has a TCP-MD5 password but neighbors[{j}] ({inside}) inside it has none; the kernel would require the range's key from it (give it a password or narrow the range)");
            }
        }
    }

    private static void ValidateVnis(ReadContext ctx, EvpnOptions evpn)
    {
        var vnis = new Dictionary<uint, int>();
        var rds = new Dictionary<RouteDistinguisher, List<int>>();
        for (var i = 0; i < evpn.Vnis.Count; i++)
        {
            var v = evpn.Vnis[i];
            var path = $"evpn.vnis[{i}]";
            if (!vnis.TryAdd(v.Vni, i))
            {
                ctx.Invalid($"{path}.vni", $"duplicate VNI {v.Vni} (already evpn.vnis[{vnis[v.Vni]}])");
            }
            if (v.Rd is { } rd)
            {
                ValidateSharedRd(ctx, evpn, rds, rd, i);
            }
        }
    }

    /// <summary>RFC 7432 section 7.9: an RD is unique per MAC-VRF, unless the VNIs form a VLAN-aware bundle
    /// (RFC 8365 section 5.1.3) where distinct non-zero Ethernet Tags keep their type-2 and type-3 routes apart.</summary>
    private static void ValidateSharedRd(ReadContext ctx, EvpnOptions evpn, Dictionary<RouteDistinguisher, List<int>> rds, RouteDistinguisher rd, int i)
    {
        if (!rds.TryGetValue(rd, out var users))
        {
            rds.Add(rd, [i]);
            return;
        }
        var v = evpn.Vnis[i];
        var sameTag = users.FirstOrDefault(j => evpn.Vnis[j].EthernetTag == v.EthernetTag, -1);
        if (v.EthernetTag == 0 || evpn.Vnis[users[0]].EthernetTag == 0)
        {
            ctx.Invalid($"evpn.vnis[{i}].rd", $"route distinguisher {rd} is already used by evpn.vnis[{users[0]}] (an RD is unique per VNI, RFC 7432 section 7.9; " +
                "VNIs of a VLAN-aware bundle may share one with distinct non-zero ethernet-tag values, e.g. `ethernet-tag: vni`)");
        }
        else if (sameTag >= 0)
        {
            ctx.Invalid($"evpn.vnis[{i}].ethernet-tag", $"Ethernet Tag {v.EthernetTag} is already used by evpn.vnis[{sameTag}] with the same route distinguisher {rd}: their routes would collide");
        }
        users.Add(i);
    }
}
