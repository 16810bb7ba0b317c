using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Evpn.Interop.Tests.Harness;

/// <summary>ExaBGP's view: the JSON messages it received (one per line, `interop/lab routes RUN NODE`), replayed
/// in order into the table of routes currently announced to it. Shapes (ExaBGP 4.2): {type: "state", neighbor:
/// {address: {peer}, state}}; {type: "update", neighbor: {address: {peer}, message: {update: {attribute:
/// {extended-community: [{string}], pmsi: "pmsi:TYPE:FLAGS:LABEL(RAW):TUNNEL", originator-id, cluster-list},
/// announce: {"l2vpn evpn": {NEXTHOP: [{code, rd, ip | mac}]}}, withdraw: {"l2vpn evpn": [...]}}}}}.
/// ExaBGP reads the PMSI label as an MPLS label; the raw 24-bit field in parentheses is the VNI for VXLAN.</summary>
public sealed partial class ExabgpView(Lab lab, string run, string node) : ISpeakerView
{
    public async Task<bool> IsEstablishedAsync(string peerIp)
    {
        string? last = null;
        foreach (var message in await MessagesAsync())
        {
            var root = message.RootElement;
            if (Str(root, "type") == "state" && PeerOf(root) == peerIp)
            {
                last = Str(root.GetProperty("neighbor"), "state");
            }
            message.Dispose();
        }
        return last == "up";
    }

    public async Task<IReadOnlyList<EvpnRouteView>> RoutesAsync()
    {
        var table = new Dictionary<string, EvpnRouteView>(StringComparer.Ordinal);
        foreach (var message in await MessagesAsync())
        {
            using (message)
            {
                var root = message.RootElement;
                if (Str(root, "type") != "update"
                    || !root.GetProperty("neighbor").TryGetProperty("message", out var m)
                    || !m.TryGetProperty("update", out var update))
                {
                    continue;
                }
                var from = PeerOf(root);
                if (update.TryGetProperty("withdraw", out var withdraw) && withdraw.TryGetProperty("l2vpn evpn", out var gone))
                {
                    foreach (var nlri in gone.EnumerateArray())
                    {
                        table.Remove(Key(nlri));
                    }
                }
                if (update.TryGetProperty("announce", out var announce) && announce.TryGetProperty("l2vpn evpn", out var byNextHop))
                {
                    var attributes = update.GetProperty("attribute");
                    foreach (var nextHop in byNextHop.EnumerateObject())
                    {
                        foreach (var nlri in nextHop.Value.EnumerateArray())
                        {
                            table[Key(nlri)] = Route(nlri, nextHop.Name, attributes, from);
                        }
                    }
                }
            }
        }
        return [.. table.Values];
    }

    private async Task<IReadOnlyList<JsonDocument>> MessagesAsync()
    {
        var text = (await lab.RunAsync(LabPaths.LabCli, ["routes", run, node], Lab.QueryTimeout)).StandardOutput;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line))
            .ToArray();
    }

    private static EvpnRouteView Route(JsonElement nlri, string nextHop, JsonElement attributes, string? from)
    {
        var type = nlri.GetProperty("code").GetInt32();
        string? pmsiType = null;
        uint? pmsiLabel = null;
        if (Str(attributes, "pmsi") is { } pmsi && PmsiPattern().Match(pmsi) is { Success: true } match)
        {
            pmsiType = match.Groups["type"].Value == "ingressreplication" ? "Ingress Replication" : match.Groups["type"].Value;
            pmsiLabel = uint.Parse(match.Groups["raw"].Value, CultureInfo.InvariantCulture);
        }
        var communities = attributes.TryGetProperty("extended-community", out var ec)
            ? ec.EnumerateArray().Select(c => Community(Str(c, "string") ?? c.GetRawText())).ToArray()
            : [];
        return new EvpnRouteView(
            type,
            Str(nlri, "rd") ?? "",
            type == 3 ? Str(nlri, "ip") : null,
            type == 2 ? Str(nlri, "mac")?.ToLowerInvariant() : null,
            nextHop,
            pmsiType,
            pmsiLabel,
            communities,
            false,
            from,
            Str(attributes, "originator-id"),
            attributes.TryGetProperty("cluster-list", out var cl) ? cl.EnumerateArray().Select(c => c.GetString()!).ToArray() : []);
    }

    /// <summary>ExaBGP's names for the communities the tests look at, in FRR's wording.</summary>
    private static string Community(string text) => text switch
    {
        "encap:VXLAN" => "ET:8",
        _ when text.StartsWith("target:", StringComparison.Ordinal) => "RT:" + text["target:".Length..],
        _ => text,
    };

    private static string Key(JsonElement nlri) =>
        $"{Str(nlri, "rd")}|{nlri.GetProperty("code").GetInt32()}|{Str(nlri, "ip")}|{Str(nlri, "mac")?.ToLowerInvariant()}";

    private static string? PeerOf(JsonElement root) =>
        root.TryGetProperty("neighbor", out var n) && n.TryGetProperty("address", out var a) ? Str(a, "peer") : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex(@"^pmsi:(?<type>[a-z-]+):\d+:\d+\((?<raw>\d+)\):")]
    private static partial Regex PmsiPattern();
}
