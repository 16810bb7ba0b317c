using System.Text.Json;

namespace Evpn.Interop.Tests.Harness;

/// <summary>A NOTIFICATION ExaBGP received (its JSON: {type: "notification", notification: {code, subcode, data}}).</summary>
public sealed record ReceivedNotification(int Code, int Subcode, string Data);

/// <summary>ExaBGP as a sender of crafted UPDATEs (topology 5). ExaBGP 4.2 cannot announce EVPN routes, but it sends
/// any attribute given as raw bytes, unchecked, on an IPv4 unicast route: a raw MP_REACH_NLRI of L2VPN EVPN on
/// such a route puts EVPN routes, well-formed or not, on the wire byte for byte (interop/lib/exabgp.sh). Each
/// carrier IPv4 prefix is one entry of ExaBGP's Adj-RIB-Out: announcing it again replaces the UPDATE, and ExaBGP
/// sends every entry again whenever the session comes back up.</summary>
public sealed class ExabgpInjector(Lab lab, Topology topology, string node, string peer)
{
    /// <summary>Sends one UPDATE: <paramref name="carrier"/> (an IPv4 prefix) with the given raw attributes, each
    /// (code, flags, hex value), e.g. (EvpnWireBytes.MpReachNlri, EvpnWireBytes.OptionalNonTransitive, "0019...").</summary>
    public Task AnnounceAsync(string carrier, params (string Code, string Flags, string Value)[] attributes) =>
        SendAsync($"neighbor {peer} announce route {carrier} next-hop {topology.Ip(node)} "
                  + string.Join(' ', attributes.Select(a => $"attribute [ {a.Code} {a.Flags} 0x{a.Value} ]")));

    /// <summary>Withdraws the carrier from ExaBGP's Adj-RIB-Out (an IPv4 withdrawal on the wire; the EVPN routes its
    /// raw MP_REACH_NLRI carried are not withdrawn by it).</summary>
    public Task WithdrawAsync(string carrier) =>
        SendAsync($"neighbor {peer} withdraw route {carrier} next-hop {topology.Ip(node)}");

    /// <summary>The NOTIFICATIONs ExaBGP received, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedNotification>> NotificationsReceivedAsync()
    {
        var text = (await lab.RunAsync(LabPaths.LabCli, ["routes", topology.Run, node], Lab.QueryTimeout)).StandardOutput;
        var found = new List<ReceivedNotification>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("type", out var type) && type.GetString() == "notification"
                && root.GetProperty("neighbor").TryGetProperty("notification", out var n))
            {
                found.Add(new ReceivedNotification(n.GetProperty("code").GetInt32(), n.GetProperty("subcode").GetInt32(),
                    n.TryGetProperty("data", out var data) ? data.GetString() ?? "" : ""));
            }
        }
        return found;
    }

    private Task SendAsync(string command) =>
        lab.RunAsync(LabPaths.LabCli, ["exabgp", topology.Run, node, command], Lab.QueryTimeout);
}
