using System.Collections.Immutable;
using Evpn.Session.Fsm;
using Evpn.Session.Negotiation;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Session.Speaker;

/// <summary>Session up/down bookkeeping with graceful restart (RFC 4724 helper and restarting speaker,
/// RFC 8538 for NOTIFICATIONs). The session layer decides and reports; the RIB marks and sweeps.</summary>
public sealed partial class BgpSpeaker
{
    private void OnEstablished(BgpPeer peer, NegotiatedSession session)
    {
        peer.EstablishedSince = _time.GetUtcNow();
        peer.Damping.OnEstablished(_time.GetUtcNow());
        peer.LastDownReason = null;
        peer.EndOfRibSeen.Clear();
        peer.RefreshesUnderWay.Clear();
        _log.LogInformation("peer {Peer} established: AS{As}, hold {Hold}s, families {Families}",
            peer.Address, session.RemoteAs, session.HoldTime, string.Join(",", session.Families));
        Emit(new PeerEstablished(peer, session));
        if (peer.StaleFamilies.Count > 0)
        {
            peer.Timer(PeerTimerKind.GracefulRestart).Stop();
            // RFC 4724 4.2: families the peer no longer lists with the Forwarding State bit are not preserved.
            var preserved = session.PeerGracefulRestart?.Families.AsImmutableArray()
                .Where(f => f.ForwardingPreserved).Select(f => f.Family).ToHashSet() ?? [];
            var gone = peer.StaleFamilies.Where(f => !preserved.Contains(f)).ToImmutableArray();
            foreach (var family in gone)
            {
                peer.StaleFamilies.Remove(family);
            }
            if (!gone.IsEmpty)
            {
                Emit(new StaleRoutesExpired(peer, gone));
            }
            if (peer.StaleFamilies.Count > 0)
            {
                peer.Timer(PeerTimerKind.StalePath).Start(peer.Options.GracefulRestart?.StalePathTime ?? TimeSpan.Zero);
            }
        }
    }

    /// <summary>The session left Established. RFC 4724 4.2: as helper for a peer that advertised graceful
    /// restart, keep its routes stale for its restart time when the TCP session failed; RFC 8538 section 4
    /// extends that to NOTIFICATIONs (sent or received, hold timer expiry included) other than Hard Reset
    /// when both sides set the N bit.</summary>
    private void OnSessionLost(BgpPeer peer, NegotiatedSession session, BgpEvent cause, NotificationMessage? sent, NotificationMessage? received)
    {
        var reason = Describe(cause, cause is BgpEvent.NotifMsg or BgpEvent.NotifMsgVerErr ? received : sent);
        peer.LastDownReason = reason;
        peer.EstablishedSince = null;
        peer.PrefixWarned.Clear();
        peer.AcceptedPrefixes.Clear();
        var notification = cause is BgpEvent.NotifMsg or BgpEvent.NotifMsgVerErr ? received : sent;
        var hardReset = notification is { Code: NotificationCode.Cease, Subcode: CeaseSubcode.HardReset };
        var qualifies = cause switch
        {
            BgpEvent.TcpConnectionFails => true,
            BgpEvent.ManualStop => false,
            _ => session.GracefulNotification && !hardReset,
        };
        if (peer.Options.GracefulRestart is not null && session.PeerGracefulRestart is { RestartTime: > 0 } gr && qualifies)
        {
            var families = gr.Families.AsImmutableArray().Select(f => f.Family).Where(session.Supports).ToImmutableArray();
            foreach (var family in families)
            {
                peer.StaleFamilies.Add(family);
            }
            var restart = TimeSpan.FromSeconds(gr.RestartTime);
            peer.Timer(PeerTimerKind.StalePath).Stop();
            peer.Timer(PeerTimerKind.GracefulRestart).Start(restart);
            _log.LogInformation("peer {Peer} down ({Reason}): keeping {Families} routes stale for {Restart}",
                peer.Address, reason, string.Join(",", families), restart);
            Emit(new PeerDown(peer, reason, notification, new StaleRetention(families, _time.GetUtcNow() + restart)));
            return;
        }
        peer.StaleFamilies.Clear();
        peer.Timer(PeerTimerKind.GracefulRestart).Stop();
        peer.Timer(PeerTimerKind.StalePath).Stop();
        _log.LogInformation("peer {Peer} down: {Reason}", peer.Address, reason);
        Emit(new PeerDown(peer, reason, notification, null));
    }

    private void OnEndOfRib(BgpPeer peer, AfiSafi family)
    {
        peer.EndOfRibSeen.Add(family);
        if (peer.StaleFamilies.Remove(family) && peer.StaleFamilies.Count == 0)
        {
            peer.Timer(PeerTimerKind.StalePath).Stop();
        }
        Emit(new EndOfRibReceived(peer, family));
        if (SelectionDeferred && AllGracefulPeersDone())
        {
            EndSelectionDeferral(timedOut: false);
        }
    }

    /// <summary>Restart timer (peer did not come back) or stale-path timer (peer did not finish) ran out.</summary>
    private void ExpireStale(BgpPeer peer, PeerTimerKind kind)
    {
        if (kind == PeerTimerKind.GracefulRestart && peer.State == BgpState.Established)
        {
            return;
        }
        var families = peer.StaleFamilies.ToImmutableArray();
        peer.StaleFamilies.Clear();
        if (families.IsEmpty)
        {
            return;
        }
        _log.LogInformation("peer {Peer}: {Timer} timer expired, removing stale {Families} routes", peer.Address, kind, string.Join(",", families));
        Emit(new StaleRoutesExpired(peer, families));
        if (peer.IsDynamic && peer.State == BgpState.Idle)
        {
            Forget(peer);
        }
    }

    /// <summary>RFC 4724 4.1: the restarting speaker waits for End-of-RIB from every peer it restarted with: the
    /// configured ones with graceful restart, the dynamic ones connected so far, and the dynamic ones that had a
    /// graceful-restart session when it stopped (<see cref="SpeakerOptions.RestartingWith"/>).</summary>
    private bool AllGracefulPeersDone() =>
        _peers.Values.Where(p => !p.AdminDown && p.Options.GracefulRestart is not null).All(SentEndOfRib)
        && Options.RestartingWith.All(a => _peers.GetValueOrDefault(a) is { } p && SentEndOfRib(p));

    private static bool SentEndOfRib(BgpPeer p) =>
        p.State == BgpState.Established && p.Session is { } s && s.Families.All(p.EndOfRibSeen.Contains);

    /// <summary>Dynamic neighbors with a graceful-restart session now: those a restart of evpnd waits for.</summary>
    public ImmutableArray<PeerAddress> GracefulDynamicPeers() =>
        [.. _peers.Values.Where(p => p.IsDynamic && p.State == BgpState.Established && p.Options.GracefulRestart is not null
            && p.Session?.PeerGracefulRestart is not null).Select(p => p.Address)];

    private void EndSelectionDeferral(bool timedOut)
    {
        if (!SelectionDeferred)
        {
            return;
        }
        SelectionDeferred = false;
        _deferralTimer.Stop();
        _log.LogInformation("selection deferral ended ({Why})", timedOut ? "timer expired" : "End-of-RIB from every peer");
        Emit(new SelectionDeferralEnded(timedOut));
    }
}
