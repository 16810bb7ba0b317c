using System.Diagnostics.Metrics;
using Evpn.Rib;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.Daemon.Speaker;

/// <summary>Packs the RIB's outbound changes into UPDATEs (the codec's packer) and queues them on each
/// peer's connection; segments an update group shares are packed and encoded once, and every member's connection
/// is given the same bytes. When a peer's write queue is full the rest of that slice waits here, in order, until
/// the session reports the peer writable again; meanwhile <see cref="CanTake"/> says no, so the RIB keeps
/// the peer's further changes in its Adj-RIB-Out (coalesced) instead of handing out more. What waits here
/// is at most one slice per peer. Routes too large for a peer's maximum message length are withheld from it
/// (RFC 8654 section 4), counted and logged once per session.</summary>
/// <remarks>Runs on the speaker loop only.</remarks>
public sealed class OutboundSender(MrtDump dump, ILogger log)
{
    private static readonly Meter Meter = new("Evpn.Daemon.Outbound");
    private static readonly Counter<long> Withheld = Meter.CreateCounter<long>("evpn.bgp.routes.withheld",
        description: "Route announcements withheld from a peer because their UPDATE exceeds the peer's maximum message length (RFC 8654 section 4), per peer");

    private readonly Dictionary<PeerAddress, Queue<Outgoing>> _waiting = [];

    /// <summary>Peers whose session already logged a withheld route.</summary>
    private readonly HashSet<PeerAddress> _withheldLogged = [];

    /// <summary>Messages waiting for a slow peer, over all peers.</summary>
    public int Waiting { get; private set; }

    /// <summary>Whether the peer takes another slice: nothing of the last one is waiting for it.</summary>
    public bool CanTake(PeerAddress peer) => !_waiting.ContainsKey(peer);

    public void Send(BgpSpeaker speaker, IReadOnlyList<OutboundUpdate> changes)
    {
        foreach (var change in changes)
        {
            var peer = speaker.FindPeer(change.Peer);
            if (peer?.Session is not { } session)
            {
                // Not Established: the RIB rebuilds this peer's Adj-RIB-Out when it comes up.
                continue;
            }
            var packed = change.ToMessages(change.Encoding);
            if (packed.Withheld.Count > 0)
            {
                CountWithheld(peer, session.Context.MaxMessageLength, packed.Withheld);
            }
            List<Outgoing> messages = [.. packed.Updates.Select(u => new Outgoing(u, null))];
            if (change.EndOfRefresh)
            {
                // RFC 7313 section 4: EoRR after the last route of the re-send, in order behind it.
                messages.Add(new Outgoing(null, change.Family));
            }
            Queue(speaker, peer, messages);
        }
    }

    /// <summary>The peer's write queue drained: send what waited for it.</summary>
    public void OnWritable(BgpSpeaker speaker, BgpPeer peer)
    {
        var address = peer.Address;
        if (!_waiting.TryGetValue(address, out var queue))
        {
            return;
        }
        while (queue.TryPeek(out var update) && TrySend(speaker, peer, update))
        {
            queue.Dequeue();
            Waiting--;
        }
        if (queue.Count == 0)
        {
            _waiting.Remove(address);
        }
    }

    /// <summary>The session went down: what waited for it is void (the RIB re-sends on the next session).</summary>
    public void Forget(BgpPeer peer)
    {
        var address = peer.Address;
        if (_waiting.Remove(address, out var queue))
        {
            Waiting -= queue.Count;
        }
        _withheldLogged.Remove(address);
    }

    private void CountWithheld(BgpPeer peer, int maxMessageLength, List<EvpnRoute> routes)
    {
        Withheld.Add(routes.Count, new KeyValuePair<string, object?>("peer", peer.Address.ToString()));
        if (_withheldLogged.Add(peer.Address))
        {
            log.LogWarning("peer {Peer}: {Count} route(s) withheld, e.g. {Route}: the UPDATE would exceed the {Max} octets the peer accepts "
                + "(RFC 8654 section 4; further ones in this session are counted in evpn_bgp_routes_withheld_total, not logged)",
                peer.Address, routes.Count, routes[0], maxMessageLength);
        }
    }

    private void Queue(BgpSpeaker speaker, BgpPeer peer, List<Outgoing> updates)
    {
        var address = peer.Address;
        _waiting.TryGetValue(address, out var queue);
        foreach (var update in updates)
        {
            if (queue is null && TrySend(speaker, peer, update))
            {
                continue;
            }
            if (queue is null)
            {
                queue = new Queue<Outgoing>();
                _waiting[address] = queue;
            }
            queue.Enqueue(update);
            Waiting++;
        }
    }

    private bool TrySend(BgpSpeaker speaker, BgpPeer peer, Outgoing message)
    {
        if (message.Update is not { } update)
        {
            speaker.CompleteRouteRefresh(peer, message.EndOfRefresh!.Value);
            return true;
        }
        if (!speaker.TrySendUpdate(peer, update))
        {
            return false;
        }
        dump.Sent(peer, update.Message);
        return true;
    }

    /// <summary>An UPDATE for the peer's connection, or the end of a route refresh of a family, in order.</summary>
    private readonly record struct Outgoing(EncodedUpdate? Update, AfiSafi? EndOfRefresh);
}
