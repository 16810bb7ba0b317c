using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Unnumbered;

/// <summary>What <see cref="LinkLocalDiscovery"/> reports about the interfaces of interface neighbors.</summary>
public abstract record InterfaceNeighborEvent(string Interface)
{
    /// <summary>The interface exists with this index; up means administratively up with carrier.</summary>
    public sealed record LinkChanged(string Interface, int IfIndex, bool Up) : InterfaceNeighborEvent(Interface);

    /// <summary>The interface was deleted.</summary>
    public sealed record LinkRemoved(string Interface) : InterfaceNeighborEvent(Interface);

    /// <summary>A link-local address of a neighbor on the interface (scope = its index), and how it was found.</summary>
    public sealed record PeerFound(string Interface, PeerAddress LinkLocal, string Source) : InterfaceNeighborEvent(Interface);
}
