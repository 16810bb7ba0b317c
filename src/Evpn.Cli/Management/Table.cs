using System.Text;

namespace Evpn.Cli.Management;

/// <summary>How a column's cells line up: text to the left, counts to the right (as FRR prints them).</summary>
public enum Align
{
    Left,
    Right,
}

/// <summary>One column of a <see cref="Table"/>.</summary>
public sealed record Column(string Header, Align Align = Align.Left);

/// <summary>A plain-text table in the style of FRR's show commands: a header row, columns two spaces apart
/// and as wide as their widest cell, no trailing spaces. Lines added with <see cref="AddLine"/> (a route
/// distinguisher heading, a row's extended communities) are printed as they are, between the rows, and do
/// not widen the columns.</summary>
public sealed class Table
{
    private const string Gap = "  ";
    private readonly IReadOnlyList<Column> _columns;
    private readonly List<Entry> _entries = [];

    public Table(params Column[] columns)
    {
        if (columns.Length == 0)
        {
            throw new ArgumentException("a table needs at least one column", nameof(columns));
        }
        _columns = columns;
    }

    public int RowCount => _entries.Count(e => e.Cells is not null);

    /// <summary>Adds a row; a null cell prints as empty. There must be one cell per column.</summary>
    public Table AddRow(params string?[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"a row of this table has {_columns.Count} cells, not {cells.Length}", nameof(cells));
        }
        _entries.Add(new Entry(cells.Select(c => c ?? string.Empty).ToArray(), null));
        return this;
    }

    /// <summary>Adds a line printed as it is between the rows.</summary>
    public Table AddLine(string text)
    {
        _entries.Add(new Entry(null, text));
        return this;
    }

    public override string ToString()
    {
        var widths = _columns.Select(c => c.Header.Length).ToArray();
        foreach (var cells in _entries.Select(e => e.Cells).OfType<string[]>())
        {
            for (var i = 0; i < cells.Length; i++)
            {
                widths[i] = Math.Max(widths[i], cells[i].Length);
            }
        }
        var text = new StringBuilder();
        AppendRow(text, _columns.Select(c => c.Header).ToArray(), widths);
        foreach (var entry in _entries)
        {
            if (entry.Cells is { } cells)
            {
                AppendRow(text, cells, widths);
            }
            else
            {
                text.Append(entry.Line).Append('\n');
            }
        }
        return text.ToString();
    }

    private void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(Gap);
            }
            var padding = widths[i] - cells[i].Length;
            if (_columns[i].Align == Align.Right)
            {
                line.Append(' ', padding).Append(cells[i]);
            }
            else
            {
                line.Append(cells[i]).Append(' ', padding);
            }
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private sealed record Entry(string[]? Cells, string? Line);
}
