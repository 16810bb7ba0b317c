using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>What the session layer reports when a BGP session reaches Established: the facts the RIB
/// needs for best path (RFC 4271 section 9.1.2), route reflection (RFC 4456) and export.</summary>
public sealed record PeerSession(
    IpAddr Address,
    uint PeerAsn,
    IpAddr RouterId,
    bool IsInternal,
    IReadOnlyCollection<AfiSafi> Families,
    bool IsRouteReflectorClient = false);

/// <summary>A source of paths in the RIB: a BGP peer, or the local speaker for routes it originates.
/// Mutable, owned by the RIB; the paths a peer contributed are threaded through it so that a session
/// going down touches only that peer's paths.</summary>
public sealed class RibPeer
{
    internal RibPeer(PeerSession session, bool isLocal)
    {
        Session = session;
        IsLocal = isLocal;
    }

    public PeerSession Session { get; internal set; }
    public bool IsLocal { get; }
    public IpAddr Address => Session.Address;
    public bool IsInternal => Session.IsInternal;
    public bool IsRouteReflectorClient => Session.IsRouteReflectorClient;

    /// <summary>True while the session is Established (always true for the local source).</summary>
    public bool IsEstablished { get; internal set; }

    /// <summary>RFC 4724: the session went down with graceful restart; its paths are kept as stale.</summary>
    public bool IsRestarting { get; internal set; }

    public int PathCount { get; internal set; }

    internal RibPath? FirstPath;
    internal AdjRibOut? Out;

    internal void Link(RibPath path)
    {
        path.NextInPeer = FirstPath;
        path.PreviousInPeer = null;
        if (FirstPath is not null)
        {
            FirstPath.PreviousInPeer = path;
        }
        FirstPath = path;
        PathCount++;
    }

    internal void Unlink(RibPath path)
    {
        if (path.PreviousInPeer is not null)
        {
            path.PreviousInPeer.NextInPeer = path.NextInPeer;
        }
        else
        {
            FirstPath = path.NextInPeer;
        }
        if (path.NextInPeer is not null)
        {
            path.NextInPeer.PreviousInPeer = path.PreviousInPeer;
        }
        path.NextInPeer = null;
        path.PreviousInPeer = null;
        PathCount--;
    }

    public override string ToString() => IsLocal ? "local" : Address.ToString();
}
