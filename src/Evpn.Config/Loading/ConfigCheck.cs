namespace Evpn.Config.Loading;

/// <summary>`evpnd --check-config FILE`: validate, print the outcome, return the process exit code.</summary>
public static class ConfigCheck
{
    public const int Valid = 0;
    public const int Invalid = 1;

    /// <summary>Writes a one-line summary to <paramref name="output"/> when the file is valid, or every error,
    /// one per line, to <paramref name="errors"/> when it is not.</summary>
    public static int Run(string path, TextWriter output, TextWriter errors)
    {
        var result = EvpnConfigLoader.Load(path);
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
