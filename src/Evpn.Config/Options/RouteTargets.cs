namespace Evpn.Config.Options;

/// <summary>Route target text forms and auto-derivation for VNIs.</summary>
public static class RouteTargets
{
    /// <summary>RFC 8365 section 5.1.2.1 local administrator: A (bit 0) = 0 for auto-derived, Type (bits 1-3)
    /// = 1 for VXLAN, D-ID (bits 4-7) = 0, Service ID (bits 8-31) = the VNI.</summary>
    private const uint Rfc8365VxlanType = 1u << 28;

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

    /// <summary>The route target derived for <paramref name="vni"/> when none is configured. Both modes use
    /// the two-octet AS form with the low 16 bits of the local AS (a four-octet AS does not fit beside a 32-bit value).</summary>
    public static ExtendedCommunity Derive(RtDerivationMode mode, uint localAsn, uint vni) => mode switch
    {
        RtDerivationMode.Rfc8365 => ExtendedCommunity.RouteTargetAs2((ushort)localAsn, Rfc8365VxlanType | (vni & VniOptions.MaxVni)),
        _ => ExtendedCommunity.RouteTargetAs2((ushort)localAsn, vni),
    };

    /// <summary>The import RTs in effect for a VNI: its own list, or the derived one.</summary>
    public static EquatableArray<ExtendedCommunity> EffectiveImport(EvpnOptions evpn, VniOptions vni, uint localAsn) =>
        vni.ImportRts.IsEmpty ? new[] { Derive(evpn.RtDerivation, localAsn, vni.Vni) } : vni.ImportRts;

    /// <summary>The export RTs in effect for a VNI: its own list, or the derived one.</summary>
    public static EquatableArray<ExtendedCommunity> EffectiveExport(EvpnOptions evpn, VniOptions vni, uint localAsn) =>
        vni.ExportRts.IsEmpty ? new[] { Derive(evpn.RtDerivation, localAsn, vni.Vni) } : vni.ExportRts;
}
