using Evpn.Wire.Model;

namespace Evpn.DataPlane;

/// <summary>Which table an entry lives in.</summary>
public enum DataPlaneTable
{
    Fdb,
    Flood,
    Neighbor,
}

/// <summary>What identifies an entry in its table: an FDB entry by (VNI, MAC), since a MAC points to one
/// VTEP; a flood entry by (VNI, VTEP), since the flood list holds one entry per remote VTEP; a neighbor by
/// (VNI, IP). A later intent with the same key replaces an earlier one (a MAC move, a retry superseded).</summary>
public readonly record struct IntentKey(DataPlaneTable Table, uint Vni, MacAddress Mac, IpAddr Address)
{
    public static IntentKey Of(FdbEntry entry) => new(DataPlaneTable.Fdb, entry.Vni, entry.Mac, default);
    public static IntentKey Of(FloodEntry entry) => new(DataPlaneTable.Flood, entry.Vni, MacAddress.Zero, entry.Vtep);
    public static IntentKey Of(NeighborEntry entry) => new(DataPlaneTable.Neighbor, entry.Vni, MacAddress.Zero, entry.Ip);

    public static IntentKey Of(DataPlaneIntent intent) => intent switch
    {
        DataPlaneIntent.AddFdb a => Of(a.Entry),
        DataPlaneIntent.RemoveFdb r => Of(r.Entry),
        DataPlaneIntent.AddFlood a => Of(a.Entry),
        DataPlaneIntent.RemoveFlood r => Of(r.Entry),
        DataPlaneIntent.AddNeighbor a => Of(a.Entry),
        DataPlaneIntent.RemoveNeighbor r => Of(r.Entry),
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "unknown data-plane intent"),
    };
}

public static class DataPlaneIntentExtensions
{
    public static uint Vni(this DataPlaneIntent intent) => IntentKey.Of(intent).Vni;

    public static bool IsRemoval(this DataPlaneIntent intent) =>
        intent is DataPlaneIntent.RemoveFdb or DataPlaneIntent.RemoveFlood or DataPlaneIntent.RemoveNeighbor;

    /// <summary>A short name for logs and metric tags: add_fdb, remove_flood, ...</summary>
    public static string Kind(this DataPlaneIntent intent) => intent.KindOf().Name();
}
