using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>A one-line account of a decoded message, close to what tshark shows, for comparing every
/// captured message with its expected content.</summary>
public static class MessageSummary
{
    public static string Of(BgpMessage message) => message switch
    {
        OpenMessage o => $"OPEN as {o.Asn} hold {o.HoldTime} id {o.BgpIdentifierAddress} caps {string.Join(",", o.Capabilities.Select(c => c.Code))}",
        KeepaliveMessage => "KEEPALIVE",
        NotificationMessage n => $"NOTIFICATION {(byte)n.Code}/{n.Subcode} \"{n.ShutdownCommunication}\"",
        UpdateMessage u when u.IsEndOfRib(out var family) => $"EOR {family}",
        UpdateMessage u => Update(u),
        _ => message.ToString(),
    };

    private static string Update(UpdateMessage u)
    {
        var a = u.Attributes;
        var parts = new List<string>();
        if (u.MpReach is { } reach)
        {
            parts.Add($"reach nh {reach.NextHop}: {string.Join("; ", reach.Nlri)}");
        }
        if (u.MpUnreach is { } unreach)
        {
            parts.Add($"unreach: {string.Join("; ", unreach.Nlri)}");
        }
        if (a.Origin is { } origin)
        {
            parts.Add($"origin {origin}");
        }
        if (a.AsPath is { } path)
        {
            parts.Add($"as-path {path}");
        }
        if (!a.ExtendedCommunities.IsEmpty)
        {
            parts.Add($"ext {string.Join(", ", a.ExtendedCommunities)}");
        }
        if (a.PmsiTunnel is { } pmsi)
        {
            parts.Add($"pmsi type {pmsi.TunnelType} label {pmsi.Label} endpoint {pmsi.Endpoint}");
        }
        return "UPDATE " + string.Join(" | ", parts);
    }
}
