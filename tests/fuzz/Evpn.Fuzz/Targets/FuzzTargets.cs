namespace Evpn.Fuzz.Targets;

/// <summary>Every target by the name run.sh and the replay tests use.</summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyList<IFuzzTarget> All =
    [
        new BgpMessageTarget(),
        new MrtTarget(),
        new NetlinkTarget(),
        new ConfigTarget(),
        new ApiTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
