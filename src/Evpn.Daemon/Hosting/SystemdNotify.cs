using System.Net.Sockets;
using System.Text;

namespace Evpn.Daemon.Hosting;

/// <summary>sd_notify(3) for the unit's Type=notify: "READY=1" once the speaker, the management socket
/// and the listener are up, "STOPPING=1" when a stop begins. A datagram to $NOTIFY_SOCKET; nothing
/// happens outside systemd. (Microsoft.Extensions.Hosting.Systemd is not in the shared framework.)</summary>
public static class SystemdNotify
{
    public static void Send(string state)
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        // An abstract socket is written with a leading '@' and addressed with a leading NUL.
        var address = path[0] == '@' ? "\0" + path[1..] : path;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.SendTo(Encoding.UTF8.GetBytes(state), new UnixDomainSocketEndPoint(address));
    }
}
