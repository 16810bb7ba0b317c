using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Why a received type-2 or type-3 path cannot be installed in a VXLAN data plane.</summary>
public enum InstallBlock
{
    /// <summary>It can be installed.</summary>
    None,

    /// <summary>No VXLAN encapsulation, or a type-3 whose PMSI tunnel is not ingress replication
    /// (<see cref="RouteForms.UnsupportedTunnel"/>).</summary>
    UnsupportedTunnel,

    /// <summary>Its VTEP is of the other address family than the local VTEP: a VXLAN device sends over one
    /// underlay family, so an IPv4 VTEP cannot reach an IPv6 one, nor the reverse.</summary>
    OtherUnderlayFamily,
}

/// <summary>Where the tunnel of a received route ends and whether the local VXLAN data plane can send there.
/// A blocked route stays in the RIB and is reflected; it only stays out of the kernel, and says why.</summary>
public static class InstallCheck
{
    /// <summary>The remote VTEP of a path: the PMSI tunnel endpoint of a type-3 route (RFC 6514 section 5), else
    /// its originator (RFC 7432 section 11.1); the next hop of any other route (RFC 8365 section 5.1.3). An
    /// IPv4-mapped address is the IPv4 VTEP.</summary>
    public static IpAddr Vtep(RibPath path) => path.Route is InclusiveMulticastRoute type3
        ? path.Attributes.Attributes.PmsiTunnel?.Endpoint ?? type3.OriginatorIp.Unmapped
        : path.NextHop;

    /// <summary>What keeps <paramref name="path"/> out of the data plane of a VTEP at <paramref name="localVtep"/>.</summary>
    public static InstallBlock Check(RibPath path, IpAddr localVtep)
    {
        if (RouteForms.UnsupportedTunnel(path) is not null)
        {
            return InstallBlock.UnsupportedTunnel;
        }
        return Vtep(path).IsV6 != localVtep.IsV6 ? InstallBlock.OtherUnderlayFamily : InstallBlock.None;
    }

    /// <summary>One sentence for <paramref name="block"/>, naming the addresses; null for <see cref="InstallBlock.None"/>.</summary>
    public static string? Describe(InstallBlock block, RibPath path, IpAddr localVtep) => block switch
    {
        InstallBlock.UnsupportedTunnel => RouteForms.UnsupportedTunnel(path),
        InstallBlock.OtherUnderlayFamily =>
            $"its VTEP {Vtep(path)} is {Family(Vtep(path))} and the local VTEP {localVtep} is {Family(localVtep)} (no VXLAN tunnel across underlay families)",
        _ => null,
    };

    /// <summary><see cref="Describe"/> of <see cref="Check"/>: why <paramref name="path"/> is not installed, or null.</summary>
    public static string? Why(RibPath path, IpAddr localVtep) => Describe(Check(path, localVtep), path, localVtep);

    private static string Family(IpAddr address) => address.IsV6 ? "IPv6" : "IPv4";
}
