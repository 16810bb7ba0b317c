namespace Evpn.Config.Loading;

/// <summary>`evpnd --check-config FILE`: validate, print the outcome, return the process exit code.</summary>
public static class ConfigCheck
{
    public const int Valid = 0;
    /// <summary>evpnd's exit code for an invalid configuration, also when it refuses to start.</summary>
    public const int Invalid = 2;

    /// <summary>Writes a one-line summary to <paramref name="output"/> when the file is valid, or every error,
    /// one per line, to <paramref name="errors"/> when it is not.</summary>
    public static int Run(string path, TextWriter output, TextWriter errors) =>
        Report(path, EvpnConfigLoader.Load(path), output, errors);

    /// <summary>The same for a file already loaded (evpnd loads once, then either reports or runs).</summary>
    public static int Report(string path, ConfigResult result, TextWriter output, TextWriter errors)
    {
        if (!result.IsValid)
        {
            foreach (var error in result.Errors)
            {
                errors.WriteLine(error);
            }
            errors.WriteLine($"{path}: {result.Errors.Length} error{(result.Errors.Length == 1 ? string.Empty : "s")}");
            return Invalid;
        }
        var c = result.Config;
        output.WriteLine($"{path}: valid (AS {c.Router.Asn}, router-id {c.Router.RouterId}, {c.Neighbors.Count} neighbor{(c.Neighbors.Count == 1 ? string.Empty : "s")}, {c.Evpn.Vnis.Count} explicit VNI{(c.Evpn.Vnis.Count == 1 ? string.Empty : "s")})");
        return Valid;
    }
}
