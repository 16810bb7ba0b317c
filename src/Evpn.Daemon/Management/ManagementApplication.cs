using Evpn.Daemon.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Evpn.Daemon.Management;

/// <summary>What Kestrel runs for each request on either listener. On the management socket: the management API
/// and the metrics endpoints, within <see cref="ApiLimits"/>. Elsewhere (the metrics port) only the metrics
/// endpoints; anything else is 404, as if the management API did not exist there.</summary>
internal sealed class ManagementApplication(IManagementView view, MetricsEndpoints metrics) : IHttpApplication<HttpContext>
{
    private readonly ApiLimits _limits = new();

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public Task ProcessRequestAsync(HttpContext context)
    {
        if (ManagementSocket.IsOn(context))
        {
            return _limits.RunAsync(context, () => MetricsEndpoints.Serves(context.Request)
                ? metrics.AnswerAsync(context)
                : ManagementEndpoints.AnswerAsync(context, view));
        }
        if (MetricsEndpoints.Serves(context.Request))
        {
            return metrics.AnswerAsync(context);
        }
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }
}
