using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>One candidate for a destination: a route as one source sent it, with its (interned)
/// post-policy attributes. Immutable to its users; a replaced path is a new object so that a best-path
/// change is visible by reference.</summary>
/// <remarks>The only path of a route key is held by the Loc-RIB as itself, with no <see cref="Destination"/>
/// object (see <see cref="Rib"/>): most keys have one path, and a million of them then cost one object each.
/// The two fields below serve that case.</remarks>
public sealed class RibPath
{
    /// <summary>A path of <paramref name="route"/> with <paramref name="attributes"/>, which name its source.</summary>
    internal RibPath(EvpnRoute route, AttributeSet attributes)
    {
        Route = route;
        Attributes = attributes;
    }

    public EvpnRoute Route { get; }
    public AttributeSet Attributes { get; }

    /// <summary>The peer that sent the path, or the local source; held by the (shared) attribute set.</summary>
    public RibPeer Source => Attributes.Source!;

    /// <summary>As the only path of its key: its place in the RIB's queue of keys to decide, or -1.</summary>
    internal int Slot = -1;

    /// <summary>As the only path of its key: withdrawn, and left in the Loc-RIB until the withdrawal is decided.</summary>
    internal bool Withdrawn;

    /// <summary>RFC 4724 section 4.2: kept from a restarting peer until it re-sends or its timer ends.</summary>
    /// <remarks>Held in the source's set of stale paths, not in a field here: only a restarting peer has
    /// any, and a flag would round every path of a million up by 8 octets.</remarks>
    public bool IsStale
    {
        get => Source.StalePaths?.Contains(this) == true;
        internal set
        {
            if (value)
            {
                (Source.StalePaths ??= new HashSet<RibPath>(ReferenceEqualityComparer.Instance)).Add(this);
            }
            else
            {
                Source.StalePaths?.Remove(this);
            }
        }
    }

    /// <summary>The VTEP for EVPN routes over VXLAN: the MP_REACH next hop (RFC 8365 section 5.1.3).</summary>
    public IpAddr NextHop => Attributes.NextHop;

    public override string ToString() => $"{Route} from {Source} via {NextHop}";
}
