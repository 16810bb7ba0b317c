namespace Evpn.Session.Fsm;

/// <summary>FSM events with their RFC 4271 section 8.1 names and numbers. Optional events this
/// implementation never generates (the "Automatic*" variants that RFC 4271 ties to
/// AllowAutomaticStart, TCP connection tracking events for a passive-only socket) are still listed
/// with their numbers so that logs and tests speak the RFC's language.</summary>
public enum BgpEvent
{
    ManualStart = 1,
    ManualStop = 2,
    AutomaticStart = 3,
    ManualStartWithPassiveTcpEstablishment = 4,
    AutomaticStartWithPassiveTcpEstablishment = 5,
    AutomaticStop = 8,
    ConnectRetryTimerExpires = 9,
    HoldTimerExpires = 10,
    KeepaliveTimerExpires = 11,
    DelayOpenTimerExpires = 12,
    IdleHoldTimerExpires = 13,
    TcpConnectionValid = 14,
    TcpCrInvalid = 15,
    TcpCrAcked = 16,
    TcpConnectionConfirmed = 17,
    TcpConnectionFails = 18,
    BgpOpen = 19,
    BgpOpenWithDelayOpenTimerRunning = 20,
    BgpHeaderErr = 21,
    BgpOpenMsgErr = 22,
    OpenCollisionDump = 23,
    NotifMsgVerErr = 24,
    NotifMsg = 25,
    KeepAliveMsg = 26,
    UpdateMsg = 27,
    UpdateMsgErr = 28,

    /// <summary>RFC 9687: the peer has not read from its socket for the Send Hold Time.</summary>
    SendHoldTimerExpires = 29,
}
