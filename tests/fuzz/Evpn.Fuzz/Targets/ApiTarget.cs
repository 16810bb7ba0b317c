using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Evpn.Fuzz.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace Evpn.Fuzz.Targets;

/// <summary>A request to the management API, answered by evpnd's own endpoints (<see cref="ApiServer"/>). Every
/// request gets a defined answer: 200 with a JSON document, or 400/404/405 with a JSON string saying what is wrong, and a
/// 400 never reaches the view. A request that reached the view, sent again as evpnctl writes it, reaches the view
/// with the same values and gets the same status, and those values are the ones the request gave.</summary>
public sealed class ApiTarget : IFuzzTarget
{
    private static readonly Lazy<ApiServer> Server = new(ApiServer.Start);
    private static readonly int[] Statuses = [200, 400, 404, 405];

    public string Name => "api";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!ApiRequest.TryParse(input, out var request))
        {
            return;
        }
        var answer = Check(request);
        if (answer.Rendered is not { } rendered)
        {
            return;
        }
        var again = Check(ApiRequest.Of(rendered.Method, rendered.PathAndQuery));
        PropertyViolation.Unless(again.Rendered == rendered && again.Status == answer.Status,
            $"{request.Method} {request.Path}{request.Query} reached the view as {rendered} with {answer.Status}; sent so, it reached it as {again.Rendered} with {again.Status}");
        CheckSameValues(request, rendered.PathAndQuery);
    }

    /// <summary>The view was asked for the values the request gave: each query value it was asked with is in the
    /// request and reads the same there, number for number (0100 is 100; 356 read as 100 is not).</summary>
    private static void CheckSameValues(ApiRequest request, string rendered)
    {
        var question = rendered.IndexOf('?');
        if (question < 0)
        {
            return;
        }
        var given = QueryHelpers.ParseQuery(request.Query);
        foreach (var (name, value) in QueryHelpers.ParseQuery(rendered[question..]))
        {
            PropertyViolation.Unless(given.TryGetValue(name, out var was) && SameValue(was.ToString(), value.ToString()),
                $"{request.Method} {request.Path}{request.Query} reached the view as {rendered}: {name} is not what the request gave");
        }
    }

    /// <summary>Whether two texts of a value say the same: the same parts between separators (MAC octets, RD and
    /// address parts), each the same number (hexadecimal reads decimal digits alike) or the same word; a flag set
    /// is "true" or "1".</summary>
    private static bool SameValue(string given, string rendered)
    {
        if (rendered == "true")
        {
            return given.Equals("true", StringComparison.OrdinalIgnoreCase) || given == "1";
        }
        var a = given.Split(Separators);
        var b = rendered.Split(Separators);
        return a.Length == b.Length && a.Zip(b).All(p => Number(p.First) is { } x && Number(p.Second) is { } y
            ? x == y
            : p.First.Equals(p.Second, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly char[] Separators = [':', '-', '.'];

    private static BigInteger? Number(string text) =>
        text.Length > 0 && BigInteger.TryParse("0" + text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static ApiServer.Answer Check(ApiRequest request)
    {
        var answer = Server.Value.Send(request);
        var what = $"{request.Method} {request.Path}{request.Query}: {answer.Status} {answer.ContentType} {answer.Body}";
        PropertyViolation.Unless(Statuses.Contains(answer.Status), $"status outside {string.Join('/', Statuses)}: {what}");
        PropertyViolation.Unless(answer.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true, $"not JSON: {what}");
        using var document = JsonDocument.Parse(answer.Body);
        if (answer.Status != 200)
        {
            PropertyViolation.Unless(document.RootElement.ValueKind == JsonValueKind.String && document.RootElement.GetString()!.Length > 0,
                $"an error without a message: {what}");
        }
        PropertyViolation.Unless(answer.Status != 400 || answer.Rendered is null, $"a refused request reached the view as {answer.Rendered}: {what}");
        return answer;
    }
}
