using System.Net;
using Evpn.Session.Fsm;
using Evpn.Session.Negotiation;
using Evpn.Session.Options;
using Evpn.Session.Timers;
using Evpn.Session.Transport;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Speaker;

/// <summary>One neighbor as the speaker loop sees it. Public members are read-only views for the daemon
/// (show commands, metrics); everything is mutated only by <see cref="BgpSpeaker"/> on its loop.</summary>
public sealed class BgpPeer
{
    private readonly Dictionary<PeerTimerKind, SessionTimer> _timers = [];

    internal BgpPeer(PeerOptions options, bool dynamic, TimeProvider time, Action<BgpPeer, PeerTimerKind> onTimer)
    {
        Options = options;
        IsDynamic = dynamic;
        Damping = new IdleHoldDamping(options.IdleHold);
        foreach (var kind in Enum.GetValues<PeerTimerKind>())
        {
            _timers[kind] = new SessionTimer(time, () => onTimer(this, kind));
        }
    }

    public PeerOptions Options { get; }
    public PeerAddress Address => Options.Address;

    /// <summary>Accepted from a dynamic-neighbor range; removed when its session ends.</summary>
    public bool IsDynamic { get; }

    public BgpState State { get; internal set; }

    /// <summary>The negotiated session while OpenConfirm or Established.</summary>
    public NegotiatedSession? Session { get; internal set; }

    /// <summary>Shut down by the operator (or by max-prefix without restart): no automatic restart.</summary>
    public bool AdminDown { get; internal set; }

    public int ConnectRetryCounter { get; internal set; }
    public DateTimeOffset? EstablishedSince { get; internal set; }
    public NotificationMessage? LastNotificationSent { get; internal set; }
    public NotificationMessage? LastNotificationReceived { get; internal set; }
    public string? LastDownReason { get; internal set; }
    public PeerCounters Counters { get; } = new();

    /// <summary>Both ends of the session's TCP connection, while there is one.</summary>
    public IPEndPoint? LocalEndPoint => Connection?.Local;
    public IPEndPoint? RemoteEndPoint => Connection?.Remote;

    public override string ToString() => $"{Address} AS{Options.RemoteAs} {State}";

    internal FsmOptions FsmOptions => new(Options.Passive, Options.DelayOpenTime is not null);
    internal IdleHoldDamping Damping { get; }
    internal PeerConnection? Connection { get; set; }

    /// <summary>RFC 4271 6.8: the second connection while the first is in OpenSent/OpenConfirm.</summary>
    internal PeerConnection? Candidate { get; set; }

    /// <summary>A dynamic neighbor from a range that accepts any AS.</summary>
    internal bool AcceptAnyAs { get; set; }

    internal long ConnectAttempt { get; set; }
    internal CancellationTokenSource? ConnectCancellation { get; set; }
    internal SessionTimer Timer(PeerTimerKind kind) => _timers[kind];

    /// <summary>RFC 4724 helper: families of the peer's routes kept stale across its restart.</summary>
    internal HashSet<AfiSafi> StaleFamilies { get; } = [];

    internal HashSet<AfiSafi> EndOfRibSeen { get; } = [];
    internal HashSet<AfiSafi> PrefixWarned { get; } = [];

    /// <summary>The receiver's last count of this peer's routes per family (<see cref="BgpSpeaker.ReportAcceptedPrefixes"/>).</summary>
    internal Dictionary<AfiSafi, int> AcceptedPrefixes { get; } = [];

    /// <summary>RFC 7313: families whose BoRR went out and whose EoRR has not yet.</summary>
    internal HashSet<AfiSafi> RefreshesUnderWay { get; } = [];

    internal TimeSpan SendHoldTime => Options.SendHoldTime
        ?? TimeSpan.FromSeconds(Math.Max(480, 2 * (Session?.HoldTime ?? Options.HoldTime)));

    internal void StopAllTimers()
    {
        foreach (var timer in _timers.Values)
        {
            timer.Stop();
        }
    }

    internal void DisposeTimers()
    {
        foreach (var timer in _timers.Values)
        {
            timer.Dispose();
        }
    }
}

/// <summary>Per-peer message and error counters (read by show commands and metrics).</summary>
public sealed class PeerCounters
{
    public long MessagesReceived { get; internal set; }
    public long UpdatesReceived { get; internal set; }
    public long UpdatesSent { get; internal set; }
    public long AttributesDiscarded { get; internal set; }
    public long TreatedAsWithdraw { get; internal set; }
    public long UnknownRoutesSkipped { get; internal set; }
    public long Flaps { get; internal set; }
}
