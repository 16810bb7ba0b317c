using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Evpn.Config.Yaml;

/// <summary>Builds a <see cref="YNode"/> tree from YamlDotNet parser events, keeping positions.</summary>
internal static partial class YTreeReader
{
    /// <summary>Reads the single document in <paramref name="yaml"/>. Returns null root for an empty file.
    /// A syntax error comes back as an error value with its position, never as an exception.</summary>
    public static YReadResult Read(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return new YReadResult(null, null);
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, depth: 1);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart second)
            {
                return new YReadResult(null, new YSyntaxError(ToPosition(second.Start), "expected a single YAML document, found a second one"));
            }
            return new YReadResult(root, null);
        }
        catch (YamlException e)
        {
            var message = Clean(e.Message);
            var at = message.Contains("tab", StringComparison.Ordinal) && FirstIndentingTab(yaml) is { } tab ? tab : InFile(ToPosition(e.Start), yaml);
            return new YReadResult(null, new YSyntaxError(at, message));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these, not a YamlException, on some malformed input (a stray token
            // after a flow collection, a global tag that is not a URI); the parser knows where it stopped.
            var at = parser.Current is { } current ? InFile(ToPosition(current.Start), yaml) : new SourcePosition(1, 1);
            return new YReadResult(null, new YSyntaxError(at, $"malformed YAML: {e.Message}"));
        }
    }

    /// <summary>evpnd's configuration nests a few levels; a file nested deeper than this is refused at the node that
    /// goes past it, before the recursion below could exhaust the stack (a stack overflow ends the process, and a
    /// reload reads the file inside the daemon).</summary>
    private const int MaxDepth = 64;

    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors, int depth)
    {
        var start = parser.Current ?? throw new YamlException("unexpected end of the document");
        if (depth > MaxDepth && start is SequenceStart or MappingStart)
        {
            throw new YamlException(start.Start, start.End, $"nested deeper than {MaxDepth} levels");
        }
        switch (start)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor");
                }
                return target;
            case Scalar scalar:
                parser.MoveNext();
                return Remember(anchors, scalar.Anchor, new YScalar(ToPosition(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain));
            case SequenceStart sequenceStart:
            {
                parser.MoveNext();
                var items = new List<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors, depth + 1));
                }
                return Remember(anchors, sequenceStart.Anchor, new YSequence(ToPosition(sequenceStart.Start), items));
            }
            case MappingStart mappingStart:
            {
                parser.MoveNext();
                var entries = new List<YMappingEntry>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current;
                    var key = ReadNode(parser, anchors, depth + 1);
                    if (key is not YScalar scalarKey)
                    {
                        throw new YamlException(keyEvent!.Start, keyEvent.End, "expected a plain key, found a complex key");
                    }
                    entries.Add(new YMappingEntry(scalarKey, ReadNode(parser, anchors, depth + 1)));
                }
                return Remember(anchors, mappingStart.Anchor, new YMapping(ToPosition(mappingStart.Start), entries));
            }
            default:
                throw new YamlException(start.Start, start.End, $"unexpected {start.GetType().Name}");
        }
    }

    private static YNode Remember(Dictionary<string, YNode> anchors, AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
        return node;
    }

    /// <summary>YamlDotNet reports a tab in indentation at the start of the enclosing mapping; the tab itself is
    /// what the user has to find.</summary>
    private static SourcePosition? FirstIndentingTab(string yaml)
    {
        var lines = Lines(yaml);
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return new SourcePosition(i + 1, tab + 1);
            }
        }
        return null;
    }

    /// <summary>The file's lines as the parser counts them: YAML 1.1 line breaks (section 5.4), a lone carriage
    /// return and NEL included, so a position found here is the one the parser would give.</summary>
    private static string[] Lines(string yaml) =>
        yaml.Split(["\r\n", "\r", "\n", "\u0085", "\u2028", "\u2029"], StringSplitOptions.None);

    private static SourcePosition ToPosition(Mark mark) => new((int)mark.Line, (int)mark.Column);

    /// <summary>YamlDotNet puts an error found at the end of the input (an unclosed flow collection) past the last
    /// line; the operator looks for it at the end of the file, so that is where it is reported.</summary>
    private static SourcePosition InFile(SourcePosition position, string yaml)
    {
        var lines = Lines(yaml);
        var line = Math.Clamp(position.Line, 1, lines.Length);
        var column = line == position.Line ? position.Column : lines[line - 1].Length + 1;
        return new SourcePosition(line, Math.Clamp(column, 1, lines[line - 1].Length + 1));
    }

    /// <summary>YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the position is
    /// reported separately, so drop it, and start lower-case like the other errors.</summary>
    private static string Clean(string message)
    {
        var text = PositionPrefix().Replace(message, string.Empty).Trim();
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : "invalid YAML";
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}

internal sealed record YSyntaxError(SourcePosition Position, string Message);

internal sealed record YReadResult(YNode? Root, YSyntaxError? Error);
