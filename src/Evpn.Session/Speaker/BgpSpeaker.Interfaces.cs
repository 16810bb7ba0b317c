using Evpn.Session.Fsm;
using Evpn.Session.Options;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Session.Speaker;

/// <summary>Interface neighbors (BGP unnumbered): the daemon reports links and the link-local addresses it
/// finds on them; the speaker turns each into a peer at <c>fe80::…%ifindex</c>, accepts connections arriving
/// on the interface from any link-local address, and ends the peer when the link goes down, so the session
/// follows the link instead of waiting for the hold timer.</summary>
public sealed partial class BgpSpeaker
{
    private readonly Dictionary<string, InterfaceNeighbor> _interfaces = new(StringComparer.Ordinal);

    public IReadOnlyCollection<InterfaceNeighbor> InterfaceNeighbors => _interfaces.Values;

    public InterfaceNeighbor? FindInterfaceNeighbor(string name) => _interfaces.GetValueOrDefault(name);

    /// <summary>Adds an interface neighbor; its peer appears once the link is up and the address is known.</summary>
    public InterfaceNeighbor AddInterfaceNeighbor(PeerOptions template)
    {
        if (template.Interface is not { } name)
        {
            throw new ArgumentException("an interface neighbor's options name the interface", nameof(template));
        }
        if (_interfaces.ContainsKey(name))
        {
            throw new InvalidOperationException($"interface neighbor {name} is already configured");
        }
        var neighbor = new InterfaceNeighbor(template);
        _interfaces.Add(name, neighbor);
        return neighbor;
    }

    /// <summary>Removes an interface neighbor and its peer (Cease / Peer De-configured).</summary>
    public void RemoveInterfaceNeighbor(InterfaceNeighbor neighbor)
    {
        if (neighbor.Peer is { } peer)
        {
            RemovePeer(peer);
            neighbor.Peer = null;
        }
        _interfaces.Remove(neighbor.Name);
    }

    /// <summary>The interface exists with this index and is (or is not) up. Down ends the peer at once: its
    /// routes go now (the link they were learned over is gone) and the address is found again on the way up.</summary>
    public void InterfaceLinkChanged(string name, int ifIndex, bool up)
    {
        if (!_interfaces.TryGetValue(name, out var neighbor))
        {
            return;
        }
        var moved = neighbor.IfIndex != ifIndex;
        if ((!up || moved) && neighbor.Peer is not null)
        {
            Unbind(neighbor, up ? $"interface {name} was re-created" : $"interface {name} down");
        }
        if (!up || moved)
        {
            neighbor.Discovered = null;
            neighbor.DiscoveredBy = null;
        }
        neighbor.IfIndex = ifIndex;
        neighbor.LinkUp = up;
    }

    /// <summary>The interface is gone (RTM_DELLINK).</summary>
    public void InterfaceRemoved(string name)
    {
        if (_interfaces.TryGetValue(name, out var neighbor))
        {
            InterfaceLinkChanged(name, neighbor.IfIndex ?? 0, up: false);
            neighbor.IfIndex = null;
        }
    }

    /// <summary>A link-local address of the peer on <paramref name="name"/>, found by <paramref name="source"/>
    /// (router advertisement, neighbor table). A session that is up keeps its address; one that is not moves to
    /// the new address, since that is what the peer now announces.</summary>
    public void InterfacePeerFound(string name, PeerAddress linkLocal, string source)
    {
        if (!_interfaces.TryGetValue(name, out var neighbor) || !neighbor.LinkUp || !neighbor.Owns(linkLocal))
        {
            return;
        }
        if (neighbor.Peer is { } current)
        {
            if (current.Address == linkLocal || current.State is BgpState.OpenConfirm or BgpState.Established)
            {
                return;
            }
            Unbind(neighbor, $"peer address on {name} changed to {linkLocal}");
        }
        Bind(neighbor, linkLocal, source);
    }

    /// <summary>A connection from a link-local address no peer has: the interface neighbor of the interface
    /// it arrived on takes it (an unnumbered peer may connect before we heard its router advertisement).</summary>
    private BgpPeer? AdoptInterfaceConnection(PeerAddress remote)
    {
        foreach (var neighbor in _interfaces.Values)
        {
            if (neighbor.LinkUp && neighbor.Owns(remote))
            {
                InterfacePeerFound(neighbor.Name, remote, "connection");
                return neighbor.Peer is { } peer && peer.Address == remote ? peer : null;
            }
        }
        return null;
    }

    private void Bind(InterfaceNeighbor neighbor, PeerAddress linkLocal, string source)
    {
        neighbor.Discovered = linkLocal;
        neighbor.DiscoveredBy = source;
        _log.LogInformation("interface neighbor {Interface}: peer at {Address} (from {Source})", neighbor.Name, linkLocal, source);
        neighbor.Peer = AddPeer(neighbor.Template with { Address = linkLocal, Enabled = !neighbor.AdminDown }, dynamic: false);
    }

    /// <summary>Ends the interface neighbor's peer without keeping its routes (ManualStop: no graceful restart,
    /// since the link the session ran over is what went away).</summary>
    private void Unbind(InterfaceNeighbor neighbor, string reason)
    {
        var peer = neighbor.Peer!;
        neighbor.AdminDown = peer.AdminDown;
        _log.LogInformation("interface neighbor {Interface}: ending peer {Address}: {Reason}", neighbor.Name, peer.Address, reason);
        peer.AdminDown = true;
        Dispatch(peer, BgpEvent.ManualStop, Notifications.Shutdown(reason));
        peer.LastDownReason = reason;
        neighbor.LastDownReason = reason;
        Forget(peer);
        neighbor.Peer = null;
    }

    /// <summary>Operator shutdown of an interface neighbor that has no peer yet: the peer starts disabled.</summary>
    public void ShutdownInterfaceNeighbor(InterfaceNeighbor neighbor, string? communication = null)
    {
        neighbor.AdminDown = true;
        if (neighbor.Peer is { } peer)
        {
            Shutdown(peer, communication);
        }
    }

    public void EnableInterfaceNeighbor(InterfaceNeighbor neighbor)
    {
        neighbor.AdminDown = false;
        if (neighbor.Peer is { } peer)
        {
            Enable(peer);
        }
    }
}
