namespace Evpn.Config.Options;

/// <summary>Route target text forms, and the route targets in effect for a configured VNI.</summary>
public static class RouteTargets
{
    /// <summary>Parses "ASN:NN" (RFC 4360 two-octet AS form, or RFC 5668 four-octet AS form when the ASN
    /// exceeds 65535) or "A.B.C.D:NN" (IPv4 form). These are the route distinguisher's three forms with the
    /// same value layout (RFC 4364 section 4.2): RD type 0/1/2 is route-target type 0x00/0x01/0x02, sub-type 0x02.</summary>
    public static bool TryParse(string text, out ExtendedCommunity rt)
    {
        if (!RouteDistinguisher.TryParse(text, out var rd))
        {
            rt = default;
            return false;
        }
        rt = new ExtendedCommunity(((ulong)rd.Type << 56) | (0x02UL << 48) | (rd.Raw & 0xFFFF_FFFF_FFFF));
        return true;
    }

    /// <summary>The rule in effect for a VNI: its own or the section's.</summary>
    public static DerivationMode Mode(EvpnOptions evpn, VniOptions vni) => vni.RtDerivation ?? evpn.RtDerivation;

    /// <summary>The route target derived for a VNI that lists none (<see cref="VniIdentity"/>, the derivation the core runs).</summary>
    public static ExtendedCommunity Derive(EvpnOptions evpn, VniOptions vni, uint localAsn) =>
        VniIdentity.RouteTarget(Mode(evpn, vni), localAsn, vni.Vni, vni.Evi ?? vni.Vni);

    /// <summary>The import RTs in effect for a VNI: its own list, or the derived one.</summary>
    public static EquatableArray<ExtendedCommunity> EffectiveImport(EvpnOptions evpn, VniOptions vni, uint localAsn) =>
        vni.ImportRts.IsEmpty ? new[] { Derive(evpn, vni, localAsn) } : vni.ImportRts;

    /// <summary>The export RTs in effect for a VNI: its own list, or the derived one.</summary>
    public static EquatableArray<ExtendedCommunity> EffectiveExport(EvpnOptions evpn, VniOptions vni, uint localAsn) =>
        vni.ExportRts.IsEmpty ? new[] { Derive(evpn, vni, localAsn) } : vni.ExportRts;
}
