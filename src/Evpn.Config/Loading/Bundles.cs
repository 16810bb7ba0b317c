using System.Collections.Immutable;
using Evpn.Config.Options;

namespace Evpn.Config.Loading;

/// <summary>`bundle: NAME`: the VNIs of a VLAN-aware bundle (RFC 8365 section 5.1.3; Arista
/// `vlan-aware-bundle`, Junos `virtual-switch`) share one RD and, when one member writes them, one set of route
/// targets. One member writes them, the others inherit them; a member writing other values is an error. Route
/// targets written by no member are derived per VNI, as Junos `vrf-target auto` does in a virtual switch.</summary>
internal static class Bundles
{
    public static ImmutableArray<VniOptions> Resolve(ReadContext ctx, ImmutableArray<VniOptions> vnis)
    {
        var resolved = vnis.ToBuilder();
        var groups = vnis.Select((v, i) => (Vni: v, Index: i)).Where(x => x.Vni.Bundle is not null).GroupBy(x => x.Vni.Bundle!, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var members = group.ToList();
            var rd = Shared(ctx, group.Key, members, "rd", v => v.Rd, rd => rd is not null, required: true);
            var import = Shared(ctx, group.Key, members, "import-rts", v => v.ImportRts, rts => !rts.IsEmpty, required: false);
            var export = Shared(ctx, group.Key, members, "export-rts", v => v.ExportRts, rts => !rts.IsEmpty, required: false);
            foreach (var (vni, index) in members)
            {
                resolved[index] = vni with { Rd = rd, ImportRts = import, ExportRts = export };
            }
        }
        return resolved.ToImmutable();
    }

    private static T Shared<T>(ReadContext ctx, string bundle, List<(VniOptions Vni, int Index)> members, string key, Func<VniOptions, T> read, Func<T, bool> isSet,
        bool required)
    {
        var owner = members.FirstOrDefault(m => isSet(read(m.Vni)));
        if (owner.Vni is null)
        {
            if (required)
            {
                ctx.Invalid($"evpn.vnis[{members[0].Index}].bundle",
                    $"bundle {bundle} has no {key}: one member must set it, the others share it (a VLAN-aware bundle has one RD)");
            }
            return read(members[0].Vni);
        }
        var value = read(owner.Vni);
        foreach (var (vni, index) in members)
        {
            if (isSet(read(vni)) && !EqualityComparer<T>.Default.Equals(read(vni), value))
            {
                ctx.Invalid($"evpn.vnis[{index}].{key}",
                    $"bundle {bundle} already has {key} {Show(value)} from evpn.vnis[{owner.Index}]: members of a bundle share it (leave it out here)");
            }
        }
        return value;
    }

    private static string Show<T>(T value) => value is EquatableArray<ExtendedCommunity> rts ? string.Join(", ", rts) : $"{value}";
}
