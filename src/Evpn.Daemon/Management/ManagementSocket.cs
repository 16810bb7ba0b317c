using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Evpn.Daemon.Management;

/// <summary>Which listener a request came in on. The management API is served only on the Unix socket, whose
/// file permissions are its access control; the metrics listener is a TCP port that any local user (or, on a
/// non-loopback address, anyone who can reach it) may connect to. Connections accepted on the socket are marked
/// when they are accepted; a request without the mark is not on the socket.</summary>
internal static class ManagementSocket
{
    private const string Mark = "evpnd.management-socket";

    /// <summary>Marks every connection accepted on <paramref name="socket"/>.</summary>
    public static void MarkConnections(ListenOptions socket) => socket.Use(next => connection =>
    {
        connection.Items[Mark] = true;
        return next(connection);
    });

    public static bool IsOn(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Mark) == true;
}
