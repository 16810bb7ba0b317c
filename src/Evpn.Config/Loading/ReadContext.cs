using Evpn.Config.Yaml;

namespace Evpn.Config.Loading;

/// <summary>State shared while one file is read: the errors so far and where each key path sits in the
/// file, so that cross-field checks can point at the right line after the tree is gone.</summary>
internal sealed class ReadContext(string file)
{
    private readonly Dictionary<string, SourcePosition> _positions = new(StringComparer.Ordinal);

    public string File { get; } = file;
    public List<ConfigError> Errors { get; } = [];

    public void Remember(string path, SourcePosition position) => _positions[path] = position;

    /// <summary>Where <paramref name="path"/> was written, or its nearest written parent (a defaulted key has no position of its own).</summary>
    public SourcePosition PositionOf(string path)
    {
        var p = path;
        while (p.Length > 0)
        {
            if (_positions.TryGetValue(p, out var position))
            {
                return position;
            }
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut > 0 ? p[..cut] : string.Empty;
        }
        return new SourcePosition(1, 1);
    }

    public void Error(SourcePosition at, string path, string message) =>
        Errors.Add(new ConfigError(File, at.Line, at.Column, path, null, null, message));

    /// <summary>A value of the wrong shape, placed at its key (or list item) like the rest of the errors;
    /// <paramref name="shown"/> replaces the value's text (a secret's).</summary>
    public void Expected(YNode found, string path, string expected, string? shown = null)
    {
        var what = shown ?? found.Describe();
        var at = PositionOf(path);
        Errors.Add(new ConfigError(File, at.Line, at.Column, path, expected, what, $"expected {expected}, found {what}"));
    }

    /// <summary>A cross-field problem, placed at the key it names.</summary>
    public void Invalid(string path, string message) => Error(PositionOf(path), path, message);
}
