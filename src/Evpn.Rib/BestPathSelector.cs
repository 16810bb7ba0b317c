using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The BGP decision process (RFC 4271 section 9.1.2), preceded for EVPN MAC/IP routes by the
/// MAC mobility rules of RFC 7432 section 15, as a chain of comparisons each naming its step.</summary>
/// <remarks>Step e) of 9.1.2.2 (IGP cost to the next hop) is skipped: evpnd has no IGP view, so every
/// next hop costs the same.</remarks>
public sealed class BestPathSelector
{
    public const uint LocalWeight = 32768;
    public const uint DefaultLocalPreference = 100;

    private readonly IpAddr _localRouterId;

    public BestPathSelector(IpAddr localRouterId) => _localRouterId = localRouterId;

    /// <summary>Negative when <paramref name="a"/> is better, positive when <paramref name="b"/> is;
    /// <paramref name="reason"/> is the step that decided.</summary>
    public int Compare(RibPath a, RibPath b, out BestPathReason reason)
    {
        var x = a.Attributes;
        var y = b.Attributes;
        int c;

        if (a.Route is MacIpAdvertisementRoute && b.Route is MacIpAdvertisementRoute)
        {
            reason = BestPathReason.StickyMac;
            if (x.IsSticky != y.IsSticky)
            {
                return x.IsSticky ? -1 : 1;
            }
            reason = BestPathReason.MobilitySequence;
            if ((c = y.MobilitySequence.CompareTo(x.MobilitySequence)) != 0)
            {
                return c;
            }
        }

        reason = BestPathReason.Weight;
        if ((c = Weight(b).CompareTo(Weight(a))) != 0)
        {
            return c;
        }
        reason = BestPathReason.LocalPreference;
        if ((c = LocalPreference(b).CompareTo(LocalPreference(a))) != 0)
        {
            return c;
        }
        reason = BestPathReason.AsPathLength;
        if ((c = x.AsPathLength.CompareTo(y.AsPathLength)) != 0)
        {
            return c;
        }
        reason = BestPathReason.Origin;
        if ((c = x.Origin.CompareTo(y.Origin)) != 0)
        {
            return c;
        }
        reason = BestPathReason.MultiExitDiscriminator;
        if (x.NeighborAs == y.NeighborAs &&
            (c = (x.Attributes.MultiExitDisc ?? 0).CompareTo(y.Attributes.MultiExitDisc ?? 0)) != 0)
        {
            return c;
        }
        reason = BestPathReason.ExternalOverInternal;
        if ((c = IsExternal(b).CompareTo(IsExternal(a))) != 0)
        {
            return c;
        }
        reason = BestPathReason.RouterId;
        if ((c = RouterId(a).CompareTo(RouterId(b))) != 0)
        {
            return c;
        }
        reason = BestPathReason.ClusterListLength;
        if ((c = x.ClusterListLength.CompareTo(y.ClusterListLength)) != 0)
        {
            return c;
        }
        reason = BestPathReason.PeerAddress;
        if ((c = a.Source.Address.CompareTo(b.Source.Address)) != 0)
        {
            return c;
        }
        reason = BestPathReason.PathIdentifier;
        return a.PathId.CompareTo(b.PathId);
    }

    /// <summary>Selects the best path of a destination. The reason is the step that beat the closest
    /// rival: the latest step over all comparisons of the winner with the others.</summary>
    public RibPath? Select(Destination destination, out BestPathReason reason)
    {
        reason = BestPathReason.OnlyPath;
        var count = destination.PathCount;
        if (count == 0)
        {
            return null;
        }
        var best = destination.PathAt(0);
        if (count == 1)
        {
            return best;
        }
        for (var i = 1; i < count; i++)
        {
            var p = destination.PathAt(i);
            if (Compare(p, best, out _) < 0)
            {
                best = p;
            }
        }
        var decisive = BestPathReason.OnlyPath;
        for (var i = 0; i < count; i++)
        {
            var p = destination.PathAt(i);
            if (!ReferenceEquals(p, best))
            {
                Compare(best, p, out var step);
                if (step > decisive)
                {
                    decisive = step;
                }
            }
        }
        reason = decisive;
        return best;
    }

    private static uint Weight(RibPath p) => p.Source.IsLocal ? LocalWeight : 0;

    /// <summary>RFC 4271 section 5.1.5: LOCAL_PREF learned from an external peer is ignored.</summary>
    private static uint LocalPreference(RibPath p) =>
        p.Source.IsLocal || p.Source.IsInternal ? p.Attributes.Attributes.LocalPref ?? DefaultLocalPreference : DefaultLocalPreference;

    private static bool IsExternal(RibPath p) => !p.Source.IsLocal && !p.Source.IsInternal;

    private IpAddr RouterId(RibPath p) =>
        p.Attributes.Attributes.OriginatorId ?? (p.Source.IsLocal ? _localRouterId : p.Source.Session.RouterId);
}
