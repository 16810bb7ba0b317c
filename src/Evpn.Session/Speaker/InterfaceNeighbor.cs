using Evpn.Session.Options;
using Evpn.Wire.Model;

namespace Evpn.Session.Speaker;

/// <summary>A configured interface neighbor (BGP unnumbered): the peer on the other end of one link, known by
/// the interface's name until its IPv6 link-local address is found (router advertisements, the neighbor table,
/// or a connection arriving on the interface). While the address is known and the link is up there is a
/// <see cref="Peer"/>; link down or another address ends that peer. Mutated only on the speaker loop.</summary>
public sealed class InterfaceNeighbor
{
    internal InterfaceNeighbor(PeerOptions template)
    {
        Template = template;
        AdminDown = !template.Enabled;
    }

    public string Name => Template.Interface!;

    /// <summary>The peer's options; the address is filled in from what is discovered.</summary>
    public PeerOptions Template { get; }

    /// <summary>The interface's index while it exists: the scope of the link-local addresses on it.</summary>
    public int? IfIndex { get; internal set; }

    /// <summary>Administratively and operationally up (carrier).</summary>
    public bool LinkUp { get; internal set; }

    /// <summary>The peer's link-local address (scope = <see cref="IfIndex"/>), and how it was found.</summary>
    public PeerAddress? Discovered { get; internal set; }

    public string? DiscoveredBy { get; internal set; }

    /// <summary>The session's peer while the link is up and the address known.</summary>
    public BgpPeer? Peer { get; internal set; }

    /// <summary>Shut down by the operator: a peer created for a discovered address starts disabled.</summary>
    public bool AdminDown { get; internal set; }

    /// <summary>Why the last peer on this interface went away (link down, address changed).</summary>
    public string? LastDownReason { get; internal set; }

    /// <summary>True for an IPv6 link-local address scoped to this interface.</summary>
    internal bool Owns(PeerAddress address) => IfIndex is { } index && address.IsLinkLocal && address.ScopeId == (uint)index;
}
