using Evpn.DataPlane;
using Evpn.LoadGen;
using Evpn.Wire.Model;

namespace Evpn.KernelLimit;

/// <summary>The kernel entries evpnd programs for each phase of a load plan, as data-plane intents in the
/// order the routes arrive: per VNI and VTEP a flood entry (type-3), per host an FDB entry toward its VTEP and,
/// for a MAC+IP host, a neighbor entry (type-2). A move re-points the moved MACs; a withdraw-all removes
/// everything the table holds then.</summary>
public sealed class LimitPhases
{
    private readonly LoadPlan _plan;

    public LimitPhases(LoadPlan plan) => _plan = plan;

    public List<DataPlaneIntent> Announce()
    {
        var intents = new List<DataPlaneIntent>(_plan.Options.Type3Count + _plan.Initial.Count * 2);
        foreach (var flood in Floods())
        {
            intents.Add(new DataPlaneIntent.AddFlood(flood));
        }
        foreach (var host in _plan.Initial)
        {
            intents.Add(new DataPlaneIntent.AddFdb(Fdb(host)));
            if (host.Ip is { } ip)
            {
                intents.Add(new DataPlaneIntent.AddNeighbor(new NeighborEntry(host.Vni, ip, host.Mac)));
            }
        }
        return intents;
    }

    /// <summary>The moved hosts' FDB entries toward the move VTEP (their neighbor entries do not change: the
    /// IP keeps its MAC).</summary>
    public List<DataPlaneIntent> Move() =>
        _plan.MovedIndexes.Select(i => (DataPlaneIntent)new DataPlaneIntent.AddFdb(Fdb(_plan.AfterMove[i]))).ToList();

    public List<DataPlaneIntent> WithdrawAll()
    {
        var intents = new List<DataPlaneIntent>(_plan.Options.Type3Count + _plan.AfterMove.Count * 2);
        foreach (var host in _plan.AfterMove)
        {
            intents.Add(new DataPlaneIntent.RemoveFdb(Fdb(host)));
            if (host.Ip is { } ip)
            {
                intents.Add(new DataPlaneIntent.RemoveNeighbor(new NeighborEntry(host.Vni, ip, host.Mac)));
            }
        }
        foreach (var flood in Floods())
        {
            intents.Add(new DataPlaneIntent.RemoveFlood(flood));
        }
        return intents;
    }

    /// <summary>A flood, FDB and neighbor entry of a host outside the plan, installed and removed again.</summary>
    public List<DataPlaneIntent> WarmUp()
    {
        var o = _plan.Options;
        var flood = new FloodEntry(o.FirstVni, o.Vtep(0));
        var fdb = new FdbEntry(o.FirstVni, new MacAddress(0x02_FF_FF_FF_FF_FEUL), o.Vtep(0));
        var neighbor = new NeighborEntry(o.FirstVni, IpAddr.Parse("10.255.255.254"), fdb.Mac);
        return
        [
            new DataPlaneIntent.AddFlood(flood), new DataPlaneIntent.AddFdb(fdb), new DataPlaneIntent.AddNeighbor(neighbor),
            new DataPlaneIntent.RemoveNeighbor(neighbor), new DataPlaneIntent.RemoveFdb(fdb), new DataPlaneIntent.RemoveFlood(flood),
        ];
    }

    private IEnumerable<FloodEntry> Floods()
    {
        var o = _plan.Options;
        if (!o.Type3)
        {
            yield break;
        }
        for (var v = 0; v < o.Vnis; v++)
        {
            for (var t = 0; t < o.Vteps; t++)
            {
                yield return new FloodEntry(o.FirstVni + (uint)v, o.Vtep(t));
            }
        }
    }

    private FdbEntry Fdb(GeneratedRoute host) => new(host.Vni, host.Mac, _plan.Options.Vtep(host.VtepIndex));
}
