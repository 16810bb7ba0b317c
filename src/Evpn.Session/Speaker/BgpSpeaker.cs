using System.Net;
using System.Threading.Channels;
using Evpn.Session.Fsm;
using Evpn.Session.Options;
using Evpn.Session.Timers;
using Evpn.Session.Transport;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evpn.Session.Speaker;

/// <summary>Owns every peer, the listener and the input channels, and runs the one loop that drives all
/// FSMs. Read loops, timers and the listener only post inputs; <see cref="RunAsync"/> handles them one at
/// a time and reports to the <see cref="ISessionEventSink"/> synchronously. Methods other than
/// <see cref="RunAsync"/>, <see cref="InvokeAsync"/> and <see cref="DisposeAsync"/> must be called on
/// the loop (from the sink, or through <see cref="InvokeAsync"/>), or before <see cref="RunAsync"/> starts.</summary>
public sealed partial class BgpSpeaker : IAsyncDisposable
{
    /// <summary>How long a closing connection may take to write its last NOTIFICATION.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly ISessionEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<PeerAddress, BgpPeer> _peers = [];

    /// <summary>Timers, accepts, connect results, commands: few, never refused.</summary>
    private readonly Channel<SpeakerInput> _control = Channel.CreateUnbounded<SpeakerInput>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Messages and connection losses from read loops, in order per connection; bounded.</summary>
    private readonly Channel<SpeakerInput> _messages;

    /// <summary>Management queries (<see cref="QueryAsync{T}"/>): they take turns with queued messages, so that a
    /// stream of queries delays neither the timers nor the peers' KEEPALIVEs by more than one query.</summary>
    private readonly Channel<SpeakerInput> _queries = Channel.CreateUnbounded<SpeakerInput>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Whether the last queued input taken was a message (a waiting query goes next) or a query.</summary>
    private bool _queryTurn;
    private readonly SessionTimer _deferralTimer;
    private BgpListener? _listener;

    /// <summary>While set and not complete, queued messages wait (see <see cref="HoldMessagesUntil"/>).</summary>
    private Task? _messagesHeld;

    /// <summary>Whether a queued message was taken since the last hold was set.</summary>
    private bool _messageTakenSinceHold = true;

    public BgpSpeaker(SpeakerOptions options, ISessionEventSink sink, TimeProvider? time = null, ILogger? logger = null)
    {
        Options = options;
        _sink = sink;
        _time = time ?? TimeProvider.System;
        _log = logger ?? NullLogger.Instance;
        _messages = Channel.CreateBounded<SpeakerInput>(new BoundedChannelOptions(options.InputQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _deferralTimer = new SessionTimer(_time, () => _control.Writer.TryWrite(new DeferralTimerFired()));
        SelectionDeferred = options.Restarting;
        if (options.ListenEndPoint is { } endPoint)
        {
            _listener = new BgpListener(endPoint, socket => _control.Writer.TryWrite(new ConnectionAccepted(socket)));
            foreach (var range in options.DynamicNeighbors)
            {
                if (!string.IsNullOrEmpty(range.Template.Password))
                {
                    _listener.SetPassword(range.Prefix, range.PrefixLength, range.Template.Password);
                }
            }
        }
    }

    public SpeakerOptions Options { get; }

    public IReadOnlyCollection<BgpPeer> Peers => _peers.Values;

    /// <summary>The bound listening address (the kernel's port when 0 was configured); null without a listener.</summary>
    public IPEndPoint? ListenEndPoint => _listener?.LocalEndPoint;

    /// <summary>RFC 4724 4.1: best-path selection waits (restarting speaker) until <see cref="SelectionDeferralEnded"/>.</summary>
    public bool SelectionDeferred { get; private set; }

    public BgpPeer? FindPeer(PeerAddress address) => _peers.GetValueOrDefault(address);

    /// <summary>Runs <paramref name="action"/> on the speaker loop; for callers on other threads.</summary>
    public Task InvokeAsync(Action<BgpSpeaker> action) => InvokeAsync(s =>
    {
        action(s);
        return true;
    });

    public Task<T> InvokeAsync<T>(Func<BgpSpeaker, T> func) => Post(_control, func);

    /// <summary>Runs a read-only query on the speaker loop. Unlike <see cref="InvokeAsync{T}"/> it does not go
    /// before the peers' messages: queries and queued messages take turns, and timers go before both. Keep each
    /// query short (a slice of a large answer), since the loop runs it to the end before anything else.</summary>
    public Task<T> QueryAsync<T>(Func<BgpSpeaker, T> query) => Post(_queries, query);

    private Task<T> Post<T>(Channel<SpeakerInput> lane, Func<BgpSpeaker, T> func)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!lane.Writer.TryWrite(new Invocation(() =>
            {
                try
                {
                    done.SetResult(func(this));
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            })))
        {
            done.SetException(new ObjectDisposedException(nameof(BgpSpeaker), "the speaker loop has stopped"));
        }
        return done.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the speaker loop later, with nobody waiting for its outcome: an
    /// exception from it is a failure of the loop itself (it ends <see cref="RunAsync"/>), never lost.</summary>
    public void Post(Action<BgpSpeaker> action) => _control.Writer.TryWrite(new Invocation(() => action(this)));

    /// <summary>Called on the loop by the sink when the work it hands on piles up faster than it is done:
    /// received messages stay in their bounded queue until <paramref name="resume"/> completes, so the read
    /// loops stop at the bound and TCP holds the peers back; timers, commands and accepts go on. Holding
    /// delays the peers' KEEPALIVEs as well (they wait behind the UPDATEs), so <paramref name="resume"/> must
    /// complete well within a hold time. A hold asked for before any message was taken since the last one is
    /// not made: one message goes through between two holds, and an UPDATE restarts the hold timer as a
    /// KEEPALIVE does (RFC 4271 8.2.2), so holds alone cannot run a session's hold timer out.</summary>
    public void HoldMessagesUntil(Task resume)
    {
        if (!_messageTakenSinceHold)
        {
            return;
        }
        _messagesHeld = resume;
        _messageTakenSinceHold = false;
    }

    /// <summary>Another peer message is queued and not held back, so the loop handles it next: work that gains from
    /// batching (handing changes out to many peers) can wait for the end of the burst.</summary>
    public bool MessageWaiting => _messagesHeld is not { IsCompleted: false } && _messages.Reader.Count > 0;

    /// <summary>The speaker loop. Control inputs (timers, commands) go before queued messages, so
    /// keepalives keep flowing while a peer floods UPDATEs; management queries and queued messages take turns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _listener?.Start();
        if (SelectionDeferred)
        {
            _deferralTimer.Start(Options.SelectionDeferralTime);
        }
        var control = _control.Reader;
        var messages = _messages.Reader;
        var queries = _queries.Reader;
        // At most one pending wait per channel, kept across iterations: a wait abandoned on every wake-up
        // would stay registered with its channel until that channel next gets data (possibly never).
        Task<bool>? controlReady = null;
        Task<bool>? messagesReady = null;
        Task<bool>? queriesReady = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_messagesHeld is { IsCompleted: true })
            {
                _messagesHeld = null;
            }
            var held = _messagesHeld;
            if (control.TryRead(out var input))
            {
                Handle(input);
                continue;
            }
            if (_queryTurn && queries.TryRead(out input))
            {
                _queryTurn = false;
                Handle(input);
                continue;
            }
            if (held is null && messages.TryRead(out input))
            {
                _messageTakenSinceHold = true;
                _queryTurn = true;
                Handle(input);
                continue;
            }
            if (queries.TryRead(out input))
            {
                Handle(input);
                continue;
            }
            controlReady ??= control.WaitToReadAsync(cancellationToken).AsTask();
            messagesReady ??= messages.WaitToReadAsync(cancellationToken).AsTask();
            queriesReady ??= queries.WaitToReadAsync(cancellationToken).AsTask();
            await Task.WhenAny(controlReady, held ?? messagesReady, queriesReady).ConfigureAwait(false);
            if (controlReady is { IsCompletedSuccessfully: true, Result: false } || messagesReady is { IsCompletedSuccessfully: true, Result: false })
            {
                // Disposed: the channels are complete and nothing more will arrive.
                return;
            }
            if (controlReady.IsCompleted)
            {
                controlReady = null;
            }
            if (messagesReady.IsCompleted)
            {
                messagesReady = null;
            }
            if (queriesReady.IsCompleted)
            {
                queriesReady = null;
            }
        }
    }

    /// <summary>Handles one input. An exception while handling a peer's input (its message, timer, connection) is a
    /// defect that concerns that peer: the peer is reset with a Cease and the loop goes on with the others. One
    /// outside any peer, or while resetting the peer, leaves the loop's state unknown: it ends
    /// <see cref="RunAsync"/> with that exception, and the daemon stops.</summary>
    private void Handle(SpeakerInput input)
    {
        var subject = Subject(input);
        try
        {
            Process(input);
        }
        catch (Exception e) when (e is not OutOfMemoryException && subject is { } address && _peers.GetValueOrDefault(address) is { } peer)
        {
            ResetAfterFault(peer, input, e);
        }
    }

    /// <summary>The address of the peer an input concerns; null for the speaker's own inputs.</summary>
    private static PeerAddress? Subject(SpeakerInput input) => input switch
    {
        MessageReceived m => m.Connection.Peer,
        ConnectionClosed c => c.Connection.Peer,
        WriterDrained d => d.Connection.Peer,
        PeerTimerFired t => t.Peer.Address,
        ConnectCompleted c => c.Peer.Address,
        ConnectionAccepted a => a.Socket.RemoteEndPoint is IPEndPoint remote ? PeerAddress.FromSocket(remote.Address) : null,
        _ => null,
    };

    private void ResetAfterFault(BgpPeer peer, SpeakerInput input, Exception fault)
    {
        _log.LogError(fault, "peer {Peer}: internal error while handling {Input}; resetting the session", peer.Address, input.GetType().Name);
        // A Hard Reset where the N bit was negotiated: neither side keeps routes exchanged before the fault as stale.
        Dispatch(peer, BgpEvent.AutomaticStop, Hard(peer, Notifications.Shutdown("evpnd internal error", reset: true)));
        peer.LastDownReason = $"internal error: {fault.GetType().Name}: {fault.Message}";
    }

    private void Process(SpeakerInput input)
    {
        switch (input)
        {
            case MessageReceived m:
                OnMessage(m);
                break;
            case ConnectionClosed c:
                OnConnectionClosed(c.Connection, c.Error);
                break;
            case PeerTimerFired t:
                OnTimer(t.Peer, t.Kind);
                break;
            case ConnectionAccepted a:
                OnAccepted(a.Socket);
                break;
            case ConnectCompleted c:
                OnConnectCompleted(c);
                break;
            case WriterDrained d:
                if (FindOwner(d.Connection) is { } owner && owner.Connection == d.Connection)
                {
                    Emit(new PeerWritable(owner));
                }
                break;
            case DeferralTimerFired:
                if (_deferralTimer.TryExpire())
                {
                    EndSelectionDeferral(timedOut: true);
                }
                break;
            case Invocation i:
                i.Action();
                break;
        }
    }

    private void Emit(SessionEvent e) => _sink.OnSessionEvent(this, e);

    /// <summary>Adds a configured neighbor and, when enabled, starts it (ManualStart).</summary>
    public BgpPeer AddPeer(PeerOptions options) => AddPeer(options, dynamic: false);

    private BgpPeer AddPeer(PeerOptions options, bool dynamic)
    {
        var address = options.Address;
        if (_peers.ContainsKey(address))
        {
            throw new InvalidOperationException($"peer {address} is already configured");
        }
        var peer = new BgpPeer(options, dynamic, _time,
            (p, kind) => _control.Writer.TryWrite(new PeerTimerFired(p, kind)));
        _peers.Add(address, peer);
        if (!string.IsNullOrEmpty(options.Password) && !dynamic)
        {
            _listener?.SetPassword(address, options.Password);
        }
        if (options.Enabled)
        {
            Dispatch(peer, options.Passive ? BgpEvent.ManualStartWithPassiveTcpEstablishment : BgpEvent.ManualStart);
        }
        else
        {
            peer.AdminDown = true;
        }
        return peer;
    }

    /// <summary>Removes a neighbor: Cease / Peer De-configured (RFC 4486), its routes go.</summary>
    public void RemovePeer(BgpPeer peer)
    {
        peer.AdminDown = true;
        Dispatch(peer, BgpEvent.ManualStop, Hard(peer, Notifications.Cease(CeaseSubcode.PeerDeconfigured)));
        Forget(peer);
    }

    /// <summary>Operator start after a shutdown (or max-prefix without automatic restart).</summary>
    public void Enable(BgpPeer peer)
    {
        if (!peer.AdminDown)
        {
            return;
        }
        peer.AdminDown = false;
        peer.Damping.Reset();
        Dispatch(peer, peer.Options.Passive ? BgpEvent.ManualStartWithPassiveTcpEstablishment : BgpEvent.ManualStart);
    }

    /// <summary>RFC 8203 / RFC 9003 administrative shutdown with a message the peer's operator can read; the
    /// peer stays down until <see cref="Enable"/>. <paramref name="hardReset"/> wraps the Cease in an RFC 8538
    /// Hard Reset when the N bit was negotiated (RFC 8538 section 5 lists Administrative Shutdown as a hard
    /// one), so a graceful-restart peer drops our routes at once instead of keeping them stale; FRR 8.4 then
    /// no longer shows the communication in <c>show bgp neighbors</c>, which is why it is not the default.</summary>
    public void Shutdown(BgpPeer peer, string? communication = null, bool hardReset = false)
    {
        peer.AdminDown = true;
        peer.Timer(PeerTimerKind.IdleHold).Stop();
        var cease = Notifications.Shutdown(communication);
        Dispatch(peer, BgpEvent.ManualStop, hardReset ? Hard(peer, cease) : cease);
    }

    /// <summary>Resets the session and lets it come back. <paramref name="hard"/> sends RFC 8538 Hard Reset
    /// (routes on both sides are dropped); otherwise Cease / Administrative Reset, which a peer with the N bit
    /// treats as a graceful restart.</summary>
    public void Reset(BgpPeer peer, bool hard, string? communication = null)
    {
        var cease = Notifications.Shutdown(communication ?? "", reset: true);
        Dispatch(peer, BgpEvent.AutomaticStop, hard ? Notifications.HardReset(cease) : cease);
    }

    /// <summary>Queues an UPDATE (already packed by the codec's packer) for an Established peer. False when the
    /// peer is not Established, the family was not negotiated, or its write queue is full; after a full
    /// queue a <see cref="PeerWritable"/> follows.</summary>
    public bool TrySendUpdate(BgpPeer peer, UpdateMessage update) => TrySendUpdate(peer, new EncodedUpdate(update));

    /// <summary><see cref="TrySendUpdate(BgpPeer, UpdateMessage)"/> for an UPDATE that may be encoded already
    /// (bytes an update group shares among its members).</summary>
    public bool TrySendUpdate(BgpPeer peer, EncodedUpdate update)
    {
        if (peer.State != BgpState.Established || peer.Connection is not { } connection)
        {
            return false;
        }
        if (!connection.TrySendUpdate(update))
        {
            return false;
        }
        peer.Counters.UpdatesSent++;
        return true;
    }

    /// <summary>RFC 4724 section 2: End-of-RIB after the initial table of <paramref name="family"/>.</summary>
    public bool SendEndOfRib(BgpPeer peer, AfiSafi family)
    {
        if (peer.State != BgpState.Established || peer.Connection is not { } connection || peer.Session?.Supports(family) != true)
        {
            return false;
        }
        connection.ForceSendUpdate(EndOfRib.For(family));
        return true;
    }

    /// <summary>Asks the peer to re-send <paramref name="family"/> (RFC 2918).</summary>
    public bool RequestRouteRefresh(BgpPeer peer, AfiSafi family)
    {
        if (peer.State != BgpState.Established || peer.Connection is not { } connection
            || peer.Session is not { RouteRefresh: true } session || !session.Supports(family))
        {
            return false;
        }
        connection.Send(new RouteRefreshMessage(family));
        return true;
    }

    /// <summary>After re-sending the Adj-RIB-Out for a <see cref="RouteRefreshRequested"/>: EoRR (RFC 7313).</summary>
    public void CompleteRouteRefresh(BgpPeer peer, AfiSafi family)
    {
        if (peer.RefreshesUnderWay.Remove(family) && peer.State == BgpState.Established && peer.Connection is { } connection
            && peer.Session is { EnhancedRouteRefresh: true })
        {
            connection.Send(new RouteRefreshMessage(family, RouteRefreshSubtype.EndOfRefresh));
        }
    }

    /// <summary>RFC 8538 section 5: with the N bit negotiated, a Cease that means "really gone" is sent as
    /// Hard Reset so the peer does not keep our routes as stale.</summary>
    private static NotificationMessage Hard(BgpPeer peer, NotificationMessage cease) =>
        peer.Session is { GracefulNotification: true } ? Notifications.HardReset(cease) : cease;

    private void Forget(BgpPeer peer)
    {
        peer.StopAllTimers();
        peer.DisposeTimers();
        _peers.Remove(peer.Address);
        if (!string.IsNullOrEmpty(peer.Options.Password) && !peer.IsDynamic)
        {
            _listener?.SetPassword(peer.Address, null);
        }
    }

    /// <summary>Stops the listener and closes every connection without a NOTIFICATION: to graceful-restart
    /// peers this looks like a restart, so they keep our routes while evpnd comes back (RFC 4724).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
            _listener = null;
        }
        foreach (var peer in _peers.Values)
        {
            peer.ConnectCancellation?.Cancel();
            peer.Connection?.Close(TimeSpan.Zero);
            peer.Candidate?.Close(TimeSpan.Zero);
            peer.DisposeTimers();
        }
        _deferralTimer.Dispose();
        _control.Writer.TryComplete();
        _messages.Writer.TryComplete();
        _queries.Writer.TryComplete();
    }
}
