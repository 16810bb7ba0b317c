using Evpn.Session.Fsm;
using Evpn.Session.Negotiation;
using Evpn.Session.Transport;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Session.Speaker;

/// <summary>Received messages become FSM events and session events.</summary>
public sealed partial class BgpSpeaker
{
    private LogRateLimiter<(PeerAddress, ErrorAction, byte?)>? _updateErrorLog;

    private void OnMessage(MessageReceived received)
    {
        if (FindOwner(received.Connection) is not { } peer)
        {
            return;
        }
        peer.Counters.MessagesReceived++;
        if (peer.Candidate == received.Connection)
        {
            OnCandidateMessage(peer, received);
            return;
        }
        // The decoder leaves the message out exactly when the error is session-fatal.
        if (received.Error is { IsSessionFatal: true } fatal)
        {
            _log.LogWarning("peer {Peer}: {Error}", peer.Address, fatal);
            Dispatch(peer, ErrorEvent(fatal), Notifications.For(fatal));
            return;
        }
        switch (received.Message)
        {
            case OpenMessage open:
                OnOpen(peer, received.Connection, open);
                break;
            case KeepaliveMessage:
                Dispatch(peer, BgpEvent.KeepAliveMsg);
                break;
            case UpdateMessage update:
                // The FSM decides (RFC 4271 8.2.2): an FSM error before Established; in it, the hold timer restarts
                // and the UPDATE is processed.
                if (Dispatch(peer, BgpEvent.UpdateMsg).Has(FsmActions.ProcessUpdate))
                {
                    OnUpdate(peer, update, received.Error, received.SkippedRoutes);
                }
                break;
            case NotificationMessage notification:
                peer.LastNotificationReceived = notification;
                _log.LogWarning("peer {Peer}: received {Notification}", peer.Address, notification);
                // RFC 4271 8.2.1.5 event 24: a version error NOTIFICATION is not counted as a connect retry.
                Dispatch(peer, notification.Code == NotificationCode.OpenMessageError
                    && notification.Subcode == OpenMessageErrorSubcode.UnsupportedVersionNumber
                    ? BgpEvent.NotifMsgVerErr : BgpEvent.NotifMsg, notification);
                break;
            case RouteRefreshMessage refresh:
                if (peer.State != BgpState.Established)
                {
                    Dispatch(peer, BgpEvent.UpdateMsg);
                    return;
                }
                peer.Timer(PeerTimerKind.Hold).Extend();
                OnRouteRefresh(peer, refresh);
                break;
        }
    }

    /// <summary>The FSM event for a session-fatal decode error (RFC 4271 8.1.5), chosen by the error, not by the
    /// message type: a header error is event 21 whatever type the header named. ROUTE-REFRESH errors (RFC 7313
    /// section 5) go the way of UPDATE errors: reported as such in Established, unexpected messages before.</summary>
    private static BgpEvent ErrorEvent(BgpError error) => error.Code switch
    {
        NotificationCode.MessageHeaderError => BgpEvent.BgpHeaderErr,
        NotificationCode.OpenMessageError => BgpEvent.BgpOpenMsgErr,
        _ => BgpEvent.UpdateMsgErr,
    };

    private static RemoteAsRule ExpectedRemoteAs(BgpPeer peer) =>
        peer.AcceptAnyAs ? RemoteAsRule.Any : peer.Options.AnyExternalAs ? RemoteAsRule.AnyExternal : RemoteAsRule.Exactly(peer.Options.RemoteAs);

    private void OnOpen(BgpPeer peer, PeerConnection connection, OpenMessage open)
    {
        if (peer.State is BgpState.OpenConfirm or BgpState.Established)
        {
            // This connection's OPEN was accepted already: a second one is unexpected whatever it says (RFC 6608).
            Dispatch(peer, BgpEvent.BgpOpen);
            return;
        }
        var outcome = OpenNegotiation.Negotiate(connection.LocalOpen, open, ExpectedRemoteAs(peer));
        if (outcome.Error is { } error)
        {
            _log.LogWarning("peer {Peer}: OPEN refused: {Error}", peer.Address, error);
            Dispatch(peer, BgpEvent.BgpOpenMsgErr, Notifications.For(error));
            return;
        }
        if (ResolveCollision(peer, connection, open.BgpIdentifier) is null)
        {
            return;
        }
        connection.Session = outcome.Session;
        Dispatch(peer, peer.Timer(PeerTimerKind.DelayOpen).IsRunning ? BgpEvent.BgpOpenWithDelayOpenTimerRunning : BgpEvent.BgpOpen);
    }

    /// <summary>The second connection only exchanges OPENs until collision resolution picks one.</summary>
    private void OnCandidateMessage(BgpPeer peer, MessageReceived received)
    {
        var candidate = received.Connection;
        var outcome = received.Message is OpenMessage open ? OpenNegotiation.Negotiate(candidate.LocalOpen, open, ExpectedRemoteAs(peer)) : default;
        if (outcome.Session is not { } session)
        {
            // The candidate is in OpenSent on its own: it sends what the FSM sends there (any message but a
            // good OPEN ends it).
            var input = received.Error is { IsSessionFatal: true } fatal ? new FsmInput(ErrorEvent(fatal), Notifications.For(fatal))
                : outcome.Error is { } error ? new FsmInput(BgpEvent.BgpOpenMsgErr, Notifications.For(error))
                : new FsmInput(received.Message is NotificationMessage ? BgpEvent.NotifMsg : BgpEvent.UpdateMsg);
            peer.Candidate = null;
            if (BgpFsm.Next(BgpState.OpenSent, input, peer.FsmOptions).Notification is { } notification)
            {
                candidate.Send(notification);
            }
            candidate.Close(CloseGrace);
            return;
        }
        candidate.Session = session;
        if (ResolveCollision(peer, candidate, session.RemoteId) == candidate)
        {
            Dispatch(peer, BgpEvent.BgpOpen);
        }
    }

    private void OnUpdate(BgpPeer peer, UpdateMessage update, BgpError? error, int skippedRoutes)
    {
        peer.Counters.UpdatesReceived++;
        peer.Counters.UnknownRoutesSkipped += skippedRoutes;
        if (error is not { Action: >= ErrorAction.TreatAsWithdraw } && Options.UpdateCheck is { } check)
        {
            error = BgpError.Stronger(error, check(update));
        }
        if (error is not null)
        {
            switch (error.Action)
            {
                case ErrorAction.AttributeDiscard:
                    peer.Counters.AttributesDiscarded++;
                    break;
                case ErrorAction.TreatAsWithdraw:
                    // RFC 7606 section 2: the routes are handled as withdrawn. This is the one place that happens,
                    // for the codec's errors and the receiver's own checks alike.
                    peer.Counters.TreatedAsWithdraw++;
                    update = update.AsWithdrawal();
                    break;
                case ErrorAction.AfiSafiDisable:
                    // RFC 4760 section 7 allows disabling just the family, but there is no message that tells the
                    // peer so; resetting the session (with the error's NOTIFICATION) keeps both sides consistent.
                    Dispatch(peer, BgpEvent.UpdateMsgErr, Notifications.For(error));
                    return;
            }
            // Logged once per peer and kind per interval, counted always: a peer repeating one malformed
            // attribute must not flood the log.
            _updateErrorLog ??= new LogRateLimiter<(PeerAddress, ErrorAction, byte?)>(_time, LogInterval);
            if (error.Action != ErrorAction.None && _updateErrorLog.TryLog((peer.Address, error.Action, error.AttributeType), out var heldBack))
            {
                _log.LogWarning("peer {Peer}: malformed UPDATE (RFC 7606) {Error}{HeldBack}; more of this kind within {Interval} s are counted, not logged",
                    peer.Address, error, heldBack > 0 ? $" ({heldBack} more since the last report)" : "", LogInterval.TotalSeconds);
            }
        }
        if (update.IsEndOfRib(out var family))
        {
            OnEndOfRib(peer, family);
            return;
        }
        Emit(new UpdateReceived(peer, update, error));
        CheckMaxPrefix(peer);
    }

    private void OnRouteRefresh(BgpPeer peer, RouteRefreshMessage refresh)
    {
        if (peer.Session is not { } session || !session.Supports(refresh.Family))
        {
            // RFC 2918 section 4: a refresh for a family that was not negotiated is ignored.
            return;
        }
        switch (refresh.Subtype)
        {
            case RouteRefreshSubtype.Request:
                // A request while a re-send is under way restarts that re-send; its BoRR already went out.
                if (session.EnhancedRouteRefresh && peer.RefreshesUnderWay.Add(refresh.Family))
                {
                    peer.Connection?.Send(new RouteRefreshMessage(refresh.Family, RouteRefreshSubtype.BeginningOfRefresh));
                }
                Emit(new RouteRefreshRequested(peer, refresh.Family));
                break;
            case RouteRefreshSubtype.BeginningOfRefresh when session.EnhancedRouteRefresh:
                Emit(new RefreshStarted(peer, refresh.Family));
                break;
            case RouteRefreshSubtype.EndOfRefresh when session.EnhancedRouteRefresh:
                Emit(new RefreshEnded(peer, refresh.Family));
                break;
        }
    }

    /// <summary>The receiver's count of <paramref name="peer"/>'s routes of <paramref name="family"/> that it
    /// holds now, after its policy (as FRR counts): called by the sink while it handles an
    /// <see cref="UpdateReceived"/>. Max-prefix is checked against it once the UPDATE was handed on. The
    /// receiver's RIB already has the routes: the session keeps no second copy of every prefix just to count it.</summary>
    public void ReportAcceptedPrefixes(BgpPeer peer, AfiSafi family, int count) => peer.AcceptedPrefixes[family] = count;

    /// <summary>Max-prefix (RFC 4486 Cease subcode 1), checked after the UPDATE was handed on, against the
    /// count the receiver reported for it: an UPDATE that crosses the limit closes the session, and the
    /// session's routes go with it.</summary>
    private void CheckMaxPrefix(BgpPeer peer)
    {
        // Handing the UPDATE on may have ended the session already.
        if (peer.State != BgpState.Established)
        {
            return;
        }
        foreach (var (family, limit) in peer.Options.MaxPrefix)
        {
            var count = peer.AcceptedPrefixes.GetValueOrDefault(family);
            if (count > limit.Limit)
            {
                _log.LogWarning("peer {Peer}: {Count} {Family} prefixes exceed the limit {Limit}", peer.Address, count, family, limit.Limit);
                peer.AdminDown = limit.RestartAfter is null;
                Dispatch(peer, BgpEvent.AutomaticStop, Hard(peer, Notifications.MaximumPrefixes(family, limit.Limit)));
                if (limit.RestartAfter is { } after && peer.State == BgpState.Idle)
                {
                    peer.Timer(PeerTimerKind.IdleHold).Start(after);
                }
                return;
            }
            if (count * 100L >= limit.Limit * (long)limit.WarningPercent && peer.PrefixWarned.Add(family))
            {
                _log.LogWarning("peer {Peer}: {Count} {Family} prefixes reach {Percent}% of the limit {Limit}",
                    peer.Address, count, family, limit.WarningPercent, limit.Limit);
                Emit(new MaxPrefixWarning(peer, family, count, limit.Limit));
            }
        }
    }

    private static string Describe(BgpEvent cause, NotificationMessage? notification) => cause switch
    {
        BgpEvent.HoldTimerExpires => "hold timer expired",
        BgpEvent.SendHoldTimerExpires => "send hold timer expired",
        BgpEvent.TcpConnectionFails => "connection lost",
        BgpEvent.NotifMsg or BgpEvent.NotifMsgVerErr => $"received {notification}",
        BgpEvent.ManualStop => $"administrative shutdown ({notification})",
        _ => notification is null ? cause.ToString() : $"{cause}: sent {notification}",
    };
}
