using System.Collections.Immutable;
using Evpn.Config.Options;
using Evpn.Config.Yaml;
using Evpn.Wire;

namespace Evpn.Config.Loading;

/// <summary>Reads one entry of `neighbors`.</summary>
internal static class NeighborSection
{
    private static readonly string[] Keys =
    [
        "address", "listen-range", "interface", "interface-ra", "remote-as", "description", "password", "ttl-security", "multihop", "source-address",
        "timers", "families", "graceful-restart", "max-prefix", "route-reflector-client", "shutdown", "shutdown-message", "passive",
        "enforce-first-as", "path-attribute", "listen-limit", "add-path",
    ];
    private static readonly string[] TimerKeys = ["hold-time", "keepalive", "connect-retry", "delay-open", "send-hold-time"];
    private static readonly string[] GracefulRestartKeys = ["enabled", "restart-time", "stale-routes-time"];
    private static readonly string[] MaxPrefixKeys = ["limit", "warning-threshold", "restart-interval"];
    private static readonly string[] PathAttributeKeys = ["discard", "treat-as-withdraw"];
    private static readonly ScalarRule<int> AttributeTypeCode = Rules.IntRange(1, 255, "an attribute type code 1..255");

    /// <summary>RFC 4271 section 4.2: the Hold Time MUST be either zero or at least three seconds.</summary>
    private static readonly ScalarRule<TimeSpan> HoldTime = new("a hold time of 0 or 3..65535 seconds (RFC 4271 section 4.2)", (string t, out TimeSpan v) =>
        Rules.Seconds(0, 65535).Parse(t, out v) && v.TotalSeconds is 0 or >= 3);

    /// <summary>RFC 5082 section 3: packets are accepted with TTL >= 256 - hops, so 254 hops is the most that still rejects TTL 1.</summary>
    private static readonly ScalarRule<int> TtlSecurity = Rules.IntRange(1, 254, "a hop count 1..254");
    private static readonly ScalarRule<int> Multihop = Rules.IntRange(1, 255, "a TTL 1..255");
    private static readonly ScalarRule<TimeSpan> Keepalive = Rules.Seconds(0, 21845);
    private static readonly ScalarRule<TimeSpan> ConnectRetry = Rules.Seconds(1, 65535);
    private static readonly ScalarRule<TimeSpan> DelayOpen = Rules.Seconds(1, 240);
    private static readonly ScalarRule<TimeSpan> RestartTime = Rules.Seconds(1, 4095);
    private static readonly ScalarRule<TimeSpan> StaleRoutesTime = Rules.Seconds(1, 4095);
    private static readonly ScalarRule<uint> PrefixLimit = Rules.UIntRange(1, uint.MaxValue);
    private static readonly ScalarRule<int> Percent = Rules.IntRange(1, 100, "a percentage 1..100");
    private static readonly ScalarRule<TimeSpan> RestartInterval = Rules.Seconds(1, 604800);
    private static readonly ScalarRule<TimeSpan> SendHoldTime = Rules.Seconds(3, 65535);

    /// <summary>A Linux interface name (IFNAMSIZ 16 with the terminating zero): no '/', ':', whitespace, not '.' or '..'.</summary>
    private static readonly ScalarRule<string> InterfaceName = new("an interface name of 1..15 characters without '/', ':' or spaces", (string t, out string v) =>
    {
        v = t;
        return t.Length is > 0 and <= 15 && t is not "." and not ".." && !t.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c) || char.IsControl(c));
    });

    /// <summary>RFC 7911 for L2VPN EVPN: `receive`, or `none` (the default). Sending several paths is not built.</summary>
    private static readonly ScalarRule<bool> AddPath = new("'receive' or 'none' (evpnd sends one path per route; add-path send is not supported)",
        (string t, out bool v) =>
        {
            v = t == "receive";
            return t is "receive" or "none";
        });

    /// <summary>Dynamic peers accepted at once from one listen range (FRR's `bgp listen limit` allows 1..65535).</summary>
    private static readonly ScalarRule<int> ListenLimit = Rules.IntRange(1, 65535, "a number of peers 1..65535");

    public static NeighborOptions? Read(ReadContext ctx, YNode node, string path)
    {
        var m = MappingReader.Open(ctx, node, path, node.Position, Keys);
        if (m is null)
        {
            return null;
        }
        var address = m.Optional("address", Rules.Address);
        var range = m.Optional("listen-range", Rules.Prefix);
        var ifname = m.OptionalText("interface", InterfaceName);
        string[] forms = ["address", "listen-range", "interface"];
        var given = forms.Where(m.Has).ToArray();
        if (given.Length == 0)
        {
            ctx.Error(ctx.PositionOf(path), path, "missing required key 'address', 'listen-range' or 'interface'");
        }
        else if (given.Length > 1)
        {
            ctx.Error(m.PositionOf(given[1]), m.Child(given[1]),
                $"'{given[0]}' and '{given[1]}' cannot both be set: a neighbor is one peer, a range of dynamic peers or the peer on one interface");
        }
        if (m.Has("interface-ra") && !m.Has("interface"))
        {
            ctx.Error(m.PositionOf("interface-ra"), m.Child("interface-ra"), "'interface-ra' applies to an 'interface' neighbor only: it sends router advertisements on that interface");
        }
        if (m.Has("interface") && m.Has("multihop"))
        {
            ctx.Error(m.PositionOf("multihop"), m.Child("multihop"), "'multihop' cannot be set on an 'interface' neighbor: a link-local peer is one hop away");
        }
        if (m.Has("interface") && m.Has("source-address"))
        {
            ctx.Error(m.PositionOf("source-address"), m.Child("source-address"), "'source-address' cannot be set on an 'interface' neighbor: the session uses the interface's link-local address");
        }
        if (m.Has("ttl-security") && m.Has("multihop"))
        {
            // GTSM requires the peer to send with TTL 255 and checks what arrives; multihop lowers what we send
            // and accepts less. Together they contradict (RFC 5082 section 3).
            ctx.Error(m.PositionOf("multihop"), m.Child("multihop"), "'ttl-security' and 'multihop' cannot both be set: GTSM already allows the configured number of hops");
        }
        if (m.Has("listen-limit") && !m.Has("listen-range"))
        {
            ctx.Error(m.PositionOf("listen-limit"), m.Child("listen-limit"), "'listen-limit' applies to a 'listen-range' only: it caps the dynamic peers accepted from the range");
        }
        var remoteAs = m.Required("remote-as", Rules.RemoteAs, PeerAs.External);
        var families = ReadFamilies(ctx, m);
        var addPath = m.Read("add-path", AddPath, false);
        if (addPath && !families.AsSpan().Contains(AfiSafi.L2vpnEvpn))
        {
            ctx.Error(m.PositionOf("add-path"), m.Child("add-path"), "'add-path: receive' is for l2vpn-evpn routes, and 'families' does not list l2vpn-evpn");
        }
        return new NeighborOptions(
            address,
            range,
            remoteAs,
            m.OptionalText("description", Rules.Text),
            m.OptionalText("password", Rules.Password),
            m.Optional("ttl-security", TtlSecurity),
            m.Optional("multihop", Multihop),
            m.Optional("source-address", Rules.Address),
            ReadTimers(ctx, m),
            families,
            ReadGracefulRestart(ctx, m),
            ReadMaxPrefix(ctx, m),
            m.Read("route-reflector-client", Rules.Bool, false),
            m.Read("shutdown", Rules.Bool, false),
            m.OptionalText("shutdown-message", ShutdownMessage),
            m.Read("passive", Rules.Bool, false),
            m.Read("listen-limit", ListenLimit, NeighborOptions.DefaultListenLimit))
        {
            EnforceFirstAs = m.Read("enforce-first-as", Rules.Bool, true),
            AddPathReceive = addPath,
            PathAttributes = ReadPathAttributes(ctx, m),
            Interface = ifname,
            InterfaceRa = m.Read("interface-ra", Rules.Bool, true),
        };
    }

    /// <summary>`path-attribute: {discard: [types], treat-as-withdraw: [types]}`. The types that carry the
    /// routes or are mandatory for them cannot be listed (<see cref="ReceivePolicy"/>), nor one type in both.</summary>
    private static NeighborPathAttributes ReadPathAttributes(ReadContext ctx, MappingReader neighbor)
    {
        var m = MappingReader.Open(ctx, neighbor.Node("path-attribute"), neighbor.Child("path-attribute"), neighbor.Position, PathAttributeKeys);
        if (m is null)
        {
            return NeighborPathAttributes.None;
        }
        var discard = ReadTypes(ctx, m, "discard", ReceivePolicy.MayBeDiscarded,
            "is mandatory for the routes of an UPDATE (ORIGIN, AS_PATH, NEXT_HOP) or carries them (MP_REACH_NLRI, MP_UNREACH_NLRI) and cannot be discarded");
        var withdraw = ReadTypes(ctx, m, "treat-as-withdraw", ReceivePolicy.MayBeWithdrawn,
            "carries the routes of the UPDATE (MP_REACH_NLRI, MP_UNREACH_NLRI) and cannot be treat-as-withdraw");
        for (var i = 0; i < withdraw.Count; i++)
        {
            if (discard.AsSpan().Contains(withdraw[i]))
            {
                ctx.Invalid($"{m.Child("treat-as-withdraw")}[{i}]", $"attribute type {withdraw[i]} is also listed under discard: choose one");
            }
        }
        return new NeighborPathAttributes(discard, withdraw);
    }

    private static EquatableArray<byte> ReadTypes(ReadContext ctx, MappingReader m, string key, Func<byte, bool> allowed, string refusal)
    {
        if (m.List(key, AttributeTypeCode) is not { } list)
        {
            return EquatableArray<byte>.Empty;
        }
        var types = ImmutableArray.CreateBuilder<byte>(list.Length);
        for (var i = 0; i < list.Length; i++)
        {
            var type = (byte)list[i];
            if (!allowed(type))
            {
                ctx.Invalid($"{m.Child(key)}[{i}]", $"attribute type {type} {refusal}");
            }
            else if (types.Contains(type))
            {
                ctx.Invalid($"{m.Child(key)}[{i}]", $"attribute type {type} is listed twice");
            }
            else
            {
                types.Add(type);
            }
        }
        return types.ToImmutable();
    }

    /// <summary>RFC 8203 (updated by RFC 9003): the shutdown communication is at most 255 octets of UTF-8.</summary>
    private static readonly ScalarRule<string> ShutdownMessage = new("a message of 1..255 bytes (RFC 9003)", (string t, out string v) =>
    {
        v = t;
        return System.Text.Encoding.UTF8.GetByteCount(t) is > 0 and <= 255;
    });

    private static NeighborTimers ReadTimers(ReadContext ctx, MappingReader neighbor)
    {
        var d = NeighborTimers.Default;
        var m = MappingReader.Open(ctx, neighbor.Node("timers"), neighbor.Child("timers"), neighbor.Position, TimerKeys);
        if (m is null)
        {
            return d;
        }
        var hold = m.Read("hold-time", HoldTime, d.HoldTime);
        // Without an explicit keepalive, keep the RFC 4271 section 10 ratio: one third of the hold time.
        var keepalive = m.Read("keepalive", Keepalive, m.Has("hold-time") ? TimeSpan.FromSeconds(Math.Floor(hold.TotalSeconds / 3)) : d.Keepalive);
        if (m.Has("keepalive") && keepalive > TimeSpan.Zero && hold > TimeSpan.Zero && keepalive >= hold)
        {
            ctx.Error(m.PositionOf("keepalive"), m.Child("keepalive"),
                $"keepalive ({keepalive.TotalSeconds}s) must be less than hold-time ({hold.TotalSeconds}s); one third of it is usual (RFC 4271 section 10)");
        }
        if (m.Has("keepalive") && keepalive > TimeSpan.Zero && hold == TimeSpan.Zero)
        {
            ctx.Error(m.PositionOf("keepalive"), m.Child("keepalive"), "keepalive must be 0 when hold-time is 0: no KEEPALIVE is sent (RFC 4271 section 4.4)");
        }
        return new NeighborTimers(hold, keepalive, m.Read("connect-retry", ConnectRetry, d.ConnectRetry), m.Optional("delay-open", DelayOpen),
            m.Optional("send-hold-time", SendHoldTime));
    }

    private static EquatableArray<AfiSafi> ReadFamilies(ReadContext ctx, MappingReader neighbor)
    {
        var families = neighbor.List("families", Rules.Family);
        if (families is not { } list)
        {
            return NeighborOptions.DefaultFamilies;
        }
        if (list.IsEmpty)
        {
            ctx.Error(neighbor.PositionOf("families"), neighbor.Child("families"), "expected at least one address family, found an empty list");
            return NeighborOptions.DefaultFamilies;
        }
        var distinct = list.Distinct().ToImmutableArray();
        if (distinct.Length != list.Length)
        {
            ctx.Error(neighbor.PositionOf("families"), neighbor.Child("families"), "an address family is listed twice");
        }
        return distinct;
    }

    private static NeighborGracefulRestart ReadGracefulRestart(ReadContext ctx, MappingReader neighbor)
    {
        var d = NeighborGracefulRestart.Default;
        var m = MappingReader.Open(ctx, neighbor.Node("graceful-restart"), neighbor.Child("graceful-restart"), neighbor.Position, GracefulRestartKeys);
        if (m is null)
        {
            return d;
        }
        return new NeighborGracefulRestart(
            m.Read("enabled", Rules.Bool, d.Enabled),
            m.Read("restart-time", RestartTime, d.RestartTime),
            m.Read("stale-routes-time", StaleRoutesTime, d.StaleRoutesTime));
    }

    private static MaxPrefixSettings? ReadMaxPrefix(ReadContext ctx, MappingReader neighbor)
    {
        if (!neighbor.Has("max-prefix"))
        {
            return null;
        }
        var m = MappingReader.Open(ctx, neighbor.Node("max-prefix"), neighbor.Child("max-prefix"), neighbor.Position, MaxPrefixKeys);
        if (m is null)
        {
            return null;
        }
        return new MaxPrefixSettings(
            m.Required("limit", PrefixLimit, uint.MaxValue),
            m.Read("warning-threshold", Percent, MaxPrefixSettings.DefaultWarningThresholdPercent),
            m.Optional("restart-interval", RestartInterval));
    }
}
