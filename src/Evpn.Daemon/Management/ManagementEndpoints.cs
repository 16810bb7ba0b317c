using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Evpn.Api;
using Evpn.Core;
using Evpn.Wire.Model;
using Microsoft.AspNetCore.Http;

namespace Evpn.Daemon.Management;

/// <summary>Answers <see cref="ApiPaths"/> from <see cref="IManagementView"/>. Query values that do not parse are
/// answered with 400 and what was expected, never silently ignored. Every document is written by
/// <see cref="ApiJsonContext"/>'s generated code; every error is a JSON string saying what is wrong, a path that
/// is not served (404) or not for this method (405) included.</summary>
public static class ManagementEndpoints
{
    /// <summary>An answer to a path: the one method it is served for, and how.</summary>
    private readonly record struct Endpoint(string Method, Func<Task> AnswerAsync);

    public static async Task AnswerAsync(HttpContext context, IManagementView view)
    {
        var request = context.Request;
        if (Find(context, view) is not { } endpoint)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"no {request.Method} {request.Path} in evpnd's management API");
            return;
        }
        if (!string.Equals(request.Method, endpoint.Method, StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"{request.Path} does not take {request.Method}");
            return;
        }
        try
        {
            await endpoint.AnswerAsync();
        }
        catch (QueryException e) when (!context.Response.HasStarted)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, e.Message);
        }
    }

    /// <summary>A JSON string with <paramref name="status"/>: what evpnctl shows as the reason.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(message, ApiJsonContext.Default.String, contentType: null, context.RequestAborted);
    }

    /// <summary>The endpoint serving the request's path, whatever the method; literal segments match without regard
    /// to case, and a trailing slash is the same path.</summary>
    private static Endpoint? Find(HttpContext context, IManagementView view)
    {
        var ct = context.RequestAborted;
        var q = new Query(context.Request.Query);
        var path = context.Request.Path.Value ?? "";
        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path[..^1];
        }
        var json = ApiJsonContext.Default;
        switch (path.ToLowerInvariant())
        {
            case ApiPaths.Summary:
                return Get(() => Ok(context, view.SummaryAsync(ct), json.SummaryDocument));
            case ApiPaths.Neighbors:
                return Get(() => Ok(context, view.NeighborsAsync(null, ct), json.IReadOnlyListNeighborDetail));
            case ApiPaths.Routes:
                return Get(() => Ok(context, view.Routes(new RouteFilter(q.RouteType(), q.Vni(), q.Rd()), ct), json.IAsyncEnumerableRouteEntry));
            case ApiPaths.Vnis:
                return Get(() => Ok(context, view.VnisAsync(ct), json.IReadOnlyListVniEntry));
            case ApiPaths.Macs:
                return Get(() => Ok(context, view.Macs(q.Vni(), ct), json.IAsyncEnumerableMacAddressEntry));
            case ApiPaths.Flood:
                return Get(() => Ok(context, view.FloodAsync(q.Vni(), ct), json.IReadOnlyListFloodListEntry));
            case ApiPaths.Explain:
                return Get(() => Ok(context, view.ExplainAsync(q.Mac() ?? throw new QueryException("mac is required"), q.Vni(), ct), json.ExplainDocument));
            case ApiPaths.ExplainRoute:
                return Get(() => ExplainRouteEndpoint.AnswerAsync(context, view));
            case ApiPaths.Audit:
                return Get(() => Ok(context, view.AuditAsync(ct), json.AuditDocument));
            case ApiPaths.Reload:
                return new Endpoint(HttpMethods.Post, () => Ok(context, view.ReloadAsync(ct), json.ActionResult));
            case ApiPaths.ClearDuplicates:
                return new Endpoint(HttpMethods.Post, async () =>
                {
                    var vni = q.Vni();
                    var cleared = await view.ClearDuplicatesAsync(vni, q.Mac(), ct);
                    await (cleared is null
                        ? ErrorAsync(context, StatusCodes.Status404NotFound, $"no VNI {vni}")
                        : Ok(context, Task.FromResult(cleared), json.ClearDuplicatesDocument));
                });
        }
        return NeighborEndpoint(context, view, path, q);
    }

    /// <summary>GET /v1/neighbors/{address}, and POST /v1/neighbors/{address}/{action}.</summary>
    private static Endpoint? NeighborEndpoint(HttpContext context, IManagementView view, string path, Query q)
    {
        if (!path.StartsWith(ApiPaths.Neighbors + "/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var ct = context.RequestAborted;
        var segments = path[(ApiPaths.Neighbors.Length + 1)..].Split('/');
        if (segments.Any(s => s.Length == 0))
        {
            return null;
        }
        var address = segments[0];
        return segments.Length switch
        {
            1 => Get(async () =>
            {
                var found = await view.NeighborsAsync(address, ct);
                await (found.Count == 0
                    ? ErrorAsync(context, StatusCodes.Status404NotFound, $"no neighbor {address}")
                    : Ok(context, Task.FromResult(found[0]), ApiJsonContext.Default.NeighborDetail));
            }),
            2 => new Endpoint(HttpMethods.Post, () => segments[1] is "shutdown" or "enable" or "clear"
                ? Ok(context, view.NeighborActionAsync(address, segments[1], q.Bool("soft"), ct), ApiJsonContext.Default.ActionResult)
                : ErrorAsync(context, StatusCodes.Status400BadRequest, $"unknown action '{segments[1]}': expected shutdown, enable or clear")),
            _ => null,
        };
    }

    private static Endpoint Get(Func<Task> answer) => new(HttpMethods.Get, answer);

    public static async Task Ok<T>(HttpContext context, Task<T> answer, JsonTypeInfo<T> type)
    {
        var document = await answer;
        await context.Response.WriteAsJsonAsync(document, type, contentType: null, context.RequestAborted);
    }

    /// <summary>A JSON array written as its items come (System.Text.Json flushes as its buffer fills), so a table
    /// of a million routes is never one document in memory. The query was checked before the first byte.</summary>
    private static Task Ok<T>(HttpContext context, IAsyncEnumerable<T> items, JsonTypeInfo<IAsyncEnumerable<T>> type) =>
        context.Response.WriteAsJsonAsync(items, type, contentType: null, context.RequestAborted);

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
