using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>One run of routes of an update group's outbound batch: withdrawn, or announced with one attribute set.
/// A segment of the group's stream goes to every member but <see cref="Skip"/> (RFC 4456 section 6 and RFC 4271
/// section 9.2: a route is not sent back to the peer it came from), and is packed and encoded once for all of
/// them; a segment with <see cref="Only"/> goes to that one member (its own view: a catch-up, a refresh, or the
/// withdrawal of a route whose best path now comes from it).</summary>
public sealed class OutboundSegment
{
    private readonly List<EvpnRoute> _routes = [];
    private DecodeContext? _packedWith;
    private OutboundMessages? _packed;

    internal OutboundSegment(AttributeSet? set, RibPeer? skip, RibPeer? only)
    {
        Set = set;
        Skip = skip;
        Only = only;
    }

    /// <summary>The attributes announced; null for withdrawals.</summary>
    public AttributeSet? Set { get; }

    public IReadOnlyList<EvpnRoute> Routes => _routes;

    public bool IsWithdrawal => Set is null;

    /// <summary>The member that does not get this segment: the peer the routes came from.</summary>
    internal RibPeer? Skip { get; }

    /// <summary>The one member that gets this segment; null for a segment of the group's stream.</summary>
    internal RibPeer? Only { get; }

    internal void Add(EvpnRoute route) => _routes.Add(route);

    internal bool IsFor(RibPeer member) => Only is null ? !ReferenceEquals(member, Skip) : ReferenceEquals(member, Only);

    /// <summary>The UPDATEs of this segment, packed once per encoding; a segment of the group's stream is also
    /// encoded once, and its members' connections write the same bytes.</summary>
    internal OutboundMessages Pack(AfiSafi family, DecodeContext context)
    {
        if (_packed is null || !Equals(_packedWith, context))
        {
            _packed = OutboundPacking.Pack(this, family, context, encode: Only is null);
            _packedWith = context;
        }
        return _packed;
    }
}
