namespace Evpn.Config.Yaml;

/// <summary>A position in the source file, 1-based like every editor.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>A YAML node with the position it started at. The loader builds its own small tree from parser
/// events rather than YamlDotNet's representation model so that duplicate keys become config errors with a
/// position instead of exceptions, and every value keeps its line and column.</summary>
public abstract record YNode(SourcePosition Position)
{
    /// <summary>How the node is described in "found ..." messages.</summary>
    public abstract string Describe();
}

/// <summary>A scalar. <see cref="IsNull"/> is a plain empty, `~` or `null` value.</summary>
public sealed record YScalar(SourcePosition Position, string Value, bool IsPlain) : YNode(Position)
{
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "nothing" : $"'{Value}'";
}

public sealed record YMappingEntry(YScalar Key, YNode Value);

public sealed record YMapping(SourcePosition Position, IReadOnlyList<YMappingEntry> Entries) : YNode(Position)
{
    public override string Describe() => "a mapping";
}

public sealed record YSequence(SourcePosition Position, IReadOnlyList<YNode> Items) : YNode(Position)
{
    public override string Describe() => "a list";
}
