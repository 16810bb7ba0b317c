using System.Collections.Immutable;
using Evpn.Session.Negotiation;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Speaker;

/// <summary>What the session layer reports to the daemon's RIB/EVPN core, on the speaker loop.</summary>
public abstract record SessionEvent;

/// <summary>An event about one peer.</summary>
public abstract record PeerEvent(BgpPeer Peer) : SessionEvent;

/// <summary>The session reached Established. Send the initial table, then <see cref="BgpSpeaker.SendEndOfRib"/>
/// per family (RFC 4724 section 2).</summary>
public sealed record PeerEstablished(BgpPeer Peer, NegotiatedSession Session) : PeerEvent(Peer);

/// <summary>An UPDATE to apply. <paramref name="Update"/> already reflects the RFC 7606 outcome: after
/// treat-as-withdraw it withdraws everything it would have announced. <paramref name="Error"/> is the
/// strongest non-fatal problem the codec found, for counters and logs. The receiver reports how many of the
/// peer's routes it holds afterwards with <see cref="BgpSpeaker.ReportAcceptedPrefixes"/> (max-prefix).</summary>
public sealed record UpdateReceived(BgpPeer Peer, UpdateMessage Update, BgpError? Error) : PeerEvent(Peer);

/// <summary>The session left Established. With <paramref name="Retained"/> set (RFC 4724 helper), mark the
/// peer's routes of those families stale and keep using them until <see cref="StaleRoutesExpired"/> or
/// <see cref="EndOfRibReceived"/>; routes of other families (or all, when null) are removed now.</summary>
public sealed record PeerDown(BgpPeer Peer, string Reason, NotificationMessage? Notification, StaleRetention? Retained)
    : PeerEvent(Peer);

/// <summary>Families whose routes stay (as stale) while the peer restarts, and until when at most.</summary>
public sealed record StaleRetention(ImmutableArray<AfiSafi> Families, DateTimeOffset Until);

/// <summary>RFC 4724 section 2: the peer finished sending this family. Routes of the family still marked
/// stale from before its restart (or from a BoRR) are removed now.</summary>
public sealed record EndOfRibReceived(BgpPeer Peer, AfiSafi Family) : PeerEvent(Peer);

/// <summary>The restart or stale-path timer ran out, or the peer came back without preserving these
/// families: remove the peer's routes of these families that are still stale.</summary>
public sealed record StaleRoutesExpired(BgpPeer Peer, ImmutableArray<AfiSafi> Families) : PeerEvent(Peer);

/// <summary>RFC 2918 / RFC 7313: the peer asks for our Adj-RIB-Out of <paramref name="Family"/>. The BoRR is
/// already sent when enhanced route refresh was negotiated; re-send the routes, then call
/// <see cref="BgpSpeaker.CompleteRouteRefresh"/>.</summary>
public sealed record RouteRefreshRequested(BgpPeer Peer, AfiSafi Family) : PeerEvent(Peer);

/// <summary>RFC 7313 section 4: the peer begins (BoRR) re-sending <paramref name="Family"/>: mark its routes
/// of the family stale.</summary>
public sealed record RefreshStarted(BgpPeer Peer, AfiSafi Family) : PeerEvent(Peer);

/// <summary>RFC 7313 section 4: the peer ended (EoRR) its re-send: remove its routes of the family still stale.</summary>
public sealed record RefreshEnded(BgpPeer Peer, AfiSafi Family) : PeerEvent(Peer);

/// <summary>The write queue that refused UPDATEs has drained to half: send more.</summary>
public sealed record PeerWritable(BgpPeer Peer) : PeerEvent(Peer);

/// <summary>The peer's prefix count for a family reached the warning share of its limit.</summary>
public sealed record MaxPrefixWarning(BgpPeer Peer, AfiSafi Family, int Count, uint Limit) : PeerEvent(Peer);

/// <summary>RFC 4724 section 4.1: the restarting speaker may run best path now (every GR peer sent
/// End-of-RIB, or the selection deferral timer ran out).</summary>
public sealed record SelectionDeferralEnded(bool TimedOut) : SessionEvent;

/// <summary>The seam between the session layer and the RIB/EVPN core: told of each event synchronously on the
/// speaker loop, which is the single owner of all state. The speaker asks it nothing: what it needs to decide
/// (the receiver's UPDATE checks, <see cref="Options.SpeakerOptions.UpdateCheck"/>) it is given when built, and
/// counts come back as calls (an <see cref="UpdateReceived"/> is answered with
/// <see cref="BgpSpeaker.ReportAcceptedPrefixes"/>).</summary>
public interface ISessionEventSink
{
    void OnSessionEvent(BgpSpeaker speaker, SessionEvent sessionEvent);
}
