using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>One candidate for a destination: a route as one source sent it, with its (interned)
/// post-policy attributes. Immutable to its users; a replaced path is a new object so that a best-path
/// change is visible by reference.</summary>
/// <remarks>The only path of a route key is held by the Loc-RIB as itself, with no <see cref="Destination"/>
/// object (see <see cref="Rib"/>): most keys have one path, and a million of them then cost one object each.
/// The two fields below serve that case. A path received with an RFC 7911 path identifier other than 0 is an
/// <see cref="IdentifiedRibPath"/>, so that the paths of peers without add-path carry no identifier field.</remarks>
public class RibPath
{
    /// <summary>A path of <paramref name="route"/> with <paramref name="attributes"/>, which name its source.</summary>
    internal RibPath(EvpnRoute route, AttributeSet attributes)
    {
        Route = route;
        Attributes = attributes;
    }

    /// <summary>A path of <paramref name="route"/> as its source identified it (RFC 7911 section 3; 0 without add-path).</summary>
    internal static RibPath Create(EvpnRoute route, AttributeSet attributes, uint pathId) =>
        pathId == 0 ? new RibPath(route, attributes) : new IdentifiedRibPath(route, attributes, pathId);

    public EvpnRoute Route { get; }
    public AttributeSet Attributes { get; }

    /// <summary>RFC 7911 section 3: the path identifier the source sent with the route, 0 when it sent none. With the
    /// source it tells the paths of one route apart: a second path from one add-path peer is another candidate, not a
    /// replacement of the first.</summary>
    public uint PathId => this is IdentifiedRibPath identified ? identified.Identifier : 0;

    /// <summary>The path identifier as shown: null unless the source negotiated add-path receive, where 0 is an identifier too.</summary>
    public uint? ReceivedPathId => Source.Session.ReceivesPathIds ? PathId : null;

    /// <summary>The path <paramref name="source"/> sent under <paramref name="pathId"/>.</summary>
    internal bool IsFrom(RibPeer source, uint pathId) => ReferenceEquals(Source, source) && PathId == pathId;

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

    public override string ToString() => PathId == 0 ? $"{Route} from {Source} via {NextHop}" : $"{Route} from {Source} path-id {PathId} via {NextHop}";
}
