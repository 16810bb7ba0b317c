using System.Globalization;
using System.Threading.RateLimiting;
using Evpn.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Evpn.Daemon.Management;

/// <summary>How many management requests evpnd answers at once: each one in flight holds a slice of a table and a
/// serializer's buffers, and its queries take turns with the peers' messages on the speaker loop. Beyond
/// <see cref="Waiting"/> more, a request is refused with 503 at once rather than queued without bound. The route
/// and MAC tables have their own limit, so that scripts pulling whole tables do not keep `show summary`, a
/// neighbor action or a reload waiting behind them.</summary>
internal static class ApiLimits
{
    public const int InFlight = 8;
    public const int Waiting = 64;

    public static readonly string Busy = string.Create(CultureInfo.InvariantCulture,
        $"evpnd is busy: {InFlight} management requests of this kind are being answered and {Waiting} are waiting; try again in a moment");

    /// <summary>Limits for the requests on the management socket; the metrics listener is not limited here (a
    /// scrape is answered from a page made at most once a second).</summary>
    public static void Configure(RateLimiterOptions options)
    {
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => ManagementSocket.IsOn(context)
            ? RateLimitPartition.GetConcurrencyLimiter(IsTable(context.Request) ? "tables" : "management", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = InFlight,
                QueueLimit = Waiting,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            : RateLimitPartition.GetNoLimiter("metrics"));
        options.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
        options.OnRejected = (rejected, cancellationToken) =>
        {
            rejected.HttpContext.Response.Headers.RetryAfter = "1";
            return new ValueTask(rejected.HttpContext.Response.WriteAsync(Busy, cancellationToken));
        };
    }

    private static bool IsTable(HttpRequest request) =>
        request.Path.Equals(ApiPaths.Routes, StringComparison.Ordinal) || request.Path.Equals(ApiPaths.Macs, StringComparison.Ordinal);
}
