using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Which best paths go to which peer, and with what attributes.</summary>
/// <remarks>
///   RFC 4271 section 9.2: iBGP-learned routes are not sent to iBGP peers, unless we reflect them
///   (RFC 4456 section 6: from a client to every peer, from a non-client to clients only).
///   Attribute changes: to iBGP, LOCAL_PREF is set; when reflecting, ORIGINATOR_ID is set (if absent)
///   and our cluster id prepended to CLUSTER_LIST (RFC 4456 section 8); to eBGP, our AS is prepended
///   (RFC 4271 section 5.1.2), LOCAL_PREF (section 5.1.5), ORIGINATOR_ID and CLUSTER_LIST are removed and
///   a received MED is not passed on (section 5.1.4). The EVPN next hop (the VTEP) is never changed.
///   Variants are cached on the source attribute set, so a million routes cost a handful of rewrites.
/// </remarks>
internal sealed class ExportPolicy
{
    private readonly RibOptions _options;
    private readonly AttributeInterner _interner;

    public ExportPolicy(RibOptions options, AttributeInterner interner)
    {
        _options = options;
        _interner = interner;
    }

    /// <summary>The attributes to send an update group with <paramref name="target"/>'s export rules for
    /// <paramref name="best"/>, with a reference taken for the caller; null when the route is not advertised to it.
    /// The group itself keeps the route from the peer it came from.</summary>
    public AttributeSet? Export(RibPath? best, UpdateGroupKey target)
    {
        if (!Allows(best, target))
        {
            return null;
        }
        var source = best!.Source;
        ExportKey key;
        if (!source.IsLocal && source.IsInternal && target.Internal)
        {
            key = new ExportKey(ExportKind.Reflected, source.Session.RouterId, false);
        }
        else
        {
            key = new ExportKey(target.Internal ? ExportKind.ToInternal : ExportKind.ToExternal, default, source.IsLocal);
        }
        return _interner.AddReference(Variant(best.Attributes, key));
    }

    /// <summary>Whether <paramref name="path"/> may be advertised to peers with <paramref name="target"/>'s export rules.</summary>
    public bool Allows(RibPath? path, UpdateGroupKey target)
    {
        if (path is null)
        {
            return false;
        }
        var source = path.Source;
        if (!source.IsLocal && source.IsInternal && target.Internal)
        {
            return _options.IsRouteReflector && (source.IsRouteReflectorClient || target.RouteReflectorClient);
        }
        return true;
    }

    private AttributeSet Variant(AttributeSet set, ExportKey key)
    {
        var locallyOriginated = key.LocallyOriginated;
        var variants = set.ExportVariants ??= new List<(ExportKey, AttributeSet)>(2);
        foreach (var (k, v) in variants)
        {
            if (k == key)
            {
                return v;
            }
        }
        var a = set.Attributes;
        var rewritten = key.Kind switch
        {
            ExportKind.ToInternal => a with
            {
                // An eBGP-learned LOCAL_PREF was ignored on receipt; send our default instead.
                LocalPref = locallyOriginated ? a.LocalPref ?? BestPathSelector.DefaultLocalPreference : BestPathSelector.DefaultLocalPreference,
            },
            ExportKind.Reflected => a with
            {
                LocalPref = a.LocalPref ?? BestPathSelector.DefaultLocalPreference,
                OriginatorId = a.OriginatorId ?? key.OriginatorFallback,
                ClusterList = a.ClusterList.AsImmutableArray().Insert(0, _options.EffectiveClusterId),
            },
            _ => a with
            {
                AsPath = (a.AsPath ?? AsPath.Empty).Prepend(_options.LocalAsn),
                LocalPref = null,
                OriginatorId = null,
                ClusterList = EquatableArray<IpAddr>.Empty,
                MultiExitDisc = locallyOriginated ? a.MultiExitDisc : null,
            },
        };
        var variant = _interner.Acquire(rewritten, set.NextHop);
        variants.Add((key, variant));
        return variant;
    }
}
