using Evpn.Config.Options;
using Evpn.Config.Yaml;

namespace Evpn.Config.Loading;

/// <summary>Reads `router`.</summary>
internal static class RouterSection
{
    private static readonly string[] Keys = ["asn", "router-id", "local-vtep", "listen-address", "listen-port", "graceful-restart", "allow-loopback-vteps", "update-group-backlog"];
    private static readonly string[] GracefulRestartKeys = ["enabled", "restart-time", "preserve-forwarding", "on-stop"];

    /// <summary>RFC 4724 section 3: Restart Time is a 12-bit field.</summary>
    private static readonly ScalarRule<TimeSpan> RestartTime = Rules.Seconds(1, 4095);

    /// <summary>At least a few of the speaker's outbound slices, so that a member is not split for one slow write;
    /// at most what a stream of a million-route table's worth of packed UPDATEs could hold.</summary>
    private static readonly ScalarRule<int> UpdateGroupBacklog = Rules.IntRange(1_024, 16_777_216);

    public static RouterOptions? Read(ReadContext ctx, YNode? node, SourcePosition fallback)
    {
        if (node is null)
        {
            ctx.Error(fallback, string.Empty, "missing required key 'router' (a mapping with asn and local-vtep)");
            return null;
        }
        var m = MappingReader.Open(ctx, node, "router", fallback, Keys);
        if (m is null)
        {
            return null;
        }
        var asn = m.Required("asn", Rules.Asn, 0u);
        var vtep = m.Required("local-vtep", Rules.Address, default);
        var routerId = m.Optional("router-id", Rules.RouterId);
        if (routerId is null && !m.Has("router-id"))
        {
            // The BGP identifier defaults to an IPv4 VTEP address, the usual loopback of a leaf. An IPv6
            // VTEP cannot stand in: the identifier is 32 bits (RFC 6286).
            if (vtep.IsV4 && vtep.V4Bits != 0)
            {
                routerId = vtep;
            }
            else if (m.Has("local-vtep") && vtep != default)
            {
                ctx.Error(ctx.PositionOf("router"), "router", "missing required key 'router-id' (required when local-vtep is not an IPv4 address: the BGP identifier is a 32-bit value written as IPv4)");
            }
        }
        return new RouterOptions(
            asn,
            routerId ?? default,
            vtep,
            m.Optional("listen-address", Rules.Address),
            m.Read("listen-port", Rules.Port, RouterOptions.DefaultListenPort),
            ReadGracefulRestart(ctx, m),
            m.Read("allow-loopback-vteps", Rules.Bool, false),
            m.Read("update-group-backlog", UpdateGroupBacklog, RouterOptions.DefaultUpdateGroupBacklog));
    }

    private static RouterGracefulRestartOptions ReadGracefulRestart(ReadContext ctx, MappingReader router)
    {
        var d = RouterGracefulRestartOptions.Default;
        var m = MappingReader.Open(ctx, router.Node("graceful-restart"), router.Child("graceful-restart"), router.Position, GracefulRestartKeys);
        if (m is null)
        {
            return d;
        }
        return new RouterGracefulRestartOptions(
            m.Read("enabled", Rules.Bool, d.Enabled),
            m.Read("restart-time", RestartTime, d.RestartTime),
            m.Read("preserve-forwarding", Rules.Bool, d.PreserveForwarding),
            m.Read("on-stop", Rules.OnStop, d.OnStop));
    }
}
