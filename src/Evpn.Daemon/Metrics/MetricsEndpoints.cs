using Evpn.Daemon.Speaker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Evpn.Daemon.Metrics;

/// <summary>What the metrics listener serves: <c>GET /metrics</c> (Prometheus text) and <c>GET /healthz</c>
/// (200 "ok" once the speaker runs, 503 before). Nothing else answers there.</summary>
public static class MetricsEndpoints
{
    public const string Metrics = "/metrics";
    public const string Health = "/healthz";

    public static void Map(IEndpointRouteBuilder app, MetricsPage page, DaemonState state)
    {
        app.MapGet(Metrics, async (CancellationToken ct) =>
            Results.Text(await page.GetAsync(ct).ConfigureAwait(false), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet(Health, () => state.IsRunning
            ? Results.Text("ok\n")
            : Results.Text("starting\n", statusCode: StatusCodes.Status503ServiceUnavailable));
    }

    /// <summary>Whether <paramref name="request"/> is one of the two requests served on the metrics listener.</summary>
    public static bool Serves(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path.Equals(Metrics, StringComparison.Ordinal) || request.Path.Equals(Health, StringComparison.Ordinal));
}
