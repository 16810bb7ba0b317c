using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.DataPlane.Linux.Unnumbered;

/// <summary>Finds the peers of interface neighbors (BGP unnumbered) in evpnd's own network namespace, where its
/// BGP sockets are: the interfaces' state from RTNLGRP_LINK, link-local entries of the IPv6 neighbor table from
/// RTNLGRP_NEIGH, and router advertisements received on each interface (<see cref="RouterDiscoveryPort"/>, which
/// also sends ours so the peer finds us, as FRR's zebra does for its interface neighbors). One task runs the
/// initial dump and the notification loop and owns the interfaces' state.</summary>
public sealed class LinkLocalDiscovery : IAsyncDisposable
{
    /// <summary>FRR's interval for the advertisements it sends on interfaces of unnumbered neighbors.</summary>
    public static readonly TimeSpan AdvertisementInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Watched> _watched;
    private readonly NetlinkSocket _notifications;
    private readonly NetlinkSocket _requests;
    private readonly Channel<InterfaceNeighborEvent> _events = Channel.CreateUnbounded<InterfaceNeighborEvent>();
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private uint _sequence;

    /// <param name="interfaces">Each interface neighbor's interface, and whether to send advertisements on it.</param>
    public LinkLocalDiscovery(IEnumerable<(string Name, bool Advertise)> interfaces, ILogger log, TimeProvider? time = null)
    {
        _watched = interfaces.ToDictionary(i => i.Name, i => new Watched(i.Advertise), StringComparer.Ordinal);
        _log = log;
        _time = time ?? TimeProvider.System;
        // Subscribed before the dump, so that no change falls between the two.
        _notifications = NetlinkSocket.Open(null, Rtnl.RTMGRP_LINK | Rtnl.RTMGRP_NEIGH, 1 << 20);
        _requests = NetlinkSocket.Open(null, 0, 1 << 20);
    }

    public ChannelReader<InterfaceNeighborEvent> Events => _events.Reader;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            await SynchronizeAsync().ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _notifications.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e) when (NetlinkDump.IsOverrun(e))
                {
                    await SynchronizeAsync().ConfigureAwait(false);
                    continue;
                }
                foreach (var (type, parsed) in ParseDatagram(buffer.AsSpan(0, length)))
                {
                    await HandleAsync(type, parsed).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var watched in _watched.Values)
            {
                await watched.StopAsync().ConfigureAwait(false);
            }
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Links first (the neighbor entries name their ifindex), then the IPv6 neighbor table.</summary>
    private async Task SynchronizeAsync()
    {
        var parsed = new List<(ushort, Parsed)>();
        NetlinkDump.Links(_requests, ref _sequence, (in NetlinkMessage m) => parsed.Add((m.Type, ParseAll(m))));
        NetlinkDump.Neighbors(_requests, ref _sequence, Rtnl.AF_INET6, (in NetlinkMessage m) => parsed.Add((m.Type, ParseAll(m))));
        foreach (var (type, p) in parsed)
        {
            await HandleAsync(type, p).ConfigureAwait(false);
        }
    }

    private static List<(ushort, Parsed)> ParseDatagram(ReadOnlySpan<byte> datagram)
    {
        var parsed = new List<(ushort, Parsed)>();
        foreach (var message in new NetlinkReader(datagram))
        {
            parsed.Add((message.Type, ParseAll(message)));
        }
        return parsed;
    }

    private readonly record struct Parsed(LinkRecord? Link, NeighborRecord? Neighbor);

    /// <summary>Parsed before any await: a <see cref="NetlinkMessage"/> lives in the receive buffer.</summary>
    private static Parsed ParseAll(in NetlinkMessage message) => message.Type switch
    {
        Rtnl.RTM_NEWLINK or Rtnl.RTM_DELLINK when LinkRecord.TryParse(message, out var link) => new Parsed(link, null),
        Rtnl.RTM_NEWNEIGH when NeighborRecord.TryParse(message, out var neighbor) => new Parsed(null, neighbor),
        _ => default,
    };

    private async Task HandleAsync(ushort type, Parsed parsed)
    {
        if (parsed.Link is { } link && _watched.TryGetValue(link.Name, out var watched))
        {
            if (type == Rtnl.RTM_DELLINK)
            {
                await watched.StopAsync().ConfigureAwait(false);
                watched.IfIndex = null;
                _events.Writer.TryWrite(new InterfaceNeighborEvent.LinkRemoved(link.Name));
                return;
            }
            var up = link.AdminUp && link.LowerUp;
            if (watched.IfIndex == link.Index && watched.Up == up)
            {
                return;
            }
            await watched.StopAsync().ConfigureAwait(false);
            watched.IfIndex = link.Index;
            watched.Up = up;
            _log.LogInformation("interface {Interface} (index {Index}) {State}", link.Name, link.Index, up ? "up" : "down");
            _events.Writer.TryWrite(new InterfaceNeighborEvent.LinkChanged(link.Name, link.Index, up));
            if (up)
            {
                watched.Start(link, _events.Writer, _log, _time);
            }
        }
        else if (parsed.Neighbor is { } neighbor && Usable(neighbor) && Find(neighbor.IfIndex) is { } name)
        {
            _events.Writer.TryWrite(new InterfaceNeighborEvent.PeerFound(name, new PeerAddress(neighbor.Destination!.Value, (uint)neighbor.IfIndex), "neighbor table"));
        }
    }

    /// <summary>A resolved IPv6 link-local entry (not one still being resolved or failed, and not a static NOARP one).</summary>
    private static bool Usable(NeighborRecord neighbor) =>
        neighbor.Family == Rtnl.AF_INET6 && neighbor.Destination is { } destination && new PeerAddress(destination).IsLinkLocal
        && (neighbor.State & (Rtnl.NUD_INCOMPLETE | Rtnl.NUD_FAILED | Rtnl.NUD_NOARP)) == 0;

    private string? Find(int ifIndex)
    {
        foreach (var (name, watched) in _watched)
        {
            if (watched.IfIndex == ifIndex && watched.Up)
            {
                return name;
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var watched in _watched.Values)
        {
            await watched.StopAsync().ConfigureAwait(false);
        }
        _notifications.Dispose();
        _requests.Dispose();
    }

    /// <summary>One interface of an interface neighbor: its index and state, and router discovery while it is up.</summary>
    private sealed class Watched(bool advertise)
    {
        private RouterDiscoveryPort? _port;

        public int? IfIndex { get; set; }
        public bool Up { get; set; }

        public void Start(LinkRecord link, ChannelWriter<InterfaceNeighborEvent> events, ILogger log, TimeProvider time)
        {
            try
            {
                _port = new RouterDiscoveryPort(link.Name, link.Index, link.Mac, advertise, events, log, time);
            }
            catch (SocketException e)
            {
                // Without the raw socket the neighbor table and connections from the peer still find it.
                log.LogWarning("{Interface}: no router discovery (raw ICMPv6 socket: {Error}); relying on the neighbor table", link.Name, e.Message);
            }
        }

        public async Task StopAsync()
        {
            if (_port is { } port)
            {
                _port = null;
                await port.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
