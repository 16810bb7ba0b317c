using Evpn.Session.Fsm;
using Evpn.Session.Negotiation;
using Evpn.Wire;
using Microsoft.Extensions.Logging;
using static Evpn.Session.Fsm.FsmActions;

namespace Evpn.Session.Speaker;

/// <summary>Runs FSM transitions: <see cref="BgpFsm.Next"/> decides, this file does what it says.</summary>
public sealed partial class BgpSpeaker
{
    /// <summary>Runs the transition <paramref name="e"/> causes and returns it, for the caller to do what is
    /// left to it (<see cref="ProcessUpdate"/>).</summary>
    private FsmStep Dispatch(BgpPeer peer, BgpEvent e, NotificationMessage? error = null)
    {
        var before = peer.State;
        var step = BgpFsm.Next(before, new FsmInput(e, error), peer.FsmOptions);
        if (step.Next != before)
        {
            _log.LogInformation("peer {Peer} {From} -> {To} on {Event}", peer.Address, before, step.Next, e);
        }
        Execute(peer, step, e, error);
        return step;
    }

    private void Execute(BgpPeer peer, FsmStep step, BgpEvent cause, NotificationMessage? error)
    {
        var before = peer.State;
        var connection = peer.Connection;
        var session = peer.Session;
        if (step.Has(SendNotification) && step.Notification is { } notification && connection is not null)
        {
            connection.Send(notification);
            peer.LastNotificationSent = notification;
            _log.LogWarning("peer {Peer}: sent {Notification}", peer.Address, notification);
        }
        if (step.Has(SendOpen) && connection is not null && !connection.OpenSent)
        {
            connection.Send(connection.LocalOpen);
            connection.OpenSent = true;
        }
        if (step.Has(AcceptOpen) && connection?.Session is { } accepted)
        {
            peer.Session = accepted;
            connection.SetSendContext(accepted.Context);
        }
        if (step.Has(SendKeepalive))
        {
            connection?.Send(KeepaliveMessage.Instance);
        }
        if (step.Has(DropConnection))
        {
            DropConnections(peer);
        }
        ApplyTimers(peer, step);
        if (step.Has(IncrementConnectRetryCounter))
        {
            peer.ConnectRetryCounter++;
        }
        if (step.Has(ResetConnectRetryCounter))
        {
            peer.ConnectRetryCounter = 0;
        }
        peer.State = step.Next;
        if (step.Has(InitiateConnection))
        {
            StartConnect(peer);
        }
        if (step.Has(SessionEstablished) && peer.Session is { } established)
        {
            OnEstablished(peer, established);
        }
        if (step.Next == BgpState.Idle && before != BgpState.Idle)
        {
            peer.Session = null;
            if (before == BgpState.Established && session is not null)
            {
                OnSessionLost(peer, session, cause, step.Notification, error);
            }
            ScheduleRestart(peer, wasEstablished: before == BgpState.Established);
        }
    }

    private void ApplyTimers(BgpPeer peer, FsmStep step)
    {
        var options = peer.Options;
        if (step.Has(StopConnectRetryTimer))
        {
            peer.Timer(PeerTimerKind.ConnectRetry).Stop();
        }
        if (step.Has(StartConnectRetryTimer))
        {
            peer.Timer(PeerTimerKind.ConnectRetry).Start(options.ConnectRetryTime);
        }
        if (step.Has(StopDelayOpenTimer))
        {
            peer.Timer(PeerTimerKind.DelayOpen).Stop();
        }
        if (step.Has(StartDelayOpenTimer) && options.DelayOpenTime is { } delay)
        {
            peer.Timer(PeerTimerKind.DelayOpen).Start(delay);
        }
        if (step.Has(StopSessionTimers))
        {
            peer.Timer(PeerTimerKind.Hold).Stop();
            peer.Timer(PeerTimerKind.Keepalive).Stop();
            peer.Timer(PeerTimerKind.SendHold).Stop();
        }
        if (step.Has(StartLargeHoldTimer))
        {
            peer.Timer(PeerTimerKind.Hold).Start(OpenNegotiation.LargeHoldTime);
        }
        if (step.Has(StartNegotiatedTimers))
        {
            // RFC 4271 4.4: a zero hold time means neither KEEPALIVEs nor a hold timer.
            if (peer.Session is { HoldTime: > 0 } s)
            {
                peer.Timer(PeerTimerKind.Hold).Start(TimeSpan.FromSeconds(s.HoldTime));
                peer.Timer(PeerTimerKind.Keepalive).Start(s.KeepaliveTime);
            }
            else
            {
                peer.Timer(PeerTimerKind.Hold).Stop();
                peer.Timer(PeerTimerKind.Keepalive).Stop();
            }
            peer.Timer(PeerTimerKind.SendHold).Start(peer.SendHoldTime);
        }
        if (step.Has(RestartHoldTimer))
        {
            peer.Timer(PeerTimerKind.Hold).Extend();
        }
        if (step.Has(RestartKeepaliveTimer) && peer.Session is { HoldTime: > 0 } running)
        {
            peer.Timer(PeerTimerKind.Keepalive).Start(running.KeepaliveTime);
        }
    }

    /// <summary>Back in Idle: restart after the (damped) IdleHold time unless the operator or max-prefix
    /// keeps the peer down; dynamic peers are forgotten instead.</summary>
    private void ScheduleRestart(BgpPeer peer, bool wasEstablished)
    {
        var wait = peer.Damping.OnDown(_time.GetUtcNow());
        if (wasEstablished)
        {
            peer.Counters.Flaps++;
        }
        if (peer.IsDynamic)
        {
            if (peer.StaleFamilies.Count == 0)
            {
                Forget(peer);
            }
            return;
        }
        if (!peer.AdminDown)
        {
            peer.Timer(PeerTimerKind.IdleHold).Start(wait);
        }
    }

    private void OnTimer(BgpPeer peer, PeerTimerKind kind)
    {
        if (!_peers.ContainsKey(peer.Address) || !peer.Timer(kind).TryExpire())
        {
            return;
        }
        switch (kind)
        {
            case PeerTimerKind.ConnectRetry:
                Dispatch(peer, BgpEvent.ConnectRetryTimerExpires);
                break;
            case PeerTimerKind.Hold:
                Dispatch(peer, BgpEvent.HoldTimerExpires);
                break;
            case PeerTimerKind.Keepalive:
                Dispatch(peer, BgpEvent.KeepaliveTimerExpires);
                break;
            case PeerTimerKind.DelayOpen:
                Dispatch(peer, BgpEvent.DelayOpenTimerExpires);
                break;
            case PeerTimerKind.IdleHold:
                if (peer.State == BgpState.Idle && !peer.AdminDown)
                {
                    Dispatch(peer, BgpEvent.IdleHoldTimerExpires);
                }
                break;
            case PeerTimerKind.SendHold:
                CheckSendHold(peer);
                break;
            case PeerTimerKind.GracefulRestart:
            case PeerTimerKind.StalePath:
                ExpireStale(peer, kind);
                break;
        }
    }

    /// <summary>RFC 9687: the peer has kept a write blocked for the Send Hold Time: drop it. Otherwise look
    /// again when the current blockage would reach it.</summary>
    private void CheckSendHold(BgpPeer peer)
    {
        if (peer.Connection is not { } connection || peer.State is not (BgpState.OpenSent or BgpState.OpenConfirm or BgpState.Established))
        {
            return;
        }
        var limit = peer.SendHoldTime;
        var blocked = connection.BlockedFor();
        if (blocked >= limit)
        {
            _log.LogWarning("peer {Peer} has not read for {Blocked}: send hold timer expired", peer.Address, blocked);
            Dispatch(peer, BgpEvent.SendHoldTimerExpires);
            return;
        }
        var next = limit - blocked;
        peer.Timer(PeerTimerKind.SendHold).Start(blocked > TimeSpan.Zero ? next : limit / 4);
    }
}
