using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>End-of-RIB markers, RFC 4724 section 2.</summary>
public static class EndOfRib
{
    /// <summary>The End-of-RIB marker for <paramref name="family"/>.</summary>
    public static UpdateMessage For(AfiSafi family) => family == AfiSafi.Ipv4Unicast
        ? new UpdateMessage(EquatableArray<Nlri>.Empty, PathAttributes.Empty, null, null, EquatableArray<Nlri>.Empty)
        : new UpdateMessage(EquatableArray<Nlri>.Empty, PathAttributes.Empty, null, new MpUnreachNlri(family, EquatableArray<Nlri>.Empty), EquatableArray<Nlri>.Empty);

    /// <summary>True when <paramref name="update"/> is an End-of-RIB marker: no withdrawn routes, no NLRI,
    /// no path attributes (not even malformed ones that were dropped), and either no MP_UNREACH_NLRI (IPv4 unicast) or an empty one (its family).</summary>
    public static bool TryGetFamily(UpdateMessage update, out AfiSafi family)
    {
        family = default;
        if (!update.Withdrawn.IsEmpty || !update.Nlri.IsEmpty || update.MpReach is not null || !update.UnsupportedMpAttributes.IsEmpty || update.Attributes != PathAttributes.Empty)
        {
            return false;
        }
        foreach (var header in update.Layout.AsSpan())
        {
            if (header.TypeCode != AttributeType.MpUnreachNlri)
            {
                // An attribute was on the wire (and dropped as malformed): not an empty UPDATE.
                return false;
            }
        }
        if (update.MpUnreach is null)
        {
            family = AfiSafi.Ipv4Unicast;
            return true;
        }
        if (update.MpUnreach.Nlri.IsEmpty)
        {
            family = update.MpUnreach.Family;
            return true;
        }
        return false;
    }
}
