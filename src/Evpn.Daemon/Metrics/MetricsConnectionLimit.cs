using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Evpn.Daemon.Metrics;

/// <summary>How many connections the metrics listener holds open at once. Any local user (or anyone who can reach a
/// non-loopback metrics address) may connect there, and each connection holds buffers until Kestrel's idle timeout
/// ends it; beyond the limit a new connection is closed as soon as it is accepted. The management socket and the
/// BGP sessions are not touched by it.</summary>
internal sealed class MetricsConnectionLimit(int limit)
{
    /// <summary>Prometheus and a few people with curl need far fewer.</summary>
    public const int Default = 32;

    private int _open;

    public void Apply(ListenOptions metrics) => metrics.Use(next => async connection =>
    {
        if (Interlocked.Increment(ref _open) > limit)
        {
            Interlocked.Decrement(ref _open);
            connection.Abort();
            return;
        }
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    });
}
