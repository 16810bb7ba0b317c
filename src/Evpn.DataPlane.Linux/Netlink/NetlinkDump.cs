using System.Buffers;
using System.Net.Sockets;

namespace Evpn.DataPlane.Linux.Netlink;

internal delegate void MessageHandler(in NetlinkMessage message);

/// <summary>Dump requests (NLM_F_DUMP): the kernel answers with multi-part messages ending in NLMSG_DONE.</summary>
internal static class NetlinkDump
{
    private const int MaxAttempts = 5;
    private const int DumpBufferBytes = 256 * 1024;

    /// <summary>Dumps links (RTM_GETLINK) into <paramref name="handler"/>.</summary>
    public static void Links(NetlinkSocket socket, ref uint sequence, MessageHandler handler) =>
        Run(socket, ref sequence, Rtnl.RTM_GETLINK, w => w.WriteIfInfoMsg(Rtnl.AF_UNSPEC, 0), handler);

    /// <summary>Dumps interface addresses of all families (RTM_GETADDR).</summary>
    public static void Addresses(NetlinkSocket socket, ref uint sequence, MessageHandler handler) =>
        Run(socket, ref sequence, Rtnl.RTM_GETADDR, w => w.WriteIfAddrMsg(Rtnl.AF_UNSPEC), handler);

    /// <summary>Dumps neighbor entries of one family: AF_BRIDGE for FDB entries, AF_INET/AF_INET6 for ARP/ND.</summary>
    public static void Neighbors(NetlinkSocket socket, ref uint sequence, byte family, MessageHandler handler) =>
        Run(socket, ref sequence, Rtnl.RTM_GETNEIGH, w => w.WriteNdMsg(family, 0, 0, 0), handler);

    /// <summary>Dumps nexthop objects (RTM_GETNEXTHOP), every family.</summary>
    public static void Nexthops(NetlinkSocket socket, ref uint sequence, MessageHandler handler) =>
        Run(socket, ref sequence, Rtnl.RTM_GETNEXTHOP, w => w.WriteNhMsg(Rtnl.AF_UNSPEC, 0), handler);

    /// <summary>Runs one dump. A dump interrupted by a concurrent change (NLM_F_DUMP_INTR) may have
    /// skipped entries, so it is run again; handlers therefore must take an entry seen twice in stride.</summary>
    /// <remarks>The receive buffer is rented: a start-up runs a dozen dumps back to back, and a fresh 256 KiB
    /// array each (large-object heap) would be fresh resident memory each time.</remarks>
    private static void Run(NetlinkSocket socket, ref uint sequence, ushort type, Action<NetlinkWriter> header, MessageHandler handler)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DumpBufferBytes);
        try
        {
            Receive(socket, ref sequence, type, header, handler, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Receive(NetlinkSocket socket, ref uint sequence, ushort type, Action<NetlinkWriter> header, MessageHandler handler, byte[] buffer)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = new NetlinkWriter(64);
            var seq = ++sequence;
            request.BeginMessage(type, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq);
            header(request);
            request.EndMessage();
            socket.Send(request.Written);
            var interrupted = false;
            var done = false;
            while (!done)
            {
                var length = socket.Receive(buffer);
                foreach (var message in new NetlinkReader(buffer.AsSpan(0, length)))
                {
                    if (message.Sequence != seq)
                    {
                        continue;
                    }
                    if ((message.Flags & Rtnl.NLM_F_DUMP_INTR) != 0)
                    {
                        interrupted = true;
                    }
                    switch (message.Type)
                    {
                        case Rtnl.NLMSG_DONE:
                            done = true;
                            break;
                        case Rtnl.NLMSG_ERROR:
                            throw new NetlinkErrorException(-message.ErrorCode, $"netlink dump {type}: {Errno.Describe(-message.ErrorCode)} ({message.ExtendedAckMessage()})");
                        default:
                            handler(message);
                            break;
                    }
                }
            }
            if (!interrupted)
            {
                return;
            }
            if (attempt == MaxAttempts)
            {
                throw new IOException($"netlink dump {type} interrupted {MaxAttempts} times by concurrent changes");
            }
        }
    }

    /// <summary>True when <paramref name="e"/> says the kernel dropped messages for this socket.</summary>
    public static bool IsOverrun(SocketException e) => e.SocketErrorCode == SocketError.NoBufferSpaceAvailable;
}
