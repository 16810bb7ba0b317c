using Evpn.Wire;

namespace Evpn.Session.Fsm;

using static FsmActions;

/// <summary>The RFC 4271 section 8.2.2 state machine as a pure function of (state, event, options).
/// It owns no timers and no sockets: <see cref="Next"/> says what to do and the peer does it.
/// Deliberate deviations from the RFC text are commented where they occur.</summary>
public static class BgpFsm
{
    /// <summary>The "drop everything and go Idle" step that most unexpected events cause.</summary>
    private const FsmActions Teardown = DropConnection | ReleaseResources | StopConnectRetryTimer | StopDelayOpenTimer
        | StopSessionTimers | IncrementConnectRetryCounter;

    public static FsmStep Next(BgpState state, FsmInput input, FsmOptions options) => state switch
    {
        BgpState.Idle => FromIdle(input, options),
        BgpState.Connect => FromConnect(input, options),
        BgpState.Active => FromActive(input, options),
        BgpState.OpenSent => FromOpenSent(input),
        BgpState.OpenConfirm => FromOpenConfirm(input),
        BgpState.Established => FromEstablished(input),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a BGP state"),
    };

    /// <summary>RFC 4271 8.2.2, Idle. IdleHoldTimer_Expires is the automatic restart after a
    /// (damped) session loss (section 8.1.1, DampPeerOscillations).</summary>
    private static FsmStep FromIdle(FsmInput input, FsmOptions options) => input.Event switch
    {
        BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.IdleHoldTimerExpires when !options.PassiveTcpEstablishment =>
            new(BgpState.Connect, ResetConnectRetryCounter | StartConnectRetryTimer | InitiateConnection),
        BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.IdleHoldTimerExpires
            or BgpEvent.ManualStartWithPassiveTcpEstablishment or BgpEvent.AutomaticStartWithPassiveTcpEstablishment =>
            new(BgpState.Active, ResetConnectRetryCounter | StartConnectRetryTimer),
        // "Any other event ... the local system refuses all incoming BGP connections": a connection
        // arriving while Idle is dropped by the peer, the FSM does not move.
        BgpEvent.TcpConnectionConfirmed or BgpEvent.TcpCrAcked => new(BgpState.Idle, DropConnection),
        _ => new(BgpState.Idle, None),
    };

    private static FsmStep FromConnect(FsmInput input, FsmOptions options) => input.Event switch
    {
        BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
            or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.IdleHoldTimerExpires
            or BgpEvent.TcpConnectionValid or BgpEvent.TcpCrInvalid => new(BgpState.Connect, None),
        BgpEvent.ManualStop => new(BgpState.Idle, DropConnection | ReleaseResources | ResetConnectRetryCounter
            | StopConnectRetryTimer | StopDelayOpenTimer),
        BgpEvent.ConnectRetryTimerExpires => new(BgpState.Connect, DropConnection | StartConnectRetryTimer
            | StopDelayOpenTimer | InitiateConnection),
        BgpEvent.DelayOpenTimerExpires => new(BgpState.OpenSent, SendOpen | StartLargeHoldTimer),
        BgpEvent.TcpCrAcked or BgpEvent.TcpConnectionConfirmed => options.DelayOpen
            ? new(BgpState.Connect, StopConnectRetryTimer | StartDelayOpenTimer)
            : new(BgpState.OpenSent, StopConnectRetryTimer | SendOpen | StartLargeHoldTimer),
        // Deviation: RFC 4271 goes Idle when the connect attempt fails without DelayOpen. Going to
        // Active with the ConnectRetryTimer running (as the DelayOpen branch does) retries after
        // ConnectRetryTime while still accepting the peer's own connection, without the IdleHold
        // penalty for a peer that is simply not listening yet.
        BgpEvent.TcpConnectionFails => new(BgpState.Active, DropConnection | StartConnectRetryTimer | StopDelayOpenTimer),
        BgpEvent.BgpOpenWithDelayOpenTimerRunning => new(BgpState.OpenConfirm, StopConnectRetryTimer | StopDelayOpenTimer
            | AcceptOpen | SendOpen | SendKeepalive | StartNegotiatedTimers),
        BgpEvent.BgpHeaderErr or BgpEvent.BgpOpenMsgErr => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.NotifMsgVerErr => new(BgpState.Idle, DropConnection | ReleaseResources | StopConnectRetryTimer | StopDelayOpenTimer),
        _ => new(BgpState.Idle, Teardown),
    };

    private static FsmStep FromActive(FsmInput input, FsmOptions options) => input.Event switch
    {
        BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
            or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.IdleHoldTimerExpires
            or BgpEvent.TcpConnectionValid or BgpEvent.TcpCrInvalid => new(BgpState.Active, None),
        BgpEvent.ManualStop => new(BgpState.Idle, DropConnection | ReleaseResources | ResetConnectRetryCounter
            | StopConnectRetryTimer | StopDelayOpenTimer),
        // A passive peer never initiates: its retry timer only keeps it waiting in Active.
        BgpEvent.ConnectRetryTimerExpires => options.PassiveTcpEstablishment
            ? new(BgpState.Active, StartConnectRetryTimer)
            : new(BgpState.Connect, StartConnectRetryTimer | InitiateConnection),
        BgpEvent.DelayOpenTimerExpires => new(BgpState.OpenSent, StopConnectRetryTimer | SendOpen | StartLargeHoldTimer),
        BgpEvent.TcpCrAcked or BgpEvent.TcpConnectionConfirmed => options.DelayOpen
            ? new(BgpState.Active, StopConnectRetryTimer | StartDelayOpenTimer)
            : new(BgpState.OpenSent, StopConnectRetryTimer | SendOpen | StartLargeHoldTimer),
        BgpEvent.TcpConnectionFails => new(BgpState.Idle, DropConnection | ReleaseResources | StartConnectRetryTimer
            | StopDelayOpenTimer | IncrementConnectRetryCounter),
        BgpEvent.BgpOpenWithDelayOpenTimerRunning => new(BgpState.OpenConfirm, StopConnectRetryTimer | StopDelayOpenTimer
            | AcceptOpen | SendOpen | SendKeepalive | StartNegotiatedTimers),
        BgpEvent.BgpHeaderErr or BgpEvent.BgpOpenMsgErr => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.NotifMsgVerErr => new(BgpState.Idle, DropConnection | ReleaseResources | StopConnectRetryTimer | StopDelayOpenTimer),
        _ => new(BgpState.Idle, Teardown),
    };

    private static FsmStep FromOpenSent(FsmInput input) => input.Event switch
    {
        BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
            or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.IdleHoldTimerExpires
            or BgpEvent.TcpConnectionValid or BgpEvent.TcpCrAcked or BgpEvent.TcpConnectionConfirmed
            or BgpEvent.TcpCrInvalid => new(BgpState.OpenSent, None),
        BgpEvent.ManualStop => new(BgpState.Idle, SendNotification | DropConnection | ReleaseResources
            | StopConnectRetryTimer | StopSessionTimers | ResetConnectRetryCounter, input.Error),
        BgpEvent.AutomaticStop => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.HoldTimerExpires => new(BgpState.Idle, SendNotification | Teardown, Notifications.HoldTimerExpired),
        BgpEvent.SendHoldTimerExpires => new(BgpState.Idle, SendNotification | Teardown, Notifications.SendHoldTimerExpired),
        // The connection closed before the peer's OPEN: keep listening and retry (RFC 4271 8.2.2).
        BgpEvent.TcpConnectionFails => new(BgpState.Active, DropConnection | StopSessionTimers | StartConnectRetryTimer),
        BgpEvent.BgpOpen => new(BgpState.OpenConfirm, StopConnectRetryTimer | StopDelayOpenTimer | AcceptOpen
            | SendKeepalive | StartNegotiatedTimers),
        BgpEvent.BgpHeaderErr or BgpEvent.BgpOpenMsgErr => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.OpenCollisionDump => new(BgpState.Idle, SendNotification | Teardown, Notifications.CollisionResolution),
        BgpEvent.NotifMsgVerErr => new(BgpState.Idle, DropConnection | ReleaseResources | StopConnectRetryTimer | StopSessionTimers),
        _ => Unexpected(input, FsmErrorSubcode.UnexpectedMessageInOpenSent),
    };

    private static FsmStep FromOpenConfirm(FsmInput input) => input.Event switch
    {
        BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
            or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.IdleHoldTimerExpires
            or BgpEvent.TcpConnectionValid or BgpEvent.TcpCrAcked or BgpEvent.TcpConnectionConfirmed
            or BgpEvent.TcpCrInvalid => new(BgpState.OpenConfirm, None),
        BgpEvent.ManualStop => new(BgpState.Idle, SendNotification | DropConnection | ReleaseResources
            | StopConnectRetryTimer | StopSessionTimers | ResetConnectRetryCounter, input.Error),
        BgpEvent.AutomaticStop => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.HoldTimerExpires => new(BgpState.Idle, SendNotification | Teardown, Notifications.HoldTimerExpired),
        BgpEvent.SendHoldTimerExpires => new(BgpState.Idle, SendNotification | Teardown, Notifications.SendHoldTimerExpired),
        BgpEvent.KeepaliveTimerExpires => new(BgpState.OpenConfirm, SendKeepalive | RestartKeepaliveTimer),
        BgpEvent.TcpConnectionFails or BgpEvent.NotifMsg or BgpEvent.NotifMsgVerErr => new(BgpState.Idle, Teardown),
        // Deviation: RFC 4271 answers a malformed OPEN (event 22) here with its OPEN error, but this
        // connection's OPEN was already accepted: a second one, well-formed or not, is the unexpected
        // message RFC 6608 section 4 names for OpenConfirm (the peer's other connection is collision
        // detection's, not this FSM's).
        BgpEvent.BgpHeaderErr => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.OpenCollisionDump => new(BgpState.Idle, SendNotification | Teardown, Notifications.CollisionResolution),
        BgpEvent.KeepAliveMsg => new(BgpState.Established, RestartHoldTimer | SessionEstablished),
        _ => Unexpected(input, FsmErrorSubcode.UnexpectedMessageInOpenConfirm),
    };

    private static FsmStep FromEstablished(FsmInput input) => input.Event switch
    {
        BgpEvent.ManualStart or BgpEvent.AutomaticStart or BgpEvent.ManualStartWithPassiveTcpEstablishment
            or BgpEvent.AutomaticStartWithPassiveTcpEstablishment or BgpEvent.IdleHoldTimerExpires
            or BgpEvent.TcpConnectionValid or BgpEvent.TcpCrAcked or BgpEvent.TcpConnectionConfirmed
            or BgpEvent.TcpCrInvalid => new(BgpState.Established, None),
        BgpEvent.ManualStop => new(BgpState.Idle, SendNotification | DropConnection | ReleaseResources
            | StopConnectRetryTimer | StopSessionTimers | ResetConnectRetryCounter, input.Error),
        BgpEvent.AutomaticStop => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.HoldTimerExpires => new(BgpState.Idle, SendNotification | Teardown, Notifications.HoldTimerExpired),
        BgpEvent.SendHoldTimerExpires => new(BgpState.Idle, SendNotification | Teardown, Notifications.SendHoldTimerExpired),
        BgpEvent.KeepaliveTimerExpires => new(BgpState.Established, SendKeepalive | RestartKeepaliveTimer),
        BgpEvent.TcpConnectionFails or BgpEvent.NotifMsg or BgpEvent.NotifMsgVerErr => new(BgpState.Idle, Teardown),
        BgpEvent.KeepAliveMsg => new(BgpState.Established, RestartHoldTimer),
        BgpEvent.UpdateMsg => new(BgpState.Established, RestartHoldTimer | ProcessUpdate),
        // Deviation: RFC 4271 8.2.2 lists a header error (event 21) among the events that get an FSM error
        // here, but section 6.1 prescribes Message Header Error with the offending field, which names the fault.
        BgpEvent.BgpHeaderErr or BgpEvent.UpdateMsgErr => new(BgpState.Idle, SendNotification | Teardown, input.Error),
        BgpEvent.OpenCollisionDump => new(BgpState.Idle, SendNotification | Teardown, Notifications.CollisionResolution),
        _ => Unexpected(input, FsmErrorSubcode.UnexpectedMessageInEstablished),
    };

    /// <summary>RFC 4271 8.2.2 "any other event" after the OPEN was sent: FSM error, with the RFC 6608
    /// section 4 subcode of the state when the event is a message, Unspecified when it is not (a timer).</summary>
    private static FsmStep Unexpected(FsmInput input, byte subcodeForMessage) =>
        new(BgpState.Idle, SendNotification | Teardown,
            Notifications.FsmError(IsMessage(input.Event) ? subcodeForMessage : FsmErrorSubcode.Unspecified));

    private static bool IsMessage(BgpEvent e) => e is BgpEvent.BgpOpen or BgpEvent.BgpOpenWithDelayOpenTimerRunning
        or BgpEvent.BgpHeaderErr or BgpEvent.BgpOpenMsgErr or BgpEvent.NotifMsgVerErr or BgpEvent.NotifMsg
        or BgpEvent.KeepAliveMsg or BgpEvent.UpdateMsg or BgpEvent.UpdateMsgErr;
}
