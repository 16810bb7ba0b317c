using System.Threading.RateLimiting;
using Evpn.Api;
using Microsoft.AspNetCore.Http;

namespace Evpn.Daemon.Management;

/// <summary>How many management requests evpnd answers at once: each one in flight holds a slice of a table and a
/// serializer's buffers, and its queries take turns with the peers' messages on the speaker loop. Beyond
/// <see cref="Waiting"/> more, a request is refused with 503 at once rather than queued without bound. The route
/// and MAC tables have their own limit, so that scripts pulling whole tables do not keep `show summary`, a
/// neighbor action or a reload waiting behind them.</summary>
internal sealed class ApiLimits
{
    /// <summary>Route and MAC tables streamed at once: each takes a core's share of serializing (about 650 octets
    /// of JSON a route), so more at once only makes each one slower.</summary>
    public const int TablesInFlight = 4;

    /// <summary>Every other request (summaries, neighbors, actions, reload) answered at once.</summary>
    public const int InFlight = 8;

    /// <summary>Requests of either kind that wait for their turn; more are refused.</summary>
    public const int Waiting = 64;

    private readonly ConcurrencyLimiter _tables = Limit(TablesInFlight);
    private readonly ConcurrencyLimiter _requests = Limit(InFlight);

    /// <summary>The 503's text: what is full, and that trying again is the remedy.</summary>
    public static string Busy(bool table) => table
        ? $"evpnd is busy: it streams {TablesInFlight} route or MAC tables at once and {Waiting} more are waiting; try again in a moment"
        : $"evpnd is busy: it answers {InFlight} management requests at once and {Waiting} more are waiting; try again in a moment";

    /// <summary>Runs <paramref name="answer"/> when its turn comes, or refuses with 503 and Retry-After when too
    /// many are waiting already. Only requests on the management socket come here; the metrics listener is not
    /// limited here (a scrape is answered from a page made at most once a second).</summary>
    public async Task RunAsync(HttpContext context, Func<Task> answer)
    {
        var table = IsTable(context.Request);
        using var lease = await (table ? _tables : _requests).AcquireAsync(1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync(Busy(table), context.RequestAborted);
            return;
        }
        await answer();
    }

    private static ConcurrencyLimiter Limit(int inFlight) =>
        new(new ConcurrencyLimiterOptions { PermitLimit = inFlight, QueueLimit = Waiting, QueueProcessingOrder = QueueProcessingOrder.OldestFirst });

    private static bool IsTable(HttpRequest request) =>
        request.Path.Equals(ApiPaths.Routes, StringComparison.OrdinalIgnoreCase) || request.Path.Equals(ApiPaths.Macs, StringComparison.OrdinalIgnoreCase);
}
