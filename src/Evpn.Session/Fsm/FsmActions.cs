namespace Evpn.Session.Fsm;

/// <summary>What a transition asks the peer to do. The executor performs them in the order the
/// flags are declared: a NOTIFICATION is queued before the connection is dropped, timers are set
/// after messages are queued.</summary>
[Flags]
public enum FsmActions : uint
{
    None = 0,
    SendNotification = 1 << 0,
    SendOpen = 1 << 1,
    SendKeepalive = 1 << 2,
    DropConnection = 1 << 3,
    InitiateConnection = 1 << 4,

    /// <summary>Release BGP resources: the session that was up is down (routes go, or stay stale under GR).</summary>
    ReleaseResources = 1 << 5,
    StartConnectRetryTimer = 1 << 6,
    StopConnectRetryTimer = 1 << 7,
    StartDelayOpenTimer = 1 << 8,
    StopDelayOpenTimer = 1 << 9,

    /// <summary>RFC 4271 8.2.2: "sets the HoldTimer to a large value" (4 minutes suggested) while waiting for OPEN.</summary>
    StartLargeHoldTimer = 1 << 10,

    /// <summary>Hold and Keepalive timers with the negotiated hold time (none when it is zero).</summary>
    StartNegotiatedTimers = 1 << 11,
    RestartHoldTimer = 1 << 12,
    RestartKeepaliveTimer = 1 << 13,
    StopSessionTimers = 1 << 14,
    IncrementConnectRetryCounter = 1 << 15,
    ResetConnectRetryCounter = 1 << 16,

    /// <summary>Decode results of the OPEN become the negotiated session (before KEEPALIVE is sent).</summary>
    AcceptOpen = 1 << 17,
    SessionEstablished = 1 << 18,

    /// <summary>Established and an UPDATE arrived: the speaker applies it (RFC 7606 actions, then the receiver).</summary>
    ProcessUpdate = 1 << 19,
}
