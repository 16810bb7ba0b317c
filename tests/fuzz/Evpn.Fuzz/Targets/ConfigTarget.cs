using System.Text;
using Evpn.Config.Loading;

namespace Evpn.Fuzz.Targets;

/// <summary>A configuration file as evpnd and <c>evpnd --check</c> load it: a valid configuration or errors,
/// each at a line and column inside the file; never an exception.</summary>
public sealed class ConfigTarget : IFuzzTarget
{
    private const string FileName = "fuzz.yaml";

    public string Name => "config";

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = EvpnConfigLoader.Parse(text, FileName);
        PropertyViolation.Unless(result.IsValid == result.Errors.IsEmpty, $"valid={result.IsValid} with {result.Errors.Length} errors");
        if (result.IsValid)
        {
            return;
        }
        // YAML 1.1 line breaks, as the parser counts lines (section 5.4), NEL and the Unicode separators included.
        var lines = text.Split(["\r\n", "\r", "\n", "\u0085", "\u2028", "\u2029"], StringSplitOptions.None);
        foreach (var error in result.Errors)
        {
            PropertyViolation.Unless(error.File == FileName && !string.IsNullOrWhiteSpace(error.Message), $"error without file or message: {error}");
            PropertyViolation.Unless(error.Line >= 1 && error.Line <= lines.Length, $"error at line {error.Line} of a {lines.Length}-line file: {error}");
            var line = lines[error.Line - 1];
            PropertyViolation.Unless(error.Column >= 1 && error.Column <= line.Length + 1,
                $"error at column {error.Column} of line {error.Line} ({line.Length} characters): {error}");
            PropertyViolation.Unless(error.ToString().StartsWith($"{FileName}:{error.Line}:{error.Column}: ", StringComparison.Ordinal), $"error text {error}");
        }
    }
}
