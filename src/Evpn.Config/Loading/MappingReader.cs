using System.Collections.Immutable;
using Evpn.Config.Yaml;

namespace Evpn.Config.Loading;

/// <summary>Reads the keys of one YAML mapping. Duplicate and unknown keys are reported when it is opened;
/// each typed read reports a bad value and returns the default so that reading goes on and every error in
/// the file is found in one pass.</summary>
internal sealed class MappingReader
{
    private readonly ReadContext _ctx;
    private readonly Dictionary<string, YMappingEntry> _entries = new(StringComparer.Ordinal);

    private MappingReader(ReadContext ctx, YMapping mapping, string path, IReadOnlyList<string> knownKeys)
    {
        _ctx = ctx;
        Path = path;
        Position = mapping.Position;
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            var keyPath = Child(key);
            if (!knownKeys.Contains(key))
            {
                var suggestion = KeySuggestions.Closest(key, knownKeys);
                var message = suggestion is null
                    ? $"unknown key '{key}' (expected one of {string.Join(", ", knownKeys)})"
                    : $"unknown key '{key}' (did you mean '{suggestion}'?)";
                ctx.Error(entry.Key.Position, keyPath, message);
                continue;
            }
            if (_entries.TryGetValue(key, out var first))
            {
                ctx.Error(entry.Key.Position, keyPath, $"duplicate key '{key}' (first given at {first.Key.Position})");
                continue;
            }
            _entries.Add(key, entry);
            ctx.Remember(keyPath, entry.Key.Position);
        }
    }

    public string Path { get; }
    public SourcePosition Position { get; }

    /// <summary>Opens <paramref name="node"/> as a mapping. A missing or null node is an empty mapping (every key
    /// defaulted); anything else that is not a mapping is an error and yields null.</summary>
    public static MappingReader? Open(ReadContext ctx, YNode? node, string path, SourcePosition fallback, IReadOnlyList<string> knownKeys)
    {
        switch (node)
        {
            case null:
                return new MappingReader(ctx, new YMapping(fallback, []), path, knownKeys);
            case YScalar { IsNull: true } empty:
                return new MappingReader(ctx, new YMapping(empty.Position, []), path, knownKeys);
            case YMapping mapping:
                return new MappingReader(ctx, mapping, path, knownKeys);
            default:
                ctx.Expected(node, path, "a mapping");
                return null;
        }
    }

    public string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _entries.ContainsKey(key);

    public YNode? Node(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;

    public SourcePosition PositionOf(string key) => _entries.TryGetValue(key, out var e) ? e.Key.Position : Position;

    /// <summary>The value of <paramref name="key"/>, or <paramref name="fallback"/> when absent or invalid (invalid is reported).</summary>
    public T Read<T>(string key, ScalarRule<T> rule, T fallback) => TryRead(key, rule, out var v) ? v : fallback;

    /// <summary>The value of an optional key with no default: null when absent or invalid.</summary>
    public T? Optional<T>(string key, ScalarRule<T> rule) where T : struct => TryRead(key, rule, out var v) ? v : null;

    public string? OptionalText(string key, ScalarRule<string> rule) => TryRead(key, rule, out var v) ? v : null;

    /// <summary>The value of a required key; a missing key is reported at the mapping.</summary>
    public T Required<T>(string key, ScalarRule<T> rule, T fallback)
    {
        if (!_entries.ContainsKey(key))
        {
            _ctx.Error(Path.Length == 0 ? Position : _ctx.PositionOf(Path), Path, $"missing required key '{key}' ({rule.Expected})");
            return fallback;
        }
        return Read(key, rule, fallback);
    }

    public bool TryRead<T>(string key, ScalarRule<T> rule, out T value)
    {
        value = default!;
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }
        return ReadScalar(_ctx, entry.Value, Child(key), rule, out value);
    }

    /// <summary>A list of scalars. A single scalar is accepted as a one-item list. Null when absent or invalid.</summary>
    public ImmutableArray<T>? List<T>(string key, ScalarRule<T> rule)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }
        var path = Child(key);
        switch (entry.Value)
        {
            case YScalar scalar:
                return ReadScalar(_ctx, scalar, path, rule, out var one) ? [one] : null;
            case YSequence sequence:
            {
                var items = ImmutableArray.CreateBuilder<T>(sequence.Items.Count);
                var ok = true;
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    _ctx.Remember($"{path}[{i}]", sequence.Items[i].Position);
                    if (ReadScalar(_ctx, sequence.Items[i], $"{path}[{i}]", rule, out var item))
                    {
                        items.Add(item);
                    }
                    else
                    {
                        ok = false;
                    }
                }
                return ok ? items.ToImmutable() : null;
            }
            default:
                _ctx.Expected(entry.Value, path, $"a list of {rule.Expected}");
                return null;
        }
    }

    /// <summary>Items of a list of mappings (or anything the caller reads item by item). A null value is an empty list.</summary>
    public IReadOnlyList<(YNode Node, string Path)> Items(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return [];
        }
        var path = Child(key);
        switch (entry.Value)
        {
            case YScalar { IsNull: true }:
                return [];
            case YSequence sequence:
            {
                var items = new List<(YNode, string)>(sequence.Items.Count);
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    var itemPath = $"{path}[{i}]";
                    _ctx.Remember(itemPath, sequence.Items[i].Position);
                    items.Add((sequence.Items[i], itemPath));
                }
                return items;
            }
            default:
                _ctx.Expected(entry.Value, path, "a list");
                return [];
        }
    }

    private static string Redacted(string secret) =>
        $"a value of {System.Text.Encoding.UTF8.GetByteCount(secret)} bytes (not shown)";

    private static bool ReadScalar<T>(ReadContext ctx, YNode node, string path, ScalarRule<T> rule, out T value)
    {
        value = default!;
        if (node is YScalar { IsNull: false } scalar && rule.Parse(scalar.Value, out value))
        {
            return true;
        }
        ctx.Expected(node, path, rule.Expected, rule.Secret && node is YScalar { IsNull: false } secret ? Redacted(secret.Value) : null);
        return false;
    }
}
