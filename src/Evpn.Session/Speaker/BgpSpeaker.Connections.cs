using System.Net;
using System.Net.Sockets;
using Evpn.Session.Fsm;
using Evpn.Session.Negotiation;
using Evpn.Session.Options;
using Evpn.Session.Transport;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Session.Speaker;

/// <summary>Connections: outgoing attempts, accepted sockets, dynamic neighbors, and RFC 4271 section 6.8
/// collision detection between two connections of one peer.</summary>
public sealed partial class BgpSpeaker
{
    /// <summary>How often one host's refused connections, or one peer's malformed UPDATEs of one kind, are logged.</summary>
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private LogRateLimiter<PeerAddress>? _refusedLog;

    /// <summary>Connections the listener accepted and no peer took, by reason.</summary>
    public RefusedConnections RefusedConnections { get; } = new();

    private void StartConnect(BgpPeer peer)
    {
        peer.ConnectCancellation?.Cancel();
        var cancellation = new CancellationTokenSource();
        peer.ConnectCancellation = cancellation;
        var attempt = ++peer.ConnectAttempt;
        var options = peer.Options.Connection;
        var ebgp = (peer.Options.LocalAs ?? Options.LocalAs) != peer.Options.RemoteAs;
        _ = Task.Run(async () =>
        {
            try
            {
                var socket = await BgpSockets.ConnectAsync(options, ebgp, cancellation.Token).ConfigureAwait(false);
                _control.Writer.TryWrite(new ConnectCompleted(peer, attempt, socket, null));
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                _control.Writer.TryWrite(new ConnectCompleted(peer, attempt, null, e));
            }
        });
    }

    private void OnConnectCompleted(ConnectCompleted completed)
    {
        var peer = completed.Peer;
        var current = _peers.GetValueOrDefault(peer.Address) == peer && completed.Attempt == peer.ConnectAttempt;
        if (completed.Socket is not { } socket)
        {
            if (current && peer.State == BgpState.Connect)
            {
                _log.LogInformation("peer {Peer}: connect failed: {Error}", peer.Address, completed.Error?.Message);
                Dispatch(peer, BgpEvent.TcpConnectionFails);
            }
            return;
        }
        if (!current)
        {
            socket.Dispose();
            return;
        }
        peer.ConnectCancellation = null;
        var connection = CreateConnection(peer, socket, inbound: false);
        AttachConnection(peer, connection, BgpEvent.TcpCrAcked);
    }

    private void OnAccepted(Socket socket)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var address = PeerAddress.FromSocket(remote.Address);
        var peer = _peers.GetValueOrDefault(address) ?? AdoptInterfaceConnection(address);
        if (peer is null && Options.DynamicNeighbors.FirstOrDefault(r => r.Contains(address)) is { } range)
        {
            if (DynamicPeersOf(range) >= range.Limit)
            {
                Refuse(socket, remote, address, RefusedConnection.RangeFull, $"listen range {range.Prefix}/{range.PrefixLength} is at its limit of {range.Limit} peers");
                return;
            }
            // The OPEN's AS is checked against the template unless the range accepts any AS.
            peer = AddPeer(range.Template with { Address = address, Passive = true, Enabled = false }, dynamic: true);
            peer.AdminDown = false;
            peer.AcceptAnyAs = range.RemoteAsAny;
            Dispatch(peer, BgpEvent.ManualStartWithPassiveTcpEstablishment);
        }
        if (peer is null || peer.AdminDown)
        {
            Refuse(socket, remote, address, peer is null ? RefusedConnection.NotConfigured : RefusedConnection.ShutDown,
                peer is null ? "not a configured peer" : "peer is shut down");
            return;
        }
        try
        {
            BgpSockets.ApplyTtl(socket, peer.Options.Connection, (peer.Options.LocalAs ?? Options.LocalAs) != peer.Options.RemoteAs);
        }
        catch (SocketException e)
        {
            _log.LogWarning("peer {Peer}: cannot set TTL on accepted socket: {Error}", peer.Address, e.Message);
            socket.Dispose();
            return;
        }
        // RFC 4724 4.2: a new connection from a peer whose session we still think is up means the peer
        // restarted: treat it as the loss of the old session (graceful restart keeps its routes).
        if (peer.State == BgpState.Established && peer.Session?.PeerGracefulRestart is not null)
        {
            _log.LogInformation("peer {Peer} reconnected while Established: restarting peer", peer.Address);
            Dispatch(peer, BgpEvent.TcpConnectionFails);
        }
        if (peer.State == BgpState.Idle)
        {
            // An enabled peer waiting out its IdleHold time takes the connection now rather than refuse it.
            peer.Timer(PeerTimerKind.IdleHold).Stop();
            Dispatch(peer, BgpEvent.AutomaticStartWithPassiveTcpEstablishment);
        }
        AttachConnection(peer, CreateConnection(peer, socket, inbound: true), BgpEvent.TcpConnectionConfirmed);
    }

    private int DynamicPeersOf(DynamicNeighborRange range)
    {
        var count = 0;
        foreach (var peer in _peers.Values)
        {
            if (peer.IsDynamic && range.Contains(peer.Address))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Closes a connection no peer takes. Counted always; logged at most once per address per
    /// <see cref="LogInterval"/>, so a host retrying (or scanning) cannot fill the log.</summary>
    private void Refuse(Socket socket, IPEndPoint remote, PeerAddress address, RefusedConnection reason, string why)
    {
        socket.Dispose();
        RefusedConnections.Add(reason);
        _refusedLog ??= new LogRateLimiter<PeerAddress>(_time, LogInterval);
        if (_refusedLog.TryLog(address, out var heldBack))
        {
            _log.LogInformation("refused connection from {Remote}: {Why}{HeldBack}", remote, why,
                heldBack > 0 ? $" ({heldBack} more from this address since the last report)" : "");
        }
    }

    private PeerConnection CreateConnection(BgpPeer peer, Socket socket, bool inbound)
    {
        var pipe = new SocketDuplexPipe(socket);
        var localOpen = OpenNegotiation.BuildLocalOpen(peer.Options, Options, SelectionDeferred);
        var connection = new PeerConnection(pipe, pipe, (IPEndPoint)socket.RemoteEndPoint!, (IPEndPoint)socket.LocalEndPoint!,
            inbound, localOpen, _control.Writer, _messages.Writer, _time, Options.WriteQueueCapacity, peer.Options.Receive);
        connection.Start();
        return connection;
    }

    /// <summary>A new connection for <paramref name="peer"/>: the session's connection when there is none
    /// yet, a collision candidate while an OPEN exchange is in progress, refused otherwise.</summary>
    private void AttachConnection(BgpPeer peer, PeerConnection connection, BgpEvent connected)
    {
        switch (peer.State)
        {
            case BgpState.Connect or BgpState.Active when peer.Connection is null:
                peer.Connection = connection;
                Dispatch(peer, connected);
                break;
            case BgpState.OpenSent or BgpState.OpenConfirm when peer.Candidate is null:
                // RFC 4271 6.8: both connections exchange OPENs; the BGP identifiers decide which stays.
                peer.Candidate = connection;
                connection.Send(connection.LocalOpen);
                connection.OpenSent = true;
                break;
            default:
                _log.LogInformation("peer {Peer}: refusing {Connection} in {State}", peer.Address, connection, peer.State);
                if (peer.State == BgpState.Established)
                {
                    connection.Send(Notifications.CollisionResolution);
                }
                connection.Close(CloseGrace);
                break;
        }
    }

    /// <summary>RFC 4271 6.8: an OPEN arrived and the peer has two connections. The one initiated by the
    /// speaker with the higher BGP identifier stays, unless the session is Established already: then the new
    /// connection (the candidate) goes whatever the identifiers. The other gets Cease / Connection Collision
    /// Resolution. Returns the connection that continues, or null when <paramref name="arrivedOn"/> lost.</summary>
    private PeerConnection? ResolveCollision(BgpPeer peer, PeerConnection arrivedOn, uint remoteId)
    {
        if (peer.Candidate is not { } candidate || peer.Connection is not { } primary)
        {
            return arrivedOn;
        }
        var keepInbound = Options.RouterIdValue < remoteId;
        var keep = peer.State == BgpState.Established || primary.Inbound == keepInbound ? primary : candidate;
        var dump = keep == primary ? candidate : primary;
        _log.LogInformation("peer {Peer}: connection collision, keeping {Kept}, closing {Dumped}", peer.Address, keep, dump);
        peer.Candidate = null;
        if (dump == primary)
        {
            // The session continues on the candidate as if the FSM had been running there (one FSM per
            // connection in the RFC's model): back to OpenSent, since its OPEN is only now being processed.
            primary.Send(Notifications.CollisionResolution);
            primary.Close(CloseGrace);
            peer.Connection = candidate;
            peer.Session = null;
            peer.State = BgpState.OpenSent;
        }
        else
        {
            candidate.Send(Notifications.CollisionResolution);
            candidate.Close(CloseGrace);
        }
        return keep == arrivedOn ? arrivedOn : null;
    }

    private void DropConnections(BgpPeer peer)
    {
        peer.ConnectCancellation?.Cancel();
        peer.ConnectCancellation = null;
        peer.ConnectAttempt++;
        peer.Connection?.Close(CloseGrace);
        peer.Connection = null;
        if (peer.Candidate is { } candidate)
        {
            candidate.Close(CloseGrace);
            peer.Candidate = null;
        }
    }

    private void OnConnectionClosed(PeerConnection connection, Exception? error)
    {
        if (FindOwner(connection) is not { } peer)
        {
            return;
        }
        if (peer.Candidate == connection)
        {
            peer.Candidate = null;
            return;
        }
        _log.LogInformation("peer {Peer}: connection {Connection} closed{Error}", peer.Address, connection,
            error is null ? "" : ": " + error.Message);
        peer.LastDownReason ??= "connection closed by peer";
        Dispatch(peer, BgpEvent.TcpConnectionFails);
    }

    private BgpPeer? FindOwner(PeerConnection connection)
    {
        var peer = _peers.GetValueOrDefault(connection.Peer);
        return peer is not null && (peer.Connection == connection || peer.Candidate == connection) ? peer : null;
    }
}
