using System.Collections.Immutable;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Negotiation;

/// <summary>What both OPENs agreed on (RFC 4271 4.2, RFC 5492): immutable, reported with
/// <see cref="Speaker.PeerEstablished"/> and kept for the life of the session.</summary>
public sealed record NegotiatedSession(
    OpenMessage LocalOpen,
    OpenMessage RemoteOpen,
    uint LocalAs,
    uint RemoteAs,
    uint RemoteId,
    ushort HoldTime,
    ImmutableArray<AfiSafi> Families,
    bool FourOctetAs,
    bool RouteRefresh,
    bool EnhancedRouteRefresh,
    bool ExtendedMessage,
    DecodeContext Context)
{
    public bool IsExternal => LocalAs != RemoteAs;

    /// <summary>RFC 4271 10: one third of the hold time; zero means no keepalives.</summary>
    public TimeSpan KeepaliveTime => TimeSpan.FromSeconds(HoldTime / 3);

    /// <summary>The peer's graceful restart capability, when both sides sent one (RFC 4724 section 3).</summary>
    public GracefulRestartCapability? PeerGracefulRestart { get; init; }

    /// <summary>RFC 8538 section 2: both sides set the N bit, so NOTIFICATIONs other than Hard Reset
    /// also preserve routes.</summary>
    public bool GracefulNotification { get; init; }

    public bool Supports(AfiSafi family) => Families.Contains(family);
}
