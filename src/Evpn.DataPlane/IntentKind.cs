namespace Evpn.DataPlane;

/// <summary>The six intents, numbered from 0 so that per-kind counts fit an array indexed by kind.</summary>
public enum IntentKind
{
    AddFdb,
    RemoveFdb,
    AddFlood,
    RemoveFlood,
    AddNeighbor,
    RemoveNeighbor,
}

public static class IntentKinds
{
    public const int Count = (int)IntentKind.RemoveNeighbor + 1;

    private static readonly string[] Names = ["add_fdb", "remove_fdb", "add_flood", "remove_flood", "add_neighbor", "remove_neighbor"];

    public static IntentKind KindOf(this DataPlaneIntent intent) => intent switch
    {
        DataPlaneIntent.AddFdb => IntentKind.AddFdb,
        DataPlaneIntent.RemoveFdb => IntentKind.RemoveFdb,
        DataPlaneIntent.AddFlood => IntentKind.AddFlood,
        DataPlaneIntent.RemoveFlood => IntentKind.RemoveFlood,
        DataPlaneIntent.AddNeighbor => IntentKind.AddNeighbor,
        DataPlaneIntent.RemoveNeighbor => IntentKind.RemoveNeighbor,
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "unknown data-plane intent"),
    };

    /// <summary>A short name for logs and metric tags: add_fdb, remove_flood, ...</summary>
    public static string Name(this IntentKind kind) => Names[(int)kind];
}
