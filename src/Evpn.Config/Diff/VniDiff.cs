using System.Collections.Immutable;
using Evpn.Config.Options;

namespace Evpn.Config.Diff;

/// <summary>Compares the evpn sections of two files, VNI by VNI, on the options in effect.</summary>
internal static class VniDiff
{
    public static (ImmutableArray<VniChange> Vnis, ImmutableArray<string> EvpnKeys, bool ReevaluateImports) Compute(
        EvpnOptions old, EvpnOptions @new, uint asn)
    {
        var evpnKeys = ImmutableArray.CreateBuilder<string>();
        void Check<T>(string key, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                evpnKeys.Add(key);
            }
        }
        Check("advertise-all-vni", old.AdvertiseAllVni, @new.AdvertiseAllVni);
        Check("arp-nd-suppression", old.ArpNdSuppression, @new.ArpNdSuppression);
        Check("advertise-default-gw", old.AdvertiseDefaultGw, @new.AdvertiseDefaultGw);
        Check("duplicate-detection", old.DuplicateDetection, @new.DuplicateDetection);
        Check("rt-derivation", old.RtDerivation, @new.RtDerivation);
        Check("wildcard-import", old.WildcardImport, @new.WildcardImport);
        var reevaluate = old.RtDerivation != @new.RtDerivation || old.WildcardImport != @new.WildcardImport;

        var listedBefore = old.Vnis.ToDictionary(v => v.Vni);
        var listedAfter = @new.Vnis.ToDictionary(v => v.Vni);
        var changes = ImmutableArray.CreateBuilder<VniChange>();
        foreach (var vni in listedBefore.Keys.Union(listedAfter.Keys).Order())
        {
            var wasListed = listedBefore.TryGetValue(vni, out var before);
            var isListed = listedAfter.TryGetValue(vni, out var after);
            var kind = (wasListed, isListed) switch
            {
                (false, true) => VniChangeKind.Added,
                (true, false) => VniChangeKind.Removed,
                _ => VniChangeKind.Changed,
            };
            var a = before ?? VniOptions.Defaults(vni);
            var b = after ?? VniOptions.Defaults(vni);
            var rd = a.Rd != b.Rd;
            var import = RouteTargets.EffectiveImport(old, a, asn) != RouteTargets.EffectiveImport(@new, b, asn);
            var export = RouteTargets.EffectiveExport(old, a, asn) != RouteTargets.EffectiveExport(@new, b, asn);
            var settings = Settings(old, a, @new, b);
            if (kind != VniChangeKind.Changed || rd || import || export || !settings.IsEmpty)
            {
                changes.Add(new VniChange(vni, kind, a, b, rd, import, export, settings));
            }
        }
        return (changes.ToImmutable(), evpnKeys.ToImmutable(), reevaluate);
    }

    /// <summary>The per-VNI switches as they apply, section defaults included.</summary>
    private static ImmutableArray<string> Settings(EvpnOptions oldEvpn, VniOptions a, EvpnOptions newEvpn, VniOptions b)
    {
        var keys = ImmutableArray.CreateBuilder<string>();
        if (a.Bridge != b.Bridge)
        {
            keys.Add("bridge");
        }
        if (a.EthernetTag != b.EthernetTag)
        {
            keys.Add("ethernet-tag");
        }
        if (a.Evi != b.Evi)
        {
            keys.Add("evi");
        }
        // The section's rule reaches the route targets, compared on their own; this is the VNI's own key.
        if (a.RtDerivation != b.RtDerivation)
        {
            keys.Add("rt-derivation");
        }
        if (a.VxlanDevice != b.VxlanDevice)
        {
            keys.Add("vxlan-device");
        }
        if ((a.ArpNdSuppression ?? oldEvpn.ArpNdSuppression) != (b.ArpNdSuppression ?? newEvpn.ArpNdSuppression))
        {
            keys.Add("arp-nd-suppression");
        }
        if ((a.AdvertiseDefaultGw ?? oldEvpn.AdvertiseDefaultGw) != (b.AdvertiseDefaultGw ?? newEvpn.AdvertiseDefaultGw))
        {
            keys.Add("advertise-default-gw");
        }
        return keys.ToImmutable();
    }
}
