using Evpn.Cli.Management;

namespace Evpn.Cli.Tests.Management;

public sealed class TableTests
{
    [Fact]
    public void Columns_are_as_wide_as_their_widest_cell_two_spaces_apart_numbers_to_the_right()
    {
        var table = new Table(new Column("Neighbor"), new Column("AS", Align.Right), new Column("Desc"))
            .AddRow("10.0.0.1", "65001", "spine-1")
            .AddRow("10.0.0.22", "7", null);

        Assert.Equal(
            "Neighbor      AS  Desc\n" +
            "10.0.0.1   65001  spine-1\n" +
            "10.0.0.22      7\n",
            table.ToString());
    }

    [Fact]
    public void Lines_between_rows_are_printed_as_they_are_and_do_not_widen_columns()
    {
        var table = new Table(new Column("A"), new Column("B"))
            .AddLine("Route Distinguisher: 192.0.2.1:1")
            .AddRow("x", "y")
            .AddLine("    RT:65001:100");

        Assert.Equal("A  B\nRoute Distinguisher: 192.0.2.1:1\nx  y\n    RT:65001:100\n", table.ToString());
        Assert.Equal(1, table.RowCount);
    }

    [Fact]
    public void No_line_ends_in_spaces_even_when_the_last_cells_are_empty()
    {
        var text = new Table(new Column("A"), new Column("Long header"), new Column("C")).AddRow("1", "", "").ToString();

        Assert.All(text.Split('\n'), line => Assert.Equal(line.TrimEnd(), line));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_refused()
    {
        var table = new Table(new Column("A"), new Column("B"));

        var error = Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
        Assert.Contains("2 cells, not 1", error.Message);
    }

    [Fact]
    public void An_empty_table_is_its_header()
    {
        Assert.Equal("VNI  MAC\n", new Table(new Column("VNI", Align.Right), new Column("MAC")).ToString());
    }
}
