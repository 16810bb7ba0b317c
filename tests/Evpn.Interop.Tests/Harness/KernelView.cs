using System.Text.Json;

namespace Evpn.Interop.Tests.Harness;

/// <summary>One bridge FDB entry (`bridge -j fdb show`). On a VXLAN device, an entry with <see cref="Dst"/> and
/// the "self" flag is the tunnel's own table: the all-zero MAC is a flood-list member (ingress replication),
/// any other MAC is a remote host behind the VTEP <see cref="Dst"/>. An entry that points to an FDB nexthop
/// group (<see cref="NexthopGroup"/>, how evpnd installs remote MACs) has the group's one VTEP as its
/// <see cref="Dst"/>. <see cref="Vni"/> is the entry's own VNI (NDA_VNI, `vni N` in `bridge fdb`), null when the
/// device's VNI applies.</summary>
public sealed record KernelFdbEntry(string Mac, string Device, string? Dst, IReadOnlyList<string> Flags, string State, string? Master, uint? NexthopGroup = null, uint? Vni = null)
{
    public const string FloodMac = "00:00:00:00:00:00";

    public bool IsFloodEntry => Mac == FloodMac && Dst is not null;

    public override string ToString() =>
        $"{Mac} dev {Device}{(Dst is null ? "" : " dst " + Dst)}{(Vni is null ? "" : $" vni {Vni}")}{(NexthopGroup is null ? "" : $" (nhid {NexthopGroup})")}{(Master is null ? "" : " master " + Master)} [{string.Join(',', Flags)}] {State}";
}

/// <summary>One neighbor entry (`ip -j neigh show`).</summary>
public sealed record KernelNeighbor(string Ip, string Device, string? LinkLayerAddress, IReadOnlyList<string> State);

/// <summary>The kernel data plane of one node, read with iproute2's JSON output.</summary>
public sealed class KernelView(Lab lab, string run, string node)
{
    public async Task<IReadOnlyList<KernelFdbEntry>> FdbAsync()
    {
        var vtepsByGroup = await FdbGroupVtepsAsync();
        var json = (await lab.ExecAsync(run, node, "bridge", "-j", "fdb", "show")).StandardOutput;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(e =>
            {
                uint? group = e.TryGetProperty("nhid", out var nhid) ? nhid.GetUInt32() : null;
                return new KernelFdbEntry(
                    e.GetProperty("mac").GetString()!,
                    e.TryGetProperty("ifname", out var dev) ? dev.GetString()! : "",
                    e.TryGetProperty("dst", out var dst) ? dst.GetString() : group is { } g ? vtepsByGroup.GetValueOrDefault(g) : null,
                    e.TryGetProperty("flags", out var flags) ? flags.EnumerateArray().Select(f => f.GetString()!).ToArray() : [],
                    e.TryGetProperty("state", out var state) ? state.GetString() ?? "" : "",
                    e.TryGetProperty("master", out var master) ? master.GetString() : null,
                    group,
                    e.TryGetProperty("vni", out var vni) ? vni.GetUInt32() : null);
            })
            .ToArray();
    }

    /// <summary>The VTEP of each FDB nexthop group of one member (`ip -j nexthop show`: groups list member ids,
    /// members carry a gateway).</summary>
    private async Task<Dictionary<uint, string>> FdbGroupVtepsAsync()
    {
        var json = (await lab.ExecAsync(run, node, "ip", "-j", "nexthop", "show")).StandardOutput;
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        var nexthops = doc.RootElement.EnumerateArray().ToList();
        var gateways = nexthops.Where(n => n.TryGetProperty("gateway", out _))
            .ToDictionary(n => n.GetProperty("id").GetUInt32(), n => n.GetProperty("gateway").GetString()!);
        var vteps = new Dictionary<uint, string>();
        foreach (var group in nexthops.Where(n => n.TryGetProperty("group", out var members) && members.GetArrayLength() == 1))
        {
            if (gateways.TryGetValue(group.GetProperty("group")[0].GetProperty("id").GetUInt32(), out var vtep))
            {
                vteps[group.GetProperty("id").GetUInt32()] = vtep;
            }
        }
        return vteps;
    }

    public async Task<IReadOnlyList<KernelNeighbor>> NeighborsAsync()
    {
        var json = (await lab.ExecAsync(run, node, "ip", "-j", "neigh", "show")).StandardOutput;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(e => new KernelNeighbor(
                e.GetProperty("dst").GetString()!,
                e.TryGetProperty("dev", out var dev) ? dev.GetString()! : "",
                e.TryGetProperty("lladdr", out var ll) ? ll.GetString() : null,
                e.TryGetProperty("state", out var st) ? st.EnumerateArray().Select(s => s.GetString()!).ToArray() : []))
            .ToArray();
    }
}
