using System.Globalization;
using Evpn.Api;
using Evpn.Core;
using Evpn.Wire.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;

namespace Evpn.Daemon.Management;

/// <summary>Maps <see cref="ApiPaths"/> onto <see cref="IManagementView"/>. Query values that do not
/// parse are answered with 400 and what was expected, never silently ignored. Every answer has its document type
/// in its signature (typed results), so its JSON is written by <see cref="ApiJsonContext"/>'s generated code.</summary>
public static class ManagementEndpoints
{
    public static void Map(IEndpointRouteBuilder app, Func<IManagementView> view)
    {
        app.MapGet(ApiPaths.Summary, (CancellationToken ct) => view().SummaryAsync(ct));
        app.MapGet(ApiPaths.Neighbors, (CancellationToken ct) => view().NeighborsAsync(null, ct));
        app.MapGet(ApiPaths.Neighbors + "/{address}", async Task<Results<Ok<NeighborDetail>, NotFound<string>>> (string address, CancellationToken ct) =>
        {
            var found = await view().NeighborsAsync(address, ct);
            return found.Count == 0 ? TypedResults.NotFound($"no neighbor {address}") : TypedResults.Ok(found[0]);
        });
        app.MapGet(ApiPaths.Routes, (HttpRequest request, CancellationToken ct) =>
            Streamed(request, q => view().Routes(new RouteFilter(q.RouteType(), q.Vni(), q.Rd()), ct)));
        app.MapGet(ApiPaths.Vnis, (CancellationToken ct) => view().VnisAsync(ct));
        app.MapGet(ApiPaths.Macs, (HttpRequest request, CancellationToken ct) => Streamed(request, q => view().Macs(q.Vni(), ct)));
        app.MapGet(ApiPaths.Flood, (HttpRequest request, CancellationToken ct) => WithQuery(request, q => view().FloodAsync(q.Vni(), ct)));
        app.MapGet(ApiPaths.Explain, (HttpRequest request, CancellationToken ct) =>
            WithQuery(request, q => view().ExplainAsync(q.Mac() ?? throw new QueryException("mac is required"), q.Vni(), ct)));
        ExplainRouteEndpoint.Map(app, view);
        app.MapGet(ApiPaths.Audit, (CancellationToken ct) => view().AuditAsync(ct));
        app.MapPost(ApiPaths.Reload, (CancellationToken ct) => view().ReloadAsync(ct));
        app.MapPost(ApiPaths.ClearDuplicates, async Task<Results<Ok<ClearDuplicatesDocument>, NotFound<string>, BadRequest<string>>> (HttpRequest request, CancellationToken ct) =>
        {
            try
            {
                var q = new Query(request.Query);
                var vni = q.Vni();
                var cleared = await view().ClearDuplicatesAsync(vni, q.Mac(), ct);
                return cleared is null ? TypedResults.NotFound($"no VNI {vni}") : TypedResults.Ok(cleared);
            }
            catch (QueryException e)
            {
                return TypedResults.BadRequest(e.Message);
            }
        });
        app.MapPost(ApiPaths.Neighbors + "/{address}/{action}", (string address, string action, HttpRequest request, CancellationToken ct) =>
            action is "shutdown" or "enable" or "clear"
                ? WithQuery(request, q => view().NeighborActionAsync(address, action, q.Bool("soft"), ct))
                : Task.FromResult<Results<Ok<ActionResult>, BadRequest<string>>>(TypedResults.BadRequest($"unknown action '{action}': expected shutdown, enable or clear")));
    }

    /// <summary>Ahead of the endpoints: the errors routing answers without a body (no such path: 404; a path served
    /// for another method: 405) get a JSON message like every other error, rather than an empty body.</summary>
    public static void UseErrorMessages(IApplicationBuilder app) => app.UseStatusCodePages(context =>
    {
        var request = context.HttpContext.Request;
        var message = context.HttpContext.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
            ? $"{request.Path} does not take {request.Method}"
            : $"no {request.Method} {request.Path} in evpnd's management API";
        return context.HttpContext.Response.WriteAsJsonAsync(message, ApiJsonContext.Default.String);
    });

    /// <summary>The API's JSON: indented, written by the documents' generated serializers.</summary>
    public static void ConfigureJson(JsonOptions options)
    {
        options.SerializerOptions.WriteIndented = true;
        options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
    }

    private static async Task<Results<Ok<T>, BadRequest<string>>> WithQuery<T>(HttpRequest request, Func<Query, Task<T>> answer)
    {
        try
        {
            return TypedResults.Ok(await answer(new Query(request.Query)));
        }
        catch (QueryException e)
        {
            return TypedResults.BadRequest(e.Message);
        }
    }

    /// <summary>A JSON array written as its items come (System.Text.Json flushes as its buffer fills), so a table
    /// of a million routes is never one document in memory. The query is checked before the first byte.</summary>
    private static IResult Streamed<T>(HttpRequest request, Func<Query, IAsyncEnumerable<T>> answer)
    {
        try
        {
            return Results.Ok(answer(new Query(request.Query)));
        }
        catch (QueryException e)
        {
            return Results.BadRequest(e.Message);
        }
    }

    private sealed class QueryException(string message) : Exception(message);

    private readonly struct Query(IQueryCollection query)
    {
        public string? Text(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v.ToString() : null;

        /// <summary>Route types are one octet (RFC 7432 section 7); 0 is none.</summary>
        public EvpnRouteType? RouteType() => Text("type") is { } text
            ? byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n != 0
                ? (EvpnRouteType)n
                : throw new QueryException($"type: expected a route type 1..255, found '{text}'")
            : null;

        public MacAddress? Mac() => Text("mac") is { } text
            ? MacAddress.TryParse(text, out var mac) ? mac : throw new QueryException($"mac: '{text}' is not a MAC address")
            : null;

        public RouteDistinguisher? Rd() => Text("rd") is { } text
            ? RouteDistinguisher.TryParse(text, out var rd) ? rd : throw new QueryException($"rd: '{text}' is not ASN:NN or A.B.C.D:NN")
            : null;

        public uint? Vni() => Text("vni") is { } text
            ? uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 0xFF_FFFF
                ? n
                : throw new QueryException($"vni: expected 1..16777215, found '{text}'")
            : null;

        public bool Bool(string name) => Text(name) switch
        {
            null => false,
            "1" => true,
            "0" => false,
            var text when bool.TryParse(text, out var value) => value,
            var text => throw new QueryException($"{name}: expected true or false, found '{text}'"),
        };
    }
}
