using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Why a received route was not accepted into the Adj-RIB-In post-policy.</summary>
public enum InboundRejection : byte
{
    None,

    /// <summary>RFC 4271 section 9.1.2: our AS is in the AS_PATH of a route from an external peer.</summary>
    AsPathLoop,

    /// <summary>RFC 4456 section 8: ORIGINATOR_ID is our router id.</summary>
    OriginatorIsSelf,

    /// <summary>RFC 4456 section 8: CLUSTER_LIST holds our cluster id.</summary>
    ClusterListLoop,
}

/// <summary>The loop checks applied to every received attribute set before its routes enter the RIB.</summary>
internal static class InboundChecks
{
    public static InboundRejection Check(RibOptions options, RibPeer peer, PathAttributes attributes)
    {
        if (!peer.IsInternal && attributes.AsPath is { } path && path.Contains(options.LocalAsn))
        {
            return InboundRejection.AsPathLoop;
        }
        if (attributes.OriginatorId == options.RouterId)
        {
            return InboundRejection.OriginatorIsSelf;
        }
        if (options.IsRouteReflector)
        {
            foreach (var cluster in attributes.ClusterList)
            {
                if (cluster == options.EffectiveClusterId)
                {
                    return InboundRejection.ClusterListLoop;
                }
            }
        }
        return InboundRejection.None;
    }
}
