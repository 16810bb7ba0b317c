using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tests;

public sealed class DataPlaneAuditTests
{
    private static readonly IpAddr VtepA = IpAddr.Parse("10.0.0.2");
    private static readonly IpAddr VtepB = IpAddr.Parse("10.0.0.3");
    private static readonly MacAddress Mac1 = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress Mac2 = MacAddress.Parse("02:00:00:00:00:02");
    private static readonly MacAddress Mac3 = MacAddress.Parse("02:00:00:00:00:03");
    private static readonly IpAddr Host = IpAddr.Parse("10.1.0.5");

    [Fact]
    public void Lists_missing_extra_and_wrong_entries()
    {
        var intended = new DataPlaneState(
            [new FdbEntry(100, Mac1, VtepA), new FdbEntry(100, Mac2, VtepA)],
            [new FloodEntry(100, VtepA)],
            [new NeighborEntry(100, Host, Mac1)]);
        var installed = new DataPlaneState(
            [new FdbEntry(100, Mac2, VtepB), new FdbEntry(100, Mac3, VtepA)],
            [new FloodEntry(100, VtepB)],
            [new NeighborEntry(100, Host, Mac2)]);

        var report = DataPlaneAudit.Compare(intended, installed);

        Assert.False(report.IsClean);
        Assert.Equal([new FdbEntry(100, Mac1, VtepA)], report.MissingFdb);
        Assert.Equal([new FdbEntry(100, Mac3, VtepA)], report.ExtraFdb);
        Assert.Equal([new Mismatch<FdbEntry>(new FdbEntry(100, Mac2, VtepA), new FdbEntry(100, Mac2, VtepB))], report.WrongVtep);
        Assert.Equal([new FloodEntry(100, VtepA)], report.MissingFlood);
        Assert.Equal([new FloodEntry(100, VtepB)], report.ExtraFlood);
        Assert.Empty(report.MissingNeighbors);
        Assert.Empty(report.ExtraNeighbors);
        Assert.Equal([new Mismatch<NeighborEntry>(new NeighborEntry(100, Host, Mac1), new NeighborEntry(100, Host, Mac2))], report.WrongMac);
    }

    [Fact]
    public void Equal_states_are_clean()
    {
        var state = new DataPlaneState([new FdbEntry(100, Mac1, VtepA)], [new FloodEntry(100, VtepA)], [new NeighborEntry(100, Host, Mac1)]);
        Assert.True(DataPlaneAudit.Compare(state, state).IsClean);
    }
}
