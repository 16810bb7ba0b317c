using System.Globalization;

namespace Evpn.Config.Options;

/// <summary>Route target text forms and auto-derivation for VNIs.</summary>
public static class RouteTargets
{
    /// <summary>RFC 8365 section 5.1.2.1 local administrator: A (bit 0) = 0 for auto-derived, Type (bits 1-3)
    /// = 1 for VXLAN, D-ID (bits 4-7) = 0, Service ID (bits 8-31) = the VNI.</summary>
    private const uint Rfc8365VxlanType = 1u << 28;

    /// <summary>Parses "ASN:NN" (RFC 4360 two-octet AS form, or RFC 5668 four-octet AS form when the ASN
    /// exceeds 65535) or "A.B.C.D:NN" (IPv4 form).</summary>
    public static bool TryParse(string text, out ExtendedCommunity rt)
    {
        rt = default;
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var left = text[..colon];
        var right = text[(colon + 1)..];
        if (left.Contains('.'))
        {
            if (!IpAddr.TryParse(left, out var ip) || !ip.IsV4 || !ushort.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var n16))
            {
                return false;
            }
            rt = ExtendedCommunity.RouteTargetIPv4(ip.V4Bits, n16);
            return true;
        }
        if (!uint.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
        {
            return false;
        }
        if (asn <= ushort.MaxValue)
        {
            if (!uint.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var n32))
            {
                return false;
            }
            rt = ExtendedCommunity.RouteTargetAs2((ushort)asn, n32);
            return true;
        }
        if (!ushort.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }
        rt = ExtendedCommunity.RouteTargetAs4(asn, n);
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
