namespace Evpn.Testing.EndToEnd;

/// <summary>Reads evpnctl's tables back: the cells of the row whose first cell is a given value.</summary>
public static class TableText
{
    public static string[] Row(string table, string firstCell)
    {
        var rows = Rows(table).Where(cells => cells.Length > 0 && cells[0] == firstCell).ToList();
        return rows.Count == 1 ? rows[0] : throw new Xunit.Sdk.XunitException($"expected one row starting with '{firstCell}', found {rows.Count} in:\n{table}");
    }

    public static IEnumerable<string[]> Rows(string table) =>
        table.Split('\n').Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
