using System.Net.Sockets;

namespace Evpn.Daemon.Hosting;

/// <summary>evpnd's exit codes, so that systemd and scripts can tell why it did not start.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>evpnd could not start, or its speaker loop failed while running (systemd's Restart=on-failure
    /// restarts it then).</summary>
    public const int Failed = 1;
    public const int ConfigInvalid = Config.Loading.ConfigCheck.Invalid;
    public const int PermissionDenied = 3;
    public const int AddressInUse = 4;

    /// <summary>A start-up failure as an exit code and a sentence an operator can act on.</summary>
    public static (int Code, string Message) Describe(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } s =>
            (AddressInUse, $"cannot listen: address already in use ({s.Message}); is another BGP speaker (bgpd, gobgpd, evpnd) running?"),
        SocketException { SocketErrorCode: SocketError.AccessDenied } s =>
            (PermissionDenied, $"permission denied: {s.Message}; evpnd needs CAP_NET_BIND_SERVICE for port 179 and CAP_NET_ADMIN for netlink (run as root or under the systemd unit)"),
        SocketGroupException g => (ConfigInvalid, g.Message),
        UnauthorizedAccessException u =>
            (PermissionDenied, $"permission denied: {u.Message}"),
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } io =>
            (AddressInUse, $"cannot listen: {io.Message}"),
        _ when e.InnerException is { } inner && inner is SocketException or UnauthorizedAccessException => Describe(inner),
        _ => (Failed, $"{e.GetType().Name}: {e.Message}"),
    };
}
