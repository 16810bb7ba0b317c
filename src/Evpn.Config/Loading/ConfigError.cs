namespace Evpn.Config.Loading;

/// <summary>One problem in a configuration file, with where it is and what was wrong.</summary>
/// <param name="Line">1-based; 0 when the error concerns the whole file (it could not be read).</param>
/// <param name="KeyPath">Dotted path of the key, lists indexed from 0: `neighbors[1].remote-as`. Empty for syntax errors.</param>
/// <param name="Expected">What the key accepts, when the problem is a bad value.</param>
/// <param name="Found">What the file had instead, when the problem is a bad value.</param>
/// <param name="Message">The whole description after the key path.</param>
public sealed record ConfigError(
    string File,
    int Line,
    int Column,
    string KeyPath,
    string? Expected,
    string? Found,
    string Message)
{
    /// <summary>`file:line:column: key.path: message`, the shape compilers use so editors can jump to it.</summary>
    public override string ToString() => (Line, KeyPath.Length) switch
    {
        (0, _) => $"{File}: {Message}",
        (_, 0) => $"{File}:{Line}:{Column}: {Message}",
        _ => $"{File}:{Line}:{Column}: {KeyPath}: {Message}",
    };
}
