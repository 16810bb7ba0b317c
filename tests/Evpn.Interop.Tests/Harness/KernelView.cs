using System.Text.Json;

namespace Evpn.Interop.Tests.Harness;

/// <summary>One bridge FDB entry (`bridge -j fdb show`). On a VXLAN device, an entry with <see cref="Dst"/> and
/// the "self" flag is the tunnel's own table: the all-zero MAC is a flood-list member (ingress replication),
/// any other MAC is a remote host behind the VTEP <see cref="Dst"/>.</summary>
public sealed record KernelFdbEntry(string Mac, string Device, string? Dst, IReadOnlyList<string> Flags, string State, string? Master)
{
    public const string FloodMac = "00:00:00:00:00:00";

    public bool IsFloodEntry => Mac == FloodMac && Dst is not null;

    public override string ToString() =>
        $"{Mac} dev {Device}{(Dst is null ? "" : " dst " + Dst)}{(Master is null ? "" : " master " + Master)} [{string.Join(',', Flags)}] {State}";
}

/// <summary>One neighbor entry (`ip -j neigh show`).</summary>
public sealed record KernelNeighbor(string Ip, string Device, string? LinkLayerAddress, IReadOnlyList<string> State);

/// <summary>The kernel data plane of one node, read with iproute2's JSON output.</summary>
public sealed class KernelView(Lab lab, string run, string node)
{
    public async Task<IReadOnlyList<KernelFdbEntry>> FdbAsync()
    {
        var json = (await lab.ExecAsync(run, node, "bridge", "-j", "fdb", "show")).StandardOutput;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(e => new KernelFdbEntry(
                e.GetProperty("mac").GetString()!,
                e.TryGetProperty("ifname", out var dev) ? dev.GetString()! : "",
                e.TryGetProperty("dst", out var dst) ? dst.GetString() : null,
                e.TryGetProperty("flags", out var flags) ? flags.EnumerateArray().Select(f => f.GetString()!).ToArray() : [],
                e.TryGetProperty("state", out var state) ? state.GetString() ?? "" : "",
                e.TryGetProperty("master", out var master) ? master.GetString() : null))
            .ToArray();
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
