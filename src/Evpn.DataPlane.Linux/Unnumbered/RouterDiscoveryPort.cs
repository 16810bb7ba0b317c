using System.Net.Sockets;
using System.Threading.Channels;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;

namespace Evpn.DataPlane.Linux.Unnumbered;

/// <summary>Router discovery on one interface while it is up: a solicitation at start so that a peer router
/// answers at once, advertisements (when enabled) a few times in the first seconds and then every
/// <see cref="LinkLocalDiscovery.AdvertisementInterval"/> and in answer to solicitations, and every advertisement
/// received reported as the peer's link-local address.</summary>
internal sealed class RouterDiscoveryPort : IAsyncDisposable
{
    /// <summary>RFC 4861 6.2.4 lets the first advertisements go out sooner; the link-local address may still be
    /// tentative (duplicate address detection) for the first one or two.</summary>
    private const int InitialAdvertisements = 4;
    private static readonly TimeSpan InitialInterval = TimeSpan.FromSeconds(1);

    /// <summary>At most one answer to solicitations per this interval (RFC 4861 6.2.6 rate-limits them too).</summary>
    private static readonly TimeSpan AnswerInterval = TimeSpan.FromSeconds(1);

    private readonly string _name;
    private readonly RouterDiscoverySocket _socket;
    private readonly byte[] _advertisement;
    private readonly bool _advertise;
    private readonly ChannelWriter<InterfaceNeighborEvent> _events;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;
    private readonly Task _receiving;
    private long _lastAnswer;

    public RouterDiscoveryPort(string name, int ifIndex, MacAddress mac, bool advertise, ChannelWriter<InterfaceNeighborEvent> events, ILogger log, TimeProvider time)
    {
        _name = name;
        _socket = new RouterDiscoverySocket(name, ifIndex);
        _advertisement = RouterDiscoveryMessage.Advertisement(mac);
        _advertise = advertise;
        _events = events;
        _log = log;
        _time = time;
        var solicitation = RouterDiscoveryMessage.Solicitation(mac);
        _sending = SendAsync(solicitation, _stop.Token);
        _receiving = ReceiveAsync(_stop.Token);
    }

    private async Task SendAsync(byte[] solicitation, CancellationToken cancellationToken)
    {
        try
        {
            Send(() => _socket.SendToAllRouters(solicitation), "router solicitation");
            for (var sent = 0; _advertise; sent++)
            {
                Send(() => _socket.SendToAllNodes(_advertisement), "router advertisement");
                await Task.Delay(sent < InitialAdvertisements ? InitialInterval : LinkLocalDiscovery.AdvertisementInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Link down or stopping.
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1500];
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (length, source) = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                switch (RouterDiscoveryMessage.Validate(buffer.AsSpan(0, length)))
                {
                    // RFC 4861 6.1.2: an advertisement's source is always link-local.
                    case RouterDiscoveryMessage.RouterAdvertisement when source.IsLinkLocal:
                        _events.TryWrite(new InterfaceNeighborEvent.PeerFound(_name, source, "router advertisement"));
                        break;
                    case RouterDiscoveryMessage.RouterSolicitation when _advertise && _time.GetElapsedTime(_lastAnswer) >= AnswerInterval:
                        _lastAnswer = _time.GetTimestamp();
                        Send(() => _socket.SendToAllNodes(_advertisement), "router advertisement");
                        break;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.LogDebug("{Interface}: receiving router discovery messages: {Error}", _name, e.Message);
            }
            catch (InvalidOperationException e)
            {
                // A socket the runtime will not receive from: discovery goes on from the neighbor table, and a link
                // down must still reach the speaker, so this ends only the listening.
                _log.LogError("{Interface}: router advertisements are not received: {Error}", _name, e.Message);
                return;
            }
        }
    }

    /// <summary>A send can fail while the interface is going down or its address is still tentative; the next one
    /// (or the next link up) tries again.</summary>
    private void Send(Action send, string what)
    {
        try
        {
            send();
        }
        catch (SocketException e)
        {
            _log.LogDebug("{Interface}: sending {What}: {Error}", _name, what, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await Task.WhenAll(_sending, _receiving).ConfigureAwait(false);
        _stop.Dispose();
    }
}
