using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>Where the VXLAN tunnels of received EVPN routes would end, checked before the routes reach the
/// RIB: the next hop, the PMSI tunnel endpoint of ingress replication and the type-3 originator each become a
/// kernel entry toward that address. RFC 4271 section 6.3 (and RFC 7606 sections 7.3 and 7.11) has a next hop
/// that is no host address, or our own, ignored without a NOTIFICATION: the UPDATE is treat-as-withdraw.</summary>
/// <remarks>
///   | address                                      | why no VTEP can be there                      |
///   |----------------------------------------------|-----------------------------------------------|
///   | 0.0.0.0/8, ::                                | "this network", unspecified (RFC 6890)        |
///   | 127.0.0.0/8, ::1 (unless allowed)            | loopback: every host's own (RFC 6890)         |
///   | 224.0.0.0/4, ff00::/8                        | multicast                                     |
///   | 240.0.0.0/4 (with 255.255.255.255)           | reserved, limited broadcast                   |
///   | our own VTEP                                 | a tunnel to ourselves                         |
///   Loopback VTEPs are allowed by `router.allow-loopback-vteps`, for test set-ups that run several VTEPs on
///   one host's loopback addresses.
/// </remarks>
public static class TunnelEndpointCheck
{
    /// <summary>Null when every tunnel endpoint of <paramref name="reach"/> is usable, else the treat-as-withdraw
    /// error that says which is not and why.</summary>
    public static BgpError? Check(MpReachNlri? reach, PathAttributes attributes, IpAddr localVtep, bool allowLoopback)
    {
        if (reach is null || reach.Family != AfiSafi.L2vpnEvpn || reach.Nlri.IsEmpty)
        {
            return null;
        }
        if (Unusable(reach.NextHop, localVtep, allowLoopback) is { } nextHop)
        {
            return Error(UpdateMessageErrorSubcode.InvalidNextHopAttribute, AttributeType.MpReachNlri, $"EVPN next hop {reach.NextHop} {nextHop}");
        }
        if (attributes.PmsiTunnel is { TunnelType: PmsiTunnel.IngressReplication, Endpoint: { } endpoint }
            && Unusable(endpoint, localVtep, allowLoopback) is { } pmsi)
        {
            return Error(UpdateMessageErrorSubcode.OptionalAttributeError, AttributeType.PmsiTunnel, $"PMSI tunnel endpoint {endpoint} {pmsi}");
        }
        foreach (var n in reach.Nlri.AsSpan())
        {
            if (n.Evpn is InclusiveMulticastRoute route && Unusable(route.OriginatorIp.Unmapped, localVtep, allowLoopback) is { } originator)
            {
                return Error(UpdateMessageErrorSubcode.OptionalAttributeError, AttributeType.MpReachNlri, $"type-3 originator {route.OriginatorIp} {originator}");
            }
        }
        return null;
    }

    /// <summary>The check of a received UPDATE, fixed to this VTEP and loopback setting (both need a restart to
    /// change): what the daemon hands the BGP speaker when it builds it.</summary>
    public static Func<UpdateMessage, BgpError?> For(IpAddr localVtep, bool allowLoopback) =>
        update => Check(update.MpReach, update.Attributes, localVtep, allowLoopback);

    /// <summary>Why no remote VTEP can have <paramref name="address"/>, or null when one can.</summary>
    public static string? Unusable(IpAddr address, IpAddr localVtep, bool allowLoopback)
    {
        if (address == localVtep)
        {
            return "is our own VTEP";
        }
        if (address.IsV4)
        {
            return (address.V4Bits >> 24) switch
            {
                0 => "is in 0.0.0.0/8",
                127 when !allowLoopback => "is a loopback address (router.allow-loopback-vteps is off)",
                >= 224 and < 240 => "is a multicast address",
                >= 240 => "is in the reserved 240.0.0.0/4",
                _ => null,
            };
        }
        var bits = address.V6Bits;
        return bits == UInt128.Zero ? "is the unspecified address"
            : bits == UInt128.One && !allowLoopback ? "is the loopback address (router.allow-loopback-vteps is off)"
            : (bits >> 120) == 0xff ? "is a multicast address"
            : null;
    }

    private static BgpError Error(byte subcode, byte attributeType, string reason) =>
        new(ErrorAction.TreatAsWithdraw, NotificationCode.UpdateMessageError, subcode, EquatableArray<byte>.Empty, reason)
        {
            AttributeType = attributeType,
        };
}
