using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Evpn.DataPlane.Linux.Netlink;

/// <summary>An rtnetlink socket (AF_NETLINK, NETLINK_ROUTE), optionally subscribed to multicast groups.</summary>
/// <remarks>
///   .NET's <see cref="AddressFamily"/> has no netlink member, so the descriptor comes from socket(2)
///   and is wrapped in a <see cref="Socket"/> through <see cref="SafeSocketHandle"/>; send and receive
///   then go through the runtime (including async receive on its epoll thread).
/// </remarks>
internal sealed class NetlinkSocket : IDisposable
{
    private readonly Socket _socket;

    private NetlinkSocket(Socket socket, uint portId)
    {
        _socket = socket;
        PortId = portId;
    }

    /// <summary>The port id the kernel gave the socket at bind: the nlmsg_pid of the notifications that its own
    /// requests cause.</summary>
    public uint PortId { get; }

    /// <summary>Opens a socket inside <paramref name="networkNamespace"/> (null: the caller's namespace).</summary>
    /// <param name="groups">RTMGRP_* bit mask of multicast groups to receive notifications from.</param>
    /// <param name="bufferBytes">Send and receive buffer size. A big receive buffer keeps notifications and
    /// per-message errors of a large batch from being dropped (ENOBUFS).</param>
    public static NetlinkSocket Open(string? networkNamespace, uint groups, int bufferBytes) =>
        NetworkNamespace.Run(networkNamespace, () => OpenHere(groups, bufferBytes));

    private static NetlinkSocket OpenHere(uint groups, int bufferBytes)
    {
        var fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        if (fd < 0)
        {
            throw new IOException($"socket(AF_NETLINK): {Marshal.GetLastPInvokeErrorMessage()}");
        }
        try
        {
            SetBuffer(fd, LibC.SO_SNDBUFFORCE, LibC.SO_SNDBUF, bufferBytes);
            SetBuffer(fd, LibC.SO_RCVBUFFORCE, LibC.SO_RCVBUF, bufferBytes);
            // Errors carry only the failed message's header (we match them by sequence number), and
            // the kernel's extended ack text when it has one.
            SetOption(fd, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1);
            SetOption(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
            var address = new LibC.SockAddrNetlink { Family = LibC.AF_NETLINK, Groups = groups };
            if (LibC.bind(fd, ref address, Marshal.SizeOf<LibC.SockAddrNetlink>()) != 0)
            {
                throw new IOException($"bind(AF_NETLINK): {Marshal.GetLastPInvokeErrorMessage()}");
            }
            var length = Marshal.SizeOf<LibC.SockAddrNetlink>();
            if (LibC.getsockname(fd, ref address, ref length) != 0)
            {
                throw new IOException($"getsockname(AF_NETLINK): {Marshal.GetLastPInvokeErrorMessage()}");
            }
            return new NetlinkSocket(new Socket(new SafeSocketHandle(fd, ownsHandle: true)), address.PortId);
        }
        catch
        {
            LibC.close(fd);
            throw;
        }
    }

    private static void SetBuffer(int fd, int forced, int plain, int bytes)
    {
        // The *FORCE variants pass the rmem_max/wmem_max limits; they need CAP_NET_ADMIN.
        var value = bytes;
        if (LibC.setsockopt(fd, LibC.SOL_SOCKET, forced, ref value, sizeof(int)) != 0)
        {
            value = bytes;
            LibC.setsockopt(fd, LibC.SOL_SOCKET, plain, ref value, sizeof(int));
        }
    }

    private static void SetOption(int fd, int level, int option, int value)
    {
        if (LibC.setsockopt(fd, level, option, ref value, sizeof(int)) != 0)
        {
            throw new IOException($"setsockopt({level}, {option}): {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Attaches a classic BPF program that the kernel runs on every message before queueing it.</summary>
    public unsafe void AttachFilter(ReadOnlySpan<LibC.SockFilter> program)
    {
        fixed (LibC.SockFilter* instructions = program)
        {
            var fprog = new LibC.SockFprog { Length = (ushort)program.Length, Filter = instructions };
            if (LibC.setsockopt_filter(_socket.Handle, LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, ref fprog, Marshal.SizeOf<LibC.SockFprog>()) != 0)
            {
                throw new IOException($"setsockopt(SO_ATTACH_FILTER): {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
    }

    /// <summary>How long a blocking receive waits before it fails with <see cref="SocketError.TimedOut"/>.</summary>
    public TimeSpan ReceiveTimeout
    {
        set => _socket.ReceiveTimeout = (int)value.TotalMilliseconds;
    }

    /// <summary>Sends one buffer holding any number of netlink messages (one sendmsg).</summary>
    public void Send(ReadOnlySpan<byte> messages)
    {
        var sent = _socket.Send(messages, SocketFlags.None);
        if (sent != messages.Length)
        {
            throw new IOException($"netlink send wrote {sent} of {messages.Length} bytes");
        }
    }

    /// <summary>Sends one request that asks for an acknowledgement and reads replies until it comes (replies
    /// to other requests are skipped). Returns the request's errno (0 for success) and the kernel's words.</summary>
    public (int Error, string? Detail) Request(ReadOnlySpan<byte> message, uint sequence)
    {
        Send(message);
        Span<byte> buffer = stackalloc byte[8192];
        while (true)
        {
            var length = Receive(buffer);
            foreach (var reply in new NetlinkReader(buffer[..length]))
            {
                if (reply.Type == Rtnl.NLMSG_ERROR && reply.Sequence == sequence)
                {
                    return (-reply.ErrorCode, reply.ErrorCode == 0 ? null : reply.ExtendedAckMessage());
                }
            }
        }
    }

    /// <summary>Receives one datagram (one or more netlink messages). Throws <see cref="SocketException"/>
    /// with <see cref="SocketError.NoBufferSpaceAvailable"/> when the kernel dropped messages for us.</summary>
    public int Receive(Span<byte> buffer) => _socket.Receive(buffer, SocketFlags.None);

    /// <summary>Receives up to <paramref name="lengths"/>.Length datagrams in one recvmmsg, datagram i into
    /// <paramref name="buffer"/> at <c>i * slotBytes</c> with its length in <c>lengths[i]</c>; waits up to
    /// <paramref name="wait"/> for the first. Returns how many (0 when none came). Throws as
    /// <see cref="Receive"/> does when the kernel dropped messages for us, and also when a datagram did not
    /// fit its slot (the reader could not tell what it lost either way).</summary>
    /// <remarks>Why: a notification is a datagram of its own, and a table load brings one per entry: a
    /// receive call each is a system call each, which (in a virtual machine above all) costs more than the
    /// copy.</remarks>
    public unsafe int ReceiveMany(Span<byte> buffer, int slotBytes, Span<int> lengths, TimeSpan wait)
    {
        if (!_socket.Poll(wait, SelectMode.SelectRead))
        {
            return 0;
        }
        var count = Math.Min(lengths.Length, buffer.Length / slotBytes);
        var vectors = stackalloc LibC.IoVec[count];
        var headers = stackalloc LibC.MMsgHdr[count];
        fixed (byte* start = buffer)
        {
            for (var i = 0; i < count; i++)
            {
                vectors[i] = new LibC.IoVec { Base = start + (i * slotBytes), Length = (nuint)slotBytes };
                headers[i] = new LibC.MMsgHdr { Header = new LibC.MsgHdr { Iov = &vectors[i], IovLength = 1 } };
            }
            var received = LibC.recvmmsg(_socket.Handle, headers, (uint)count, LibC.MSG_DONTWAIT, null);
            if (received < 0)
            {
                return Marshal.GetLastPInvokeError() switch
                {
                    Errno.EAGAIN => 0,
                    Errno.ENOBUFS => throw new SocketException((int)SocketError.NoBufferSpaceAvailable),
                    _ => throw new IOException($"recvmmsg(AF_NETLINK): {Marshal.GetLastPInvokeErrorMessage()}"),
                };
            }
            for (var i = 0; i < received; i++)
            {
                if ((headers[i].Header.Flags & LibC.MSG_TRUNC) != 0)
                {
                    throw new SocketException((int)SocketError.NoBufferSpaceAvailable);
                }
                lengths[i] = (int)headers[i].Received;
            }
            return received;
        }
    }

    /// <summary>Reads and throws away every datagram queued now; returns how many. After a notification
    /// overrun the kernel marks the socket congested and drops further notifications without another
    /// ENOBUFS until the queue is empty: draining it first makes any loss during the re-dump that follows
    /// visible again (as a new ENOBUFS) instead of silent.</summary>
    public int DiscardQueued()
    {
        var buffer = new byte[64 * 1024];
        var discarded = 0;
        _socket.Blocking = false;
        try
        {
            while (true)
            {
                try
                {
                    _socket.Receive(buffer, SocketFlags.None);
                    discarded++;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    return discarded;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
                {
                    // The overrun being reported (again): what is queued is still to be thrown away.
                }
            }
        }
        finally
        {
            _socket.Blocking = true;
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public void Dispose() => _socket.Dispose();
}
