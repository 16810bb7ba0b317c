using System.Collections.Immutable;
using Evpn.Config.Options;
using Evpn.Config.Yaml;

namespace Evpn.Config.Loading;

/// <summary>Reads `evpn`.</summary>
internal static class EvpnSection
{
    private static readonly string[] Keys =
        ["advertise-all-vni", "vnis", "arp-nd-suppression", "advertise-default-gw", "duplicate-detection", "rt-derivation", "wildcard-import"];
    private static readonly string[] VniKeys =
        ["vni", "rd", "import-rts", "export-rts", "bridge", "vxlan-device", "arp-nd-suppression", "advertise-default-gw", "ethernet-tag", "bundle", "rt-derivation", "evi"];
    private static readonly string[] DuplicateDetectionKeys = ["enabled", "max-moves", "window", "freeze"];

    // The ranges FRR accepts for `dup-addr-detection max-moves N time S`, so configurations translate both ways.
    private static readonly ScalarRule<int> MaxMoves = Rules.IntRange(2, 1000);
    private static readonly ScalarRule<TimeSpan> Window = Rules.Seconds(2, 1800);

    /// <summary>Linux IFNAMSIZ is 16 including the terminator.</summary>
    private static readonly ScalarRule<string> DeviceName = new("a network device name of 1..15 characters", (string t, out string v) =>
    {
        v = t;
        return t.Length is > 0 and <= 15 && !t.Contains('/') && !t.Any(char.IsWhiteSpace);
    });

    public static EvpnOptions Read(ReadContext ctx, YNode? node, SourcePosition fallback)
    {
        var d = EvpnOptions.Default;
        var m = MappingReader.Open(ctx, node, "evpn", fallback, Keys);
        if (m is null)
        {
            return d;
        }
        var arpNd = m.Read("arp-nd-suppression", Rules.Bool, d.ArpNdSuppression);
        var defaultGw = m.Read("advertise-default-gw", Rules.Bool, d.AdvertiseDefaultGw);
        var vnis = ImmutableArray.CreateBuilder<VniOptions>();
        foreach (var (item, path) in m.Items("vnis"))
        {
            if (ReadVni(ctx, item, path) is { } vni)
            {
                vnis.Add(vni);
            }
        }
        return new EvpnOptions(
            m.Read("advertise-all-vni", Rules.Bool, d.AdvertiseAllVni),
            Bundles.Resolve(ctx, vnis.ToImmutable()),
            arpNd,
            defaultGw,
            ReadDuplicateDetection(ctx, m),
            m.Read("rt-derivation", Rules.RtDerivation, d.RtDerivation),
            m.Read("wildcard-import", Rules.Bool, d.WildcardImport));
    }

    private static VniOptions? ReadVni(ReadContext ctx, YNode node, string path)
    {
        var m = MappingReader.Open(ctx, node, path, node.Position, VniKeys);
        if (m is null)
        {
            return null;
        }
        var vni = m.Required("vni", Rules.Vni, 0u);
        var bundle = m.OptionalText("bundle", Rules.Text);
        var tag = m.Read("ethernet-tag", Rules.EthernetTag, bundle is null ? EthernetTagChoice.Zero : EthernetTagChoice.Vni);
        return new VniOptions(
            vni,
            m.Read("rd", Rules.Rd, null),
            ReadRouteTargets(ctx, m, "import-rts"),
            ReadRouteTargets(ctx, m, "export-rts"),
            m.OptionalText("bridge", DeviceName),
            m.OptionalText("vxlan-device", DeviceName),
            m.Optional("arp-nd-suppression", Rules.Bool),
            m.Optional("advertise-default-gw", Rules.Bool),
            tag.Resolve(vni),
            bundle,
            m.Optional("rt-derivation", Rules.RtDerivation),
            m.Optional("evi", Rules.Evi));
    }

    /// <summary>An absent list means "derived"; an empty one is refused rather than read as "import nothing",
    /// which would silently cut the VNI off.</summary>
    private static EquatableArray<ExtendedCommunity> ReadRouteTargets(ReadContext ctx, MappingReader vni, string key)
    {
        var list = vni.List(key, Rules.RouteTarget);
        if (list is not { } rts)
        {
            return EquatableArray<ExtendedCommunity>.Empty;
        }
        if (rts.IsEmpty)
        {
            ctx.Error(vni.PositionOf(key), vni.Child(key), "expected at least one route target, found an empty list (leave the key out to use the derived one)");
        }
        return rts.Distinct().ToImmutableArray();
    }

    private static DuplicateDetectionSettings ReadDuplicateDetection(ReadContext ctx, MappingReader evpn)
    {
        var d = DuplicateDetectionSettings.Default;
        var m = MappingReader.Open(ctx, evpn.Node("duplicate-detection"), evpn.Child("duplicate-detection"), evpn.Position, DuplicateDetectionKeys);
        if (m is null)
        {
            return d;
        }
        return new DuplicateDetectionSettings(
            m.Read("enabled", Rules.Bool, d.Enabled),
            m.Read("max-moves", MaxMoves, d.MaxMoves),
            m.Read("window", Window, d.Window),
            m.Read("freeze", Rules.Freeze, d.Freeze));
    }
}
