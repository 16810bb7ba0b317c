using System.Globalization;
using Evpn.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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
            Streamed(request, q => view().Routes(new RouteQuery(q.Int("type"), q.Vni(), q.Text("rd")), ct)));
        app.MapGet(ApiPaths.Vnis, (CancellationToken ct) => view().VnisAsync(ct));
        app.MapGet(ApiPaths.Macs, (HttpRequest request, CancellationToken ct) => Streamed(request, q => view().Macs(q.Vni(), ct)));
        app.MapGet(ApiPaths.Flood, (HttpRequest request, CancellationToken ct) => WithQuery(request, q => view().FloodAsync(q.Vni(), ct)));
        app.MapGet(ApiPaths.Explain, (HttpRequest request, CancellationToken ct) =>
            WithQuery(request, q => view().ExplainAsync(q.Text("mac") ?? throw new QueryException("mac is required"), q.Vni(), ct)));
        ExplainRouteEndpoint.Map(app, view);
        app.MapGet(ApiPaths.Audit, (CancellationToken ct) => view().AuditAsync(ct));
        app.MapPost(ApiPaths.Reload, (CancellationToken ct) => view().ReloadAsync(ct));
        app.MapPost(ApiPaths.ClearDuplicates, async Task<Results<Ok<ClearDuplicatesDocument>, NotFound<string>, BadRequest<string>>> (HttpRequest request, CancellationToken ct) =>
        {
            try
            {
                var q = new Query(request.Query);
                var vni = q.Vni();
                var cleared = await view().ClearDuplicatesAsync(vni, q.Text("mac"), ct);
                return cleared is null ? TypedResults.NotFound($"no VNI {vni}") : TypedResults.Ok(cleared);
            }
            catch (Exception e) when (e is QueryException or ArgumentException)
            {
                return TypedResults.BadRequest(e.Message);
            }
        });
        app.MapPost(ApiPaths.Neighbors + "/{address}/{action}", (string address, string action, HttpRequest request, CancellationToken ct) =>
            action is "shutdown" or "enable" or "clear"
                ? WithQuery(request, q => view().NeighborActionAsync(address, action, q.Bool("soft"), ct))
                : Task.FromResult<Results<Ok<ActionResult>, BadRequest<string>>>(TypedResults.BadRequest($"unknown action '{action}': expected shutdown, enable or clear")));
    }

    private static async Task<Results<Ok<T>, BadRequest<string>>> WithQuery<T>(HttpRequest request, Func<Query, Task<T>> answer)
    {
        try
        {
            return TypedResults.Ok(await answer(new Query(request.Query)));
        }
        catch (Exception e) when (e is QueryException or ArgumentException)
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
        catch (Exception e) when (e is QueryException or ArgumentException)
        {
            return Results.BadRequest(e.Message);
        }
    }

    private sealed class QueryException(string message) : Exception(message);

    private readonly struct Query(IQueryCollection query)
    {
        public string? Text(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v.ToString() : null;

        public int? Int(string name) => Text(name) is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new QueryException($"{name}: expected a number, found '{text}'")
            : null;

        public uint? Vni() => Text("vni") is { } text
            ? uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 0xFF_FFFF
                ? n
                : throw new QueryException($"vni: expected 1..16777215, found '{text}'")
            : null;

        public bool Bool(string name) => Text(name) is { } text && (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));
    }
}
