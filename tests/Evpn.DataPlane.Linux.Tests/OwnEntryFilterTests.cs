using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>The watcher's socket filter (<see cref="OwnEntryFilter"/>) against the kernel's real notifications
/// (needs root: a namespace of its own).</summary>
public sealed class OwnEntryFilterTests
{
    private const uint Vni = 100;

    [RequiresFact(Requirement.Root)]
    public void A_neighbor_entry_removed_through_the_requests_socket_reaches_no_listener_while_a_local_one_after_it_does()
    {
        using var vtep = new VtepNamespace(Vni);
        using var requests = NetlinkSocket.Open(vtep.Name, 0, 1024 * 1024);
        using var events = NetlinkSocket.Open(vtep.Name, Rtnl.RTMGRP_NEIGH, 1024 * 1024);
        events.AttachFilter(OwnEntryFilter.Program(requests.PortId));
        events.ReceiveTimeout = TimeSpan.FromSeconds(5);
        var bridge = BridgeIndex(requests, vtep);
        // Installed as the executor installs a remote MAC+IP (its own notification carries the mark), then removed
        // as the executor removes it: the kernel notifies the removal twice, without the mark.
        Shell.Ip(vtep.Name, "neigh", "add", "10.100.0.5", "lladdr", "02:00:00:00:00:05", "dev", VtepNamespace.BridgeOf(Vni), "nud", "noarp", "extern_learn");
        var writer = new NetlinkWriter();
        writer.BeginMessage(Rtnl.RTM_DELNEIGH, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, 1);
        writer.WriteNdMsg(Rtnl.AF_INET, bridge, 0, 0);
        writer.WriteAttribute(Rtnl.NDA_DST, [10, 100, 0, 5]);
        writer.EndMessage();
        Assert.Equal(0, requests.Request(writer.Written, 1).Error);
        // A host learned locally afterwards: the listener gets its notification, and none of the removal before it.
        Shell.Ip(vtep.Name, "neigh", "add", "10.100.0.6", "lladdr", "02:00:00:00:00:06", "dev", VtepNamespace.BridgeOf(Vni), "nud", "reachable");

        var seen = NotificationsUntil(events, "10.100.0.6");

        Assert.DoesNotContain("10.100.0.5", seen);
    }

    /// <summary>The destinations of the neighbor notifications that come, up to the one for <paramref name="last"/>
    /// (each receive waits at most the socket's timeout).</summary>
    private static List<string> NotificationsUntil(NetlinkSocket events, string last)
    {
        var buffer = new byte[64 * 1024];
        var seen = new List<string>();
        while (!seen.Contains(last))
        {
            var length = events.Receive(buffer);
            foreach (var message in new NetlinkReader(buffer.AsSpan(0, length)))
            {
                if (NeighborRecord.TryParse(message, out var record) && record.Destination is { } destination)
                {
                    seen.Add(destination.ToString());
                }
            }
        }
        return seen;
    }

    private static int BridgeIndex(NetlinkSocket socket, VtepNamespace vtep)
    {
        var index = 0;
        var sequence = 100u;
        NetlinkDump.Links(socket, ref sequence, (in NetlinkMessage m) =>
        {
            if (LinkRecord.TryParse(m, out var link) && link.Name == VtepNamespace.BridgeOf(Vni))
            {
                index = link.Index;
            }
        });
        Assert.NotEqual(0, index);
        return index;
    }
}
