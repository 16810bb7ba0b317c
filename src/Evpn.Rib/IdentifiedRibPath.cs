using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>A path received from an add-path peer (RFC 7911) with a path identifier other than 0.</summary>
internal sealed class IdentifiedRibPath : RibPath
{
    internal IdentifiedRibPath(EvpnRoute route, AttributeSet attributes, uint identifier)
        : base(route, attributes) => Identifier = identifier;

    public uint Identifier { get; }
}
