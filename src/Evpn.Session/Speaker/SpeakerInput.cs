using System.Net.Sockets;
using Evpn.Session.Transport;
using Evpn.Wire;

namespace Evpn.Session.Speaker;

/// <summary>Everything that reaches the speaker loop through its one channel: messages from read loops,
/// timer expiries, accepted and completed connections, write-loop signals, commands from other threads.</summary>
internal abstract record SpeakerInput;

internal sealed record ConnectionAccepted(Socket Socket) : SpeakerInput;

internal sealed record ConnectCompleted(BgpPeer Peer, long Attempt, Socket? Socket, Exception? Error) : SpeakerInput;

/// <summary>One decoded message, or the error that replaced it (header errors and session-fatal decode
/// errors have no message).</summary>
internal sealed record MessageReceived(PeerConnection Connection, MessageType Type, BgpMessage? Message, BgpError? Error, int SkippedRoutes)
    : SpeakerInput;

internal sealed record ConnectionClosed(PeerConnection Connection, Exception? Error) : SpeakerInput;

internal sealed record PeerTimerFired(BgpPeer Peer, PeerTimerKind Kind) : SpeakerInput;

internal sealed record DeferralTimerFired : SpeakerInput;

internal sealed record WriterDrained(PeerConnection Connection) : SpeakerInput;

internal sealed record Invocation(Action Action) : SpeakerInput;

internal enum PeerTimerKind
{
    ConnectRetry,
    Hold,
    Keepalive,
    DelayOpen,
    IdleHold,
    SendHold,

    /// <summary>RFC 4724 4.2: the peer's advertised restart time after its session dropped.</summary>
    GracefulRestart,

    /// <summary>How long stale routes wait for End-of-RIB after the peer came back.</summary>
    StalePath,
}
