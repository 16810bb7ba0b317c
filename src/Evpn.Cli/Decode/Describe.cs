using Evpn.Wire;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Cli.Decode;

/// <summary>Short human-readable names and descriptions shared by the text and JSON renderers.</summary>
public static class Describe
{
    public static string MessageName(MessageType type) => type switch
    {
        MessageType.Open => "OPEN",
        MessageType.Update => "UPDATE",
        MessageType.Notification => "NOTIFICATION",
        MessageType.Keepalive => "KEEPALIVE",
        MessageType.RouteRefresh => "ROUTE-REFRESH",
        _ => $"TYPE-{(byte)type}",
    };

    public static string CapabilityName(Capability c) => c switch
    {
        MultiprotocolCapability => "multiprotocol",
        RouteRefreshCapability => "route-refresh",
        EnhancedRouteRefreshCapability => "enhanced-route-refresh",
        ExtendedMessageCapability => "extended-message",
        FourOctetAsCapability => "4-octet-as",
        GracefulRestartCapability => "graceful-restart",
        LongLivedGracefulRestartCapability => "long-lived-graceful-restart",
        AddPathCapability => "add-path",
        FqdnCapability => "fqdn",
        SoftwareVersionCapability => "software-version",
        _ => $"capability-{c.Code}",
    };

    public static string CapabilityValue(Capability c) => c switch
    {
        MultiprotocolCapability m => m.Family.ToString(),
        FourOctetAsCapability a => a.Asn.ToString(),
        GracefulRestartCapability g =>
            $"restart-time {g.RestartTime}s{(g.RestartState ? " restarting" : "")}{(g.NotificationSupported ? " notification" : "")}" +
            string.Concat(g.Families.Select(f => $" {f.Family}{(f.ForwardingPreserved ? "(forwarding preserved)" : "")}")),
        LongLivedGracefulRestartCapability l =>
            string.Join(' ', l.Families.Select(f => $"{f.Family} stale-time {f.StaleTime}s{(f.ForwardingPreserved ? " (forwarding preserved)" : "")}")),
        AddPathCapability a => a.FamiliesText,
        FqdnCapability f => f.Shown,
        SoftwareVersionCapability s => s.Shown,
        UnknownCapability u => Convert.ToHexString(u.Value.AsSpan()).ToLowerInvariant(),
        _ => "",
    };

    /// <summary>RFC 4271 section 8.2.2 FSM states as MRT state changes number them (RFC 6396 section 4.4.1).</summary>
    public static string FsmState(ushort state) => state switch
    {
        1 => "Idle",
        2 => "Connect",
        3 => "Active",
        4 => "OpenSent",
        5 => "OpenConfirm",
        6 => "Established",
        _ => $"state-{state}",
    };

    public static string MrtHeader(MrtRecord record)
    {
        var type = record.Type switch
        {
            MrtTypes.Bgp4Mp => "BGP4MP",
            MrtTypes.Bgp4MpEt => "BGP4MP_ET",
            _ => $"MRT type {record.Type}",
        };
        var time = record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (record.Bgp4Mp is not { } e)
        {
            return $"{time} {type} subtype {record.Subtype} (not shown)";
        }
        var (from, to) = e.Local
            ? ($"{e.LocalIp} (AS {e.LocalAs})", $"{e.PeerIp} (AS {e.PeerAs})")
            : ($"{e.PeerIp} (AS {e.PeerAs})", $"{e.LocalIp} (AS {e.LocalAs})");
        return e.IsStateChange
            ? $"{time} {type} {e.PeerIp} (AS {e.PeerAs}) state {FsmState(e.OldState)} -> {FsmState(e.NewState)}"
            : $"{time} {type} {from} -> {to}";
    }

    public static string Label(uint raw, bool vxlan) => vxlan ? $"vni {EvpnLabel.ToVni(raw)}" : $"mpls {EvpnLabel.ToMpls(raw)}";

    public static string Pmsi(PmsiTunnel p) =>
        $"type {p.TunnelType}{(p.TunnelType == PmsiTunnel.IngressReplication ? " (ingress replication)" : "")} flags {p.Flags} label {p.Label}" +
        (p.Endpoint is { } ep ? $" endpoint {ep}" : $" id {Convert.ToHexString(p.TunnelIdentifier.Span).ToLowerInvariant()}");
}
