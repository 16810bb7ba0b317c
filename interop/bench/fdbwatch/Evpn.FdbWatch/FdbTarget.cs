using Evpn.Wire.Model;

namespace Evpn.FdbWatch;

/// <summary>What the harness waits for: exactly <paramref name="Count"/> remote MACs, toward
/// <paramref name="Vtep"/> or toward any VTEP when it is null.</summary>
internal sealed record FdbTarget(int Count, IpAddr? Vtep)
{
    public int Observed(RemoteFdbTable table) => Vtep is { } vtep ? table.CountToward(vtep) : table.Count;

    public bool IsMetBy(RemoteFdbTable table) => Observed(table) == Count;
}
