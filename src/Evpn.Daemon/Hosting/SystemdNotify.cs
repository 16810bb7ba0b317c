using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Evpn.Daemon.Hosting;

/// <summary>sd_notify(3) for the unit's Type=notify: "READY=1" once the speaker, the management socket
/// and the listener are up, "STOPPING=1" when a stop begins, "WATCHDOG=1" and "STATUS=..." from the speaker
/// loop. A datagram to $NOTIFY_SOCKET; nothing happens outside systemd. (Microsoft.Extensions.Hosting.Systemd
/// is not in the shared framework.)</summary>
public static class SystemdNotify
{
    public static bool IsAvailable => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>systemd's WatchdogSec for this process (sd_watchdog_enabled(3): $WATCHDOG_USEC, and
    /// $WATCHDOG_PID naming this process when set); null when the watchdog is off.</summary>
    public static TimeSpan? WatchdogTimeout()
    {
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }
        return ulong.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;
    }

    /// <summary>Sends <paramref name="state"/>; false when it could not be delivered. Never blocks (a busy
    /// systemd must not stall the speaker loop) and never throws: like sd_notify's, a failure changes nothing
    /// for evpnd.</summary>
    public static bool Send(string state)
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }
        // An abstract socket is written with a leading '@' and addressed with a leading NUL.
        var address = path[0] == '@' ? "\0" + path[1..] : path;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
            socket.SendTo(Encoding.UTF8.GetBytes(state), new UnixDomainSocketEndPoint(address));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
