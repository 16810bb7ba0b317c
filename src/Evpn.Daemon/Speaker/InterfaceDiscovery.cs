using Evpn.Config.Options;
using Evpn.DataPlane.Linux.Unnumbered;
using Evpn.Session.Speaker;
using Microsoft.Extensions.Logging;

namespace Evpn.Daemon.Speaker;

/// <summary>Connects link-local discovery (Evpn.DataPlane.Linux) to the speaker's interface neighbors: every link
/// change and every peer address found goes onto the speaker loop, in the order it was seen.</summary>
internal static class InterfaceDiscovery
{
    /// <summary>Discovery for the configuration's interface neighbors; null when it has none.</summary>
    public static LinkLocalDiscovery? Start(EvpnConfig config, ILogger log, TimeProvider time)
    {
        var interfaces = config.Neighbors.Where(n => n.IsInterface).Select(n => (n.Interface!, n.InterfaceRa)).ToList();
        return interfaces.Count == 0 ? null : new LinkLocalDiscovery(interfaces, log, time);
    }

    public static async Task RunAsync(LinkLocalDiscovery? discovery, BgpSpeaker bgp, CancellationToken cancellationToken)
    {
        if (discovery is null)
        {
            return;
        }
        var running = discovery.RunAsync(cancellationToken);
        try
        {
            await foreach (var e in discovery.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await bgp.InvokeAsync(s => Apply(s, e)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        await running.ConfigureAwait(false);
    }

    private static void Apply(BgpSpeaker bgp, InterfaceNeighborEvent e)
    {
        switch (e)
        {
            case InterfaceNeighborEvent.LinkChanged link:
                bgp.InterfaceLinkChanged(link.Interface, link.IfIndex, link.Up);
                break;
            case InterfaceNeighborEvent.LinkRemoved removed:
                bgp.InterfaceRemoved(removed.Interface);
                break;
            case InterfaceNeighborEvent.PeerFound found:
                bgp.InterfacePeerFound(found.Interface, found.LinkLocal, found.Source);
                break;
        }
    }
}
