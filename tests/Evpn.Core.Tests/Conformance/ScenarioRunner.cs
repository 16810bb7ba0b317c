using System.Globalization;
using System.Text;
using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core.Tests.Conformance;

/// <summary>Replays a scenario file through a fresh core. After every event it takes the core's
/// outputs (data-plane intents in order, outbound routes per peer in any order, alerts in order) and
/// compares them with the <c>&gt;</c> lines that follow the event: anything produced and not expected,
/// or expected and not produced, fails the scenario.</summary>
internal sealed class ScenarioRunner
{
    private const uint DefaultVni = 100;
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _failures = new();
    private CoreOptions _options = new(65000, IpAddr.Parse("10.0.0.1"), IpAddr.Parse("10.0.0.1"));
    private EvpnCore? _core;

    public string Name { get; private set; } = "";
    public int Events { get; private set; }

    /// <summary>Runs the file; returns the failures (empty when the core did exactly what the file expects).</summary>
    public IReadOnlyList<string> Run(string path)
    {
        var lines = File.ReadAllLines(path);
        var step = (Line: 0, Text: "");
        var expected = new List<string>();
        for (var i = 0; i <= lines.Length; i++)
        {
            var text = i < lines.Length ? lines[i].Trim() : null;
            if (text is not null && (text.Length == 0 || text.StartsWith('#')))
            {
                continue;
            }
            if (text is not null && text.StartsWith('>'))
            {
                expected.Add(text[1..].Trim());
                continue;
            }
            if (step.Line > 0)
            {
                Compare(step.Line, step.Text, expected);
            }
            expected.Clear();
            if (text is null)
            {
                break;
            }
            if (text.StartsWith("scenario:", StringComparison.Ordinal))
            {
                Name = text["scenario:".Length..].Trim();
                continue;
            }
            if (text.StartsWith("config", StringComparison.Ordinal))
            {
                Configure(text);
                continue;
            }
            _core ??= new EvpnCore(_options, _time);
            Apply(text);
            Events++;
            step = (i + 1, text);
        }
        return _failures;
    }

    private void Compare(int line, string eventText, List<string> expected)
    {
        var core = _core!;
        var intents = core.TakeIntents().Select(ScenarioFormat.Intent).ToList();
        var outbound = core.TakeOutbound().SelectMany(ScenarioFormat.Outbound).Order(StringComparer.Ordinal).ToList();
        var alerts = core.TakeAlerts().Select(ScenarioFormat.Alert).ToList();
        var wantIntents = expected.Where(e => e.StartsWith("intent ", StringComparison.Ordinal)).ToList();
        var wantOutbound = expected.Where(e => e.StartsWith("out ", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var wantAlerts = expected.Where(e => e.StartsWith("alert ", StringComparison.Ordinal)).ToList();
        if (intents.SequenceEqual(wantIntents) && outbound.SequenceEqual(wantOutbound) && alerts.SequenceEqual(wantAlerts))
        {
            return;
        }
        var report = new StringBuilder($"line {line}: {eventText}\n");
        Diff(report, "intents", wantIntents, intents);
        Diff(report, "outbound", wantOutbound, outbound);
        Diff(report, "alerts", wantAlerts, alerts);
        _failures.Add(report.ToString());
    }

    private static void Diff(StringBuilder report, string what, List<string> expected, List<string> actual)
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }
        report.AppendLine($"  {what} expected:");
        expected.ForEach(e => report.AppendLine("    > " + e));
        report.AppendLine($"  {what} actual:");
        actual.ForEach(a => report.AppendLine("    > " + a));
    }

    private void Configure(string text)
    {
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var o = ScenarioFormat.Options(tokens.Skip(1));
        if (tokens[0] == "config-vni")
        {
            _options = _options with { Vnis = [.. _options.Vnis, VniConfig(tokens)] };
            return;
        }
        var dad = _options.DuplicateDetection;
        _options = _options with
        {
            IsRouteReflector = o.ContainsKey("rr"),
            ClusterId = o.TryGetValue("cluster", out var cluster) ? IpAddr.Parse(cluster) : null,
            WildcardImport = o.ContainsKey("wildcard"),
            AdvertiseDefaultGateway = o.ContainsKey("default-gw"),
            Derivation = o.GetValueOrDefault("rt-format") == "rfc8365" ? DerivationMode.Rfc8365 : DerivationMode.Frr,
            DuplicateDetection = dad with
            {
                Enabled = o.GetValueOrDefault("dad") != "off",
                MaxMoves = o.TryGetValue("dad-moves", out var moves) ? int.Parse(moves, CultureInfo.InvariantCulture) : dad.MaxMoves,
                Window = o.TryGetValue("dad-window", out var window) ? TimeSpan.FromSeconds(int.Parse(window, CultureInfo.InvariantCulture)) : dad.Window,
                FreezeTime = o.TryGetValue("freeze", out var freeze) ? TimeSpan.FromSeconds(int.Parse(freeze, CultureInfo.InvariantCulture)) : dad.FreezeTime,
            },
        };
    }

    private static VniConfig VniConfig(string[] tokens)
    {
        var o = ScenarioFormat.Options(tokens.Skip(2));
        return new VniConfig(
            uint.Parse(tokens[1], CultureInfo.InvariantCulture),
            o.TryGetValue("rd", out var rd) ? RouteDistinguisher.Parse(rd) : null,
            o.TryGetValue("import", out var import) ? import.Split(',').Select(ScenarioFormat.RouteTarget).ToList() : null,
            o.TryGetValue("export", out var export) ? export.Split(',').Select(ScenarioFormat.RouteTarget).ToList() : null,
            o.ContainsKey("gw") ? true : null);
    }

    private void Apply(string text)
    {
        var core = _core!;
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var p = ScenarioFormat.Positional(tokens);
        var o = ScenarioFormat.Options(tokens.Skip(1));
        uint U(string s) => uint.Parse(s, CultureInfo.InvariantCulture);
        var vni = o.TryGetValue("vni", out var v) ? U(v) : DefaultVni;
        switch (tokens[0])
        {
            case "vni-up":
                var vtep = o.TryGetValue("vtep", out var vt) ? IpAddr.Parse(vt) : _options.LocalVtep;
                core.Apply(new DataPlaneEvent.VniUp(new VniInfo(U(p[1]), $"vxlan{p[1]}", "br0", vtep, 4789, false, o.GetValueOrDefault("svi"))));
                break;
            case "vni-down":
                core.Apply(new DataPlaneEvent.VniDown(U(p[1])));
                break;
            case "peer-up":
                var asn = o.TryGetValue("as", out var a) ? U(a) : _options.LocalAsn;
                core.PeerUp(new PeerSession(IpAddr.Parse(p[1]), asn, IpAddr.Parse(o.GetValueOrDefault("rid") ?? p[1]), asn == _options.LocalAsn,
                    [AfiSafi.L2vpnEvpn], o.ContainsKey("client")));
                break;
            case "peer-down":
                core.PeerDown(IpAddr.Parse(p[1]), o.ContainsKey("gr"));
                break;
            case "eor":
                core.EndOfRibReceived(IpAddr.Parse(p[1]), AfiSafi.L2vpnEvpn);
                break;
            case "restart-expired":
                core.RestartTimerExpired(IpAddr.Parse(p[1]));
                break;
            case "refresh":
                core.RefreshRequested(IpAddr.Parse(p[1]), AfiSafi.L2vpnEvpn);
                break;
            case "announce":
                var route = ScenarioFormat.Route(p.Skip(2).ToList(), vni);
                var nextHop = IpAddr.Parse(o.GetValueOrDefault("nh") ?? p[1]);
                core.UpdateReceived(IpAddr.Parse(p[1]), [route], Attributes(o, route, vni, nextHop), nextHop, []);
                break;
            case "withdraw":
                core.UpdateReceived(IpAddr.Parse(p[1]), [], PathAttributes.Empty, default, [ScenarioFormat.Route(p.Skip(2).ToList(), vni)]);
                break;
            case "local-mac":
                core.Apply(new DataPlaneEvent.LocalMacLearned(U(p[1]), MacAddress.Parse(p[2]), o.ContainsKey("sticky"), o.GetValueOrDefault("port") ?? "eth1"));
                break;
            case "local-mac-removed":
                core.Apply(new DataPlaneEvent.LocalMacRemoved(U(p[1]), MacAddress.Parse(p[2])));
                break;
            case "local-neighbor":
                core.Apply(new DataPlaneEvent.LocalNeighborLearned(U(p[1]), IpAddr.Parse(p[2]), MacAddress.Parse(p[3])));
                break;
            case "local-neighbor-removed":
                core.Apply(new DataPlaneEvent.LocalNeighborRemoved(U(p[1]), IpAddr.Parse(p[2])));
                break;
            case "advance":
                _time.Advance(TimeSpan.FromSeconds(int.Parse(p[1], CultureInfo.InvariantCulture)));
                break;
            case "tick":
                core.Tick();
                break;
            case "clear-duplicate":
                core.ClearDuplicates(U(p[1]), MacAddress.Parse(p[2]));
                break;
            case "reconfigure-vni":
                var config = VniConfig(tokens);
                _options = _options with { Vnis = [.. _options.Vnis.Where(c => c.Vni != config.Vni), config] };
                core.Reconfigure(_options);
                break;
            case "unconfigure-vni":
                _options = _options with { Vnis = [.. _options.Vnis.Where(c => c.Vni != U(p[1]))] };
                core.Reconfigure(_options);
                break;
            default:
                throw new FormatException($"unknown event '{tokens[0]}' in: {text}");
        }
    }

    /// <summary>Attributes of an announced route: route targets (default: auto for the VNI), VXLAN
    /// encapsulation (or <c>encap=N</c>), MAC mobility, default gateway, PMSI for type-3.</summary>
    private PathAttributes Attributes(Dictionary<string, string> o, EvpnRoute route, uint vni, IpAddr nextHop)
    {
        var communities = new List<ExtendedCommunity>();
        communities.AddRange(o.TryGetValue("rt", out var rt)
            ? rt.Split(',').Select(ScenarioFormat.RouteTarget)
            : [VniIdentity.RouteTarget(_options.Derivation, _options.LocalAsn, vni, vni)]);
        communities.Add(o.TryGetValue("encap", out var encap) ? ExtendedCommunity.Encapsulation(ushort.Parse(encap, CultureInfo.InvariantCulture)) : ExtendedCommunity.VxlanEncapsulation);
        if (o.TryGetValue("seq", out var seq) || o.ContainsKey("sticky"))
        {
            communities.Add(ExtendedCommunity.MacMobility(seq is null ? 0 : uint.Parse(seq, CultureInfo.InvariantCulture), o.ContainsKey("sticky")));
        }
        if (o.ContainsKey("gw"))
        {
            communities.Add(ExtendedCommunity.DefaultGateway);
        }
        var path = o.TryGetValue("path", out var asns)
            ? new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, asns.Split(',').Select(x => uint.Parse(x, CultureInfo.InvariantCulture)).ToArray()) })
            : AsPath.Empty;
        return new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = path,
            LocalPref = o.TryGetValue("lp", out var lp) ? uint.Parse(lp, CultureInfo.InvariantCulture) : (path.Segments.Count == 0 ? 100 : null),
            OriginatorId = o.TryGetValue("orig", out var orig) ? IpAddr.Parse(orig) : null,
            ClusterList = o.TryGetValue("cl", out var cl) ? cl.Split(',').Select(IpAddr.Parse).ToArray() : EquatableArray<IpAddr>.Empty,
            ExtendedCommunities = communities.ToArray(),
            PmsiTunnel = route is InclusiveMulticastRoute && o.GetValueOrDefault("pmsi") != "none" ? PmsiTunnel.IngressReplicationTo(nextHop, vni) : null,
        };
    }
}
