using Evpn.Daemon.Speaker;
using Microsoft.AspNetCore.Http;

namespace Evpn.Daemon.Metrics;

/// <summary>What the metrics listener serves: <c>GET /metrics</c> (Prometheus text) and <c>GET /healthz</c>
/// (200 "ok" once the speaker runs, 503 before). Nothing else answers there.</summary>
public sealed class MetricsEndpoints(MetricsPage page, DaemonState state)
{
    public const string Metrics = "/metrics";
    public const string Health = "/healthz";

    /// <summary>Whether <paramref name="request"/> is one of the two requests served here.</summary>
    public static bool Serves(HttpRequest request) => HttpMethods.IsGet(request.Method)
        && (request.Path.Equals(Metrics, StringComparison.Ordinal) || request.Path.Equals(Health, StringComparison.Ordinal));

    /// <summary>The answer to a request that <see cref="Serves"/>.</summary>
    public async Task AnswerAsync(HttpContext context)
    {
        if (context.Request.Path.Equals(Metrics, StringComparison.Ordinal))
        {
            var text = await page.GetAsync(context.RequestAborted).ConfigureAwait(false);
            await TextAsync(context, StatusCodes.Status200OK, "text/plain; version=0.0.4; charset=utf-8", text).ConfigureAwait(false);
            return;
        }
        await (state.IsRunning
            ? TextAsync(context, StatusCodes.Status200OK, "text/plain; charset=utf-8", "ok\n")
            : TextAsync(context, StatusCodes.Status503ServiceUnavailable, "text/plain; charset=utf-8", "starting\n")).ConfigureAwait(false);
    }

    private static Task TextAsync(HttpContext context, int status, string contentType, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(text);
        return response.WriteAsync(text, context.RequestAborted);
    }
}
