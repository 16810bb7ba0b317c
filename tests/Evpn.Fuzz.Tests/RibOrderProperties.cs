using CsCheck;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Tests;

/// <summary>The RIB's result does not depend on how the streams of several peers interleave: each peer's own
/// announcements and withdrawals keep their order (that order is their meaning), the peers' streams are merged at
/// random and best path runs at random points in between. The Loc-RIB (every key's paths and its best path) and
/// what a route-reflector client is sent end the same as when the streams are applied one peer after the other.</summary>
public class RibOrderProperties
{
    private const uint LocalAs = 65000;
    private const uint ExternalAs = 65003;

    private static readonly PeerSession[] Sources =
    [
        new(IpAddr.Parse("10.0.0.11"), LocalAs, IpAddr.Parse("10.0.0.11"), true, [AfiSafi.L2vpnEvpn], IsRouteReflectorClient: true),
        new(IpAddr.Parse("10.0.0.12"), LocalAs, IpAddr.Parse("10.0.0.12"), true, [AfiSafi.L2vpnEvpn]),
        new(IpAddr.Parse("10.0.0.13"), ExternalAs, IpAddr.Parse("10.0.0.13"), false, [AfiSafi.L2vpnEvpn]),
    ];

    private static readonly PeerSession Observer =
        new(IpAddr.Parse("10.0.0.20"), LocalAs, IpAddr.Parse("10.0.0.20"), true, [AfiSafi.L2vpnEvpn], IsRouteReflectorClient: true);

    /// <summary>A few keys, so that the peers' paths meet on the same ones: MAC routes under two RDs, MAC+IP, IMET.</summary>
    private static readonly EvpnRoute[] Keys =
    [
        Mac("10.0.0.11:100", 1), Mac("10.0.0.11:100", 2), Mac("10.0.0.12:100", 1), Mac("10.0.0.12:100", 2, "192.168.0.2"),
        new InclusiveMulticastRoute(RouteDistinguisher.Parse("10.0.0.11:100"), 0, IpAddr.Parse("10.0.0.11")),
    ];

    private static readonly IpAddr[] NextHops = [IpAddr.Parse("10.1.0.1"), IpAddr.Parse("10.1.0.2")];

    private static EvpnRoute Mac(string rd, ulong mac, string? ip = null) => new MacIpAdvertisementRoute(RouteDistinguisher.Parse(rd), EthernetSegmentId.Zero, 0,
        new MacAddress(0x0200_0000_0000 + mac), ip is null ? null : IpAddr.Parse(ip), EvpnLabel.FromVni(100));

    /// <summary>One UPDATE's worth: the keys it names, and either a withdrawal or the attributes it announces them with.</summary>
    private sealed record Message(int[] Keys, bool Withdraw, uint? LocalPref, int AsPathLength, uint? Med, uint? Sequence, bool Sticky, int NextHop)
    {
        public override string ToString() => Withdraw
            ? $"withdraw [{string.Join(',', Keys)}]"
            : $"announce [{string.Join(',', Keys)}] lp={LocalPref} as-path={AsPathLength} med={Med} seq={Sequence} sticky={Sticky} nh={NextHop}";
    }

    private static readonly Gen<Message> MessageGen = Gen.Select(Gen.Int[0, Keys.Length - 1].ArrayUnique[1, 3], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 2],
        Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 1],
        (keys, kind, lp, asPath, seq, sticky, nh) => new Message(keys, kind == 0, lp switch { 0 => null, 1 => 100u, _ => 200u }, asPath,
            kind == 1 ? 5u : null, seq == 0 ? null : (uint)seq - 1, sticky && seq != 0, nh));

    /// <summary>Each source's stream, and a merge of them: the order the sources take turns in, and after which
    /// message best path runs.</summary>
    private static readonly Gen<(Message[][] Streams, int[] Turns, bool[] ProcessAfter)> Run =
        MessageGen.Array[0, 8].Array[Sources.Length].SelectMany(streams =>
        {
            var turns = streams.SelectMany((s, peer) => Enumerable.Repeat(peer, s.Length)).ToArray();
            return Gen.Select(Gen.Shuffle(turns), Gen.Bool.Array[turns.Length], (shuffled, process) => (streams, shuffled, process));
        });

    [Fact]
    public void The_loc_rib_and_what_is_sent_do_not_depend_on_how_the_peers_streams_interleave() =>
        Run.Sample(run =>
        {
            var oneAfterAnother = run.Streams.SelectMany((s, peer) => Enumerable.Repeat(peer, s.Length)).ToArray();
            var expected = Apply(run.Streams, oneAfterAnother, new bool[oneAfterAnother.Length]);
            var actual = Apply(run.Streams, run.Turns, run.ProcessAfter);
            Assert.Equal(expected.LocRib, actual.LocRib);
            Assert.Equal(expected.Sent, actual.Sent);
        }, iter: 2000, print: run => string.Join("\n", run.Streams.Select((s, p) => $"{Sources[p].Address}: {string.Join("; ", s.Select(m => m.ToString()))}"))
            + $"\nturns {string.Join(',', run.Turns)}; best path after {string.Join(',', run.ProcessAfter.Select((p, i) => p ? i : -1).Where(i => i >= 0))}");

    /// <summary>Applies the streams in the given turns; returns the Loc-RIB and the observer's Adj-RIB-Out, each as
    /// sorted lines.</summary>
    private static (string LocRib, string Sent) Apply(Message[][] streams, int[] turns, bool[] processAfter)
    {
        var rib = new Rib.Rib(new RibOptions(LocalAs, IpAddr.Parse("10.0.0.1"), IsRouteReflector: true));
        foreach (var session in Sources.Append(Observer))
        {
            rib.PeerUp(session);
        }
        var next = new int[streams.Length];
        var changes = new List<BestPathChange>();
        for (var i = 0; i < turns.Length; i++)
        {
            var peer = turns[i];
            var message = streams[peer][next[peer]++];
            var routes = message.Keys.Select(k => Keys[k]).ToList();
            if (message.Withdraw)
            {
                rib.Withdraw(Sources[peer].Address, [.. routes]);
            }
            else
            {
                rib.Receive(Sources[peer].Address, [.. routes], Attributes(message, Sources[peer]), NextHops[message.NextHop]);
            }
            if (processAfter[i])
            {
                rib.ProcessChanges(changes);
            }
        }
        rib.ProcessChanges(changes);
        while (rib.HasOutboundWork())
        {
            rib.TakeOutbound();
        }
        var locRib = rib.Destinations.Select(d => $"{d.Key}: best {Path(d.Best)}; paths {string.Join(" | ", d.Paths.Select(Path).Order(StringComparer.Ordinal))}");
        var sent = rib.AdjRibOut(Observer.Address).Select(r => $"{r.Route} via {r.Attributes.NextHop} {Text(r.Attributes.Attributes)}");
        return (string.Join('\n', locRib.Order(StringComparer.Ordinal)), string.Join('\n', sent.Order(StringComparer.Ordinal)));
    }

    private static string Path(RibPath? path) => path is null ? "none" : $"{path.Source} via {path.NextHop} {Text(path.Attributes.Attributes)}";

    /// <summary>The attributes as text, with their value hash: equal attributes give equal text within a run.</summary>
    private static string Text(PathAttributes attributes) => $"{attributes} #{attributes.GetHashCode():x8}";

    private static PathAttributes Attributes(Message m, PeerSession from)
    {
        var asns = Enumerable.Range(0, m.AsPathLength).Select(i => 65100u + (uint)i);
        if (!from.IsInternal)
        {
            asns = asns.Prepend(from.PeerAsn);
        }
        var path = asns.ToArray();
        List<ExtendedCommunity> communities = [ExtendedCommunity.RouteTargetAs2(65000, 100), ExtendedCommunity.VxlanEncapsulation];
        if (m.Sequence is { } sequence)
        {
            communities.Add(ExtendedCommunity.MacMobility(sequence, m.Sticky));
        }
        return new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = path.Length == 0 ? AsPath.Empty : new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, path) }),
            LocalPref = from.IsInternal ? m.LocalPref : null,
            MultiExitDisc = m.Med,
            ExtendedCommunities = communities.ToArray(),
        };
    }
}
