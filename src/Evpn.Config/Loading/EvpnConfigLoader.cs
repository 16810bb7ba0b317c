using Evpn.Config.Options;
using Evpn.Config.Validation;
using Evpn.Config.Yaml;

namespace Evpn.Config.Loading;

/// <summary>Reads an evpnd YAML file into a validated <see cref="EvpnConfig"/>, or every error in it.</summary>
/// <remarks>
///   Two passes. The first reads each key against its rule and reports syntax errors, unknown or duplicate
///   keys and bad values, all of them. The second (<see cref="ConfigValidator"/>) checks relations between
///   keys (duplicate neighbors, RD collisions, passwords on ranges...) and runs only when the first found
///   nothing, because values that failed to parse would otherwise be judged as their defaults.
/// </remarks>
public static class EvpnConfigLoader
{
    private static readonly string[] RootKeys = ["router", "neighbors", "evpn", "data-plane", "management", "metrics", "logging", "mrt-dump"];

    public static ConfigResult Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ConfigResult.Invalid([new ConfigError(path, 0, 0, string.Empty, null, null, $"cannot read the file: {e.Message}")]);
        }
        return Parse(text, path);
    }

    /// <param name="fileName">The name errors start with; usually the path the text was read from.</param>
    public static ConfigResult Parse(string yaml, string fileName)
    {
        var ctx = new ReadContext(fileName);
        var tree = YTreeReader.Read(yaml);
        if (tree.Error is { } syntax)
        {
            ctx.Error(syntax.Position, string.Empty, syntax.Message);
            return ConfigResult.Invalid(ctx.Errors);
        }
        var start = new SourcePosition(1, 1);
        if (tree.Root is null or YScalar { IsNull: true })
        {
            ctx.Error(start, string.Empty, "expected a mapping with at least 'router', found an empty document");
            return ConfigResult.Invalid(ctx.Errors);
        }
        var root = MappingReader.Open(ctx, tree.Root, string.Empty, start, RootKeys);
        if (root is null)
        {
            return ConfigResult.Invalid(ctx.Errors);
        }
        var config = Read(ctx, root);
        if (ctx.Errors.Count == 0 && config is not null)
        {
            ConfigValidator.Validate(ctx, config);
        }
        return ctx.Errors.Count == 0 && config is not null ? ConfigResult.Valid(config) : ConfigResult.Invalid(ctx.Errors);
    }

    private static EvpnConfig? Read(ReadContext ctx, MappingReader root)
    {
        var router = RouterSection.Read(ctx, root.Node("router"), root.Position);
        var neighbors = new List<NeighborOptions>();
        foreach (var (item, path) in root.Items("neighbors"))
        {
            if (NeighborSection.Read(ctx, item, path) is { } neighbor)
            {
                neighbors.Add(neighbor);
            }
        }
        var evpn = EvpnSection.Read(ctx, root.Node("evpn"), root.Position);
        var dataPlane = ServiceSections.ReadDataPlane(ctx, root.Node("data-plane"), root.Position);
        var management = ServiceSections.ReadManagement(ctx, root.Node("management"), root.Position);
        var metrics = ServiceSections.ReadMetrics(ctx, root.Node("metrics"), root.Position);
        var logging = ServiceSections.ReadLogging(ctx, root.Node("logging"), root.Position);
        var mrt = ServiceSections.ReadMrtDump(ctx, root.Node("mrt-dump"), root.Child("mrt-dump"));
        return router is null
            ? null
            : new EvpnConfig(router, neighbors.ToArray(), evpn, dataPlane, management, metrics, logging, mrt);
    }
}
