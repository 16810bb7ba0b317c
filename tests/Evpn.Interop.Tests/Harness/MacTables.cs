using System.Globalization;
using System.Text.Json;
using Evpn.Api;

namespace Evpn.Interop.Tests.Harness;

/// <summary>One MAC in a speaker's EVPN MAC table (RFC 7432 section 15 state), the same for every speaker.</summary>
/// <param name="Local">True when learned on a local port; false when imported from a remote VTEP's type-2 route.</param>
/// <param name="Port">The local port (Local only).</param>
/// <param name="RemoteVtep">The VTEP the winning remote route points to (remote only).</param>
/// <param name="Sequence">The MAC Mobility sequence number of the winning location: the one advertised for a
/// local MAC, the one received for a remote MAC.</param>
/// <param name="Duplicate">Marked duplicate by the speaker's own detection (RFC 7432 section 15.1).</param>
public sealed record SpeakerMac(uint Vni, string Mac, bool Local, string? Port, string? RemoteVtep, uint Sequence, bool Duplicate)
{
    public override string ToString() =>
        $"vni {Vni} {Mac} {(Local ? "local " + Port : "remote " + RemoteVtep)} seq {Sequence}{(Duplicate ? " duplicate" : "")}";
}

/// <summary>A speaker's MAC table for one VNI.</summary>
public interface IMacTable
{
    Task<IReadOnlyList<SpeakerMac>> MacsAsync(uint vni);
}

/// <summary>evpnd: GET /v1/macs?vni=N (src/Evpn.Api MacAddressEntry).</summary>
public sealed class EvpndMacTable(Lab lab, string socketPath) : IMacTable
{
    public async Task<IReadOnlyList<SpeakerMac>> MacsAsync(uint vni)
    {
        using var client = new ManagementClient(socketPath, Lab.QueryTimeout);
        var path = $"{ApiPaths.Macs}?vni={vni.ToString(CultureInfo.InvariantCulture)}";
        var json = await client.GetJsonAsync(path);
        lab.Log($"GET {path} on {socketPath}\n{json}");
        var macs = JsonSerializer.Deserialize<IReadOnlyList<MacAddressEntry>>(json, ManagementClient.JsonOptions)
                   ?? throw new InvalidDataException("evpnd sent an empty MAC list");
        return macs.Select(m => new SpeakerMac(m.Vni, m.Mac.ToLowerInvariant(), m.Type == "local", m.Interface, m.RemoteVtep, m.Sequence, m.Duplicate))
            .ToArray();
    }
}

/// <summary>FRR 8.4: `show evpn mac vni N json` = {numMacs, macs: {MAC: {type: local|remote, intf, remoteVtep,
/// localSequence, remoteSequence, detectionCount, isDuplicate}}}. zebra keeps both sequence numbers per MAC.</summary>
public sealed class FrrMacTable(Lab lab, string run, string node) : IMacTable
{
    public async Task<IReadOnlyList<SpeakerMac>> MacsAsync(uint vni)
    {
        using var doc = JsonDocument.Parse(await lab.VtyshAsync(run, node, $"show evpn mac vni {vni} json"));
        if (!doc.RootElement.TryGetProperty("macs", out var macs))
        {
            return [];
        }
        return macs.EnumerateObject().Select(m =>
        {
            var local = m.Value.GetProperty("type").GetString() == "local";
            return new SpeakerMac(
                vni,
                m.Name.ToLowerInvariant(),
                local,
                Str(m.Value, "intf"),
                Str(m.Value, "remoteVtep"),
                m.Value.GetProperty(local ? "localSequence" : "remoteSequence").GetUInt32(),
                m.Value.TryGetProperty("isDuplicate", out var dup) && dup.GetBoolean());
        }).ToArray();
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

public static class MacTableExtensions
{
    /// <summary>The MAC table of the speaker running on <paramref name="node"/> (speakers with a data plane).</summary>
    public static IMacTable MacTable(this Speaker speaker, Lab lab, Topology topology, string node) => speaker switch
    {
        Speaker.Frr => new FrrMacTable(lab, topology.Run, node),
        Speaker.Evpnd => new EvpndMacTable(lab, topology[node + ".evpnd-socket"]),
        _ => throw new ArgumentOutOfRangeException(nameof(speaker), speaker, "no MAC table for a speaker without a data plane"),
    };
}
