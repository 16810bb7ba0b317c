using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>RFC 7911 section 4 send/receive field.</summary>
[Flags]
public enum AddPathDirection : byte
{
    None = 0,
    Receive = 1,
    Send = 2,
    Both = 3,
}

public readonly record struct AddPathFamily(AfiSafi Family, AddPathDirection Direction);

/// <summary>RFC 7911 section 4 ADD-PATH capability: AFI (2), SAFI (1), send/receive (1), repeated.</summary>
public sealed record AddPathCapability(EquatableArray<AddPathFamily> Families) : Capability
{
    public override byte Code => CapabilityCode.AddPath;

    /// <summary>Each family with its direction, e.g. "l2vpn-evpn receive".</summary>
    public string FamiliesText => string.Join(' ', Families.Select(f => $"{f.Family} {f.Direction.ToString().ToLowerInvariant()}"));

    public AddPathDirection DirectionFor(AfiSafi family)
    {
        foreach (var f in Families)
        {
            if (f.Family == family)
            {
                return f.Direction;
            }
        }
        return AddPathDirection.None;
    }
}
