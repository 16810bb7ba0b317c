using Evpn.Rib;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Speaker;

/// <summary>Packs the RIB's outbound changes into UPDATEs (the codec's packer) and queues them on each
/// peer's connection. When a peer's write queue is full the rest waits here, in order, until the session
/// reports the peer writable again; the RIB hands out at most a bounded slice per drain, so what waits
/// here is bounded by that slice per drain while the peer is slow.</summary>
/// <remarks>Runs on the speaker loop only.</remarks>
public sealed class OutboundSender
{
    private readonly Dictionary<IpAddr, Queue<UpdateMessage>> _waiting = [];

    /// <summary>UPDATEs waiting for a slow peer, over all peers.</summary>
    public int Waiting { get; private set; }

    public void Send(BgpSpeaker speaker, IReadOnlyList<OutboundUpdate> changes)
    {
        foreach (var change in changes)
        {
            var peer = speaker.FindPeer(change.Peer.ToIPAddress());
            if (peer?.Session is not { } session)
            {
                // Not Established: the RIB rebuilds this peer's Adj-RIB-Out when it comes up.
                continue;
            }
            Queue(speaker, peer, change.ToMessages(session.Context));
        }
    }

    /// <summary>The peer's write queue drained: send what waited for it.</summary>
    public void OnWritable(BgpSpeaker speaker, BgpPeer peer)
    {
        var address = IpAddr.FromIPAddress(peer.Address);
        if (!_waiting.TryGetValue(address, out var queue))
        {
            return;
        }
        while (queue.TryPeek(out var update) && speaker.TrySendUpdate(peer, update))
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
        if (_waiting.Remove(IpAddr.FromIPAddress(peer.Address), out var queue))
        {
            Waiting -= queue.Count;
        }
    }

    private void Queue(BgpSpeaker speaker, BgpPeer peer, IReadOnlyList<UpdateMessage> updates)
    {
        var address = IpAddr.FromIPAddress(peer.Address);
        _waiting.TryGetValue(address, out var queue);
        foreach (var update in updates)
        {
            if (queue is null && speaker.TrySendUpdate(peer, update))
            {
                continue;
            }
            if (queue is null)
            {
                queue = new Queue<UpdateMessage>();
                _waiting[address] = queue;
            }
            queue.Enqueue(update);
            Waiting++;
        }
    }
}
