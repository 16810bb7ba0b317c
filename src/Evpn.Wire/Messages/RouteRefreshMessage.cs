using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>RFC 7313 section 3: the former reserved octet of ROUTE-REFRESH says what the message marks.</summary>
public enum RouteRefreshSubtype : byte
{
    /// <summary>A plain refresh request (RFC 2918).</summary>
    Request = 0,

    /// <summary>Beginning of Route Refresh.</summary>
    BeginningOfRefresh = 1,

    /// <summary>End of Route Refresh.</summary>
    EndOfRefresh = 2,
}

/// <summary>ROUTE-REFRESH, RFC 2918 section 3 with RFC 7313 subtypes.</summary>
/// <remarks>
///   0                   1                   2                   3
///   +-------------------------------+---------------+---------------+
///   |              AFI              |   Subtype     |     SAFI      |
///   +-------------------------------+---------------+---------------+
/// </remarks>
public sealed record RouteRefreshMessage(AfiSafi Family, RouteRefreshSubtype Subtype = RouteRefreshSubtype.Request) : BgpMessage
{
    public override MessageType Type => MessageType.RouteRefresh;
}
