using System.Diagnostics.CodeAnalysis;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>The Loc-RIB's members (see <see cref="DestinationComparer"/>) found by route key, in one small set
/// per route distinguisher rather than one set of a million.</summary>
/// <remarks>
///   The routes of an UPDATE share their RD (one VTEP's MAC-VRF, RFC 7432 section 7.9), so the set they go
///   into stays in the CPU cache while they are added: in one large set each new route cost one or two cache
///   misses, a large part of a table load. Small sets also grow by copying small arrays rather than a large
///   one that the runtime keeps in its large-object heap.
/// </remarks>
internal sealed class LocRibTable
{
    private readonly Dictionary<RouteDistinguisher, HashSet<object>> _byRd = new();
    private RouteDistinguisher _lastRd;
    private HashSet<object>? _last;

    /// <summary>Lookups by route key in <see cref="_last"/>, made once per set: making one checks the comparer's
    /// interfaces, a cost that a withdraw-all paid once per route.</summary>
    private HashSet<object>.AlternateLookup<EvpnRoute> _lastByKey;

    public int Count { get; private set; }

    public bool TryGetValue(EvpnRoute key, [NotNullWhen(true)] out object? member)
    {
        member = null;
        return Set(key.Rd, create: false) is not null && _lastByKey.TryGetValue(key, out member);
    }

    /// <summary>Before the routes of one UPDATE are added: a distinguisher not seen yet gets its set sized for
    /// the routes that carry it, rather than grown by doubling (and copied) five or six times.</summary>
    public void Reserve(IReadOnlyList<Nlri> routes)
    {
        if (routes.Count < 2 || routes[0].Evpn is not { } first)
        {
            return;
        }
        var rd = first.Rd;
        if (Set(rd, create: false) is not null)
        {
            return;
        }
        var count = 0;
        for (var i = 0; i < routes.Count; i++)
        {
            count += routes[i].Evpn?.Rd == rd ? 1 : 0;
        }
        var set = new HashSet<object>(count, DestinationComparer.Instance);
        _byRd.Add(rd, set);
        Remember(rd, set);
    }

    /// <summary>Adds <paramref name="member"/> unless a member with its key is present (false).</summary>
    public bool Add(object member)
    {
        if (!Set(DestinationComparer.KeyOf(member).Rd, create: true)!.Add(member))
        {
            return false;
        }
        Count++;
        return true;
    }

    /// <summary>Removes the member with the key of <paramref name="member"/>.</summary>
    public void Remove(object member)
    {
        var rd = DestinationComparer.KeyOf(member).Rd;
        if (Set(rd, create: false) is not { } set || !set.Remove(member))
        {
            return;
        }
        Count--;
        if (set.Count == 0)
        {
            _byRd.Remove(rd);
            _last = null;
        }
    }

    public IEnumerable<object> Members
    {
        get
        {
            foreach (var set in _byRd.Values)
            {
                foreach (var member in set)
                {
                    yield return member;
                }
            }
        }
    }

    private HashSet<object>? Set(RouteDistinguisher rd, bool create)
    {
        if (_last is not null && _lastRd == rd)
        {
            return _last;
        }
        if (!_byRd.TryGetValue(rd, out var set))
        {
            if (!create)
            {
                return null;
            }
            set = new HashSet<object>(DestinationComparer.Instance);
            _byRd.Add(rd, set);
        }
        Remember(rd, set);
        return set;
    }

    /// <summary>The set of <paramref name="rd"/> is the one the next routes most likely go to (those of one UPDATE share it).</summary>
    private void Remember(RouteDistinguisher rd, HashSet<object> set)
    {
        _lastRd = rd;
        _last = set;
        _lastByKey = set.GetAlternateLookup<EvpnRoute>();
    }
}
