using System.Net.Sockets;
using Evpn.DataPlane.Linux.Netlink;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary><see cref="NetlinkSocket.ReceiveMany"/> against real notifications (needs root: a namespace of its
/// own, links added in it).</summary>
public sealed class ReceiveManyTests
{
    private const int Slot = 16 * 1024;

    [RequiresFact(Requirement.Root)]
    public void Queued_notifications_come_in_one_call_each_in_its_own_slot()
    {
        using var vtep = new VtepNamespace();
        using var socket = NetlinkSocket.Open(vtep.Name, Rtnl.RTMGRP_LINK, 1024 * 1024);
        for (var i = 0; i < 8; i++)
        {
            Shell.Ip(vtep.Name, "link", "add", $"brm{i}", "type", "bridge");
        }
        var buffer = new byte[64 * Slot];
        var lengths = new int[64];

        var count = socket.ReceiveMany(buffer, Slot, lengths, TimeSpan.FromSeconds(5));

        Assert.True(count >= 8, $"one call read {count} datagrams of the 8 or more queued");
        var created = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            Assert.InRange(lengths[i], 1, Slot);
            foreach (var message in new NetlinkReader(buffer.AsSpan(i * Slot, lengths[i])))
            {
                if (message.Type == Rtnl.RTM_NEWLINK && Kernel.LinkRecord.TryParse(message, out var link))
                {
                    created.Add(link.Name);
                }
            }
        }
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"brm{i}").ToHashSet(), created);
    }

    [RequiresFact(Requirement.Root)]
    public void A_datagram_larger_than_its_slot_is_reported_as_lost()
    {
        using var vtep = new VtepNamespace();
        using var socket = NetlinkSocket.Open(vtep.Name, Rtnl.RTMGRP_LINK, 1024 * 1024);
        Shell.Ip(vtep.Name, "link", "add", "brt", "type", "bridge");
        var buffer = new byte[4 * 64];

        var e = Assert.Throws<SocketException>(() => socket.ReceiveMany(buffer, 64, new int[4], TimeSpan.FromSeconds(5)));

        Assert.True(NetlinkDump.IsOverrun(e), $"{e.SocketErrorCode}");
    }

    [RequiresFact(Requirement.Root)]
    public void Nothing_queued_returns_none_after_the_wait()
    {
        using var vtep = new VtepNamespace();
        using var socket = NetlinkSocket.Open(vtep.Name, Rtnl.RTMGRP_LINK, 1024 * 1024);

        Assert.Equal(0, socket.ReceiveMany(new byte[4 * Slot], Slot, new int[4], TimeSpan.FromMilliseconds(50)));
    }
}
