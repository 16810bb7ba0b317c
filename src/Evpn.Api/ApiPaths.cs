namespace Evpn.Api;

/// <summary>The management API's HTTP paths. evpnd serves them on its Unix socket; evpnctl calls them.</summary>
public static class ApiPaths
{
    public const string Summary = "/v1/summary";
    public const string Neighbors = "/v1/neighbors";
    public const string Routes = "/v1/routes";
    public const string Vnis = "/v1/vnis";
    public const string Macs = "/v1/macs";
    public const string Flood = "/v1/flood";
    public const string Explain = "/v1/explain";
    public const string ExplainRoute = "/v1/explain/route";
    public const string Audit = "/v1/audit";
    public const string Reload = "/v1/reload";

    /// <summary>POST, query vni=N and mac=M both optional: FRR's <c>clear evpn dup-addr vni &lt;N|all&gt; [mac M]</c>.</summary>
    public const string ClearDuplicates = "/v1/macs/clear-duplicates";

    /// <summary>POST /v1/neighbors/{address}/{action} with action shutdown, enable or clear (query soft=true).</summary>
    public static string NeighborAction(string address, string action) => $"{Neighbors}/{Uri.EscapeDataString(address)}/{action}";
    public static string Neighbor(string address) => $"{Neighbors}/{Uri.EscapeDataString(address)}";

    /// <summary>Builds <c>path?name=value&amp;...</c> from the values that are set.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] parameters)
    {
        var set = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return set.Count == 0 ? path : $"{path}?{string.Join('&', set)}";
    }
}
