using System.Buffers;
using System.Diagnostics;
using Evpn.Core;
using Evpn.DataPlane;
using Evpn.DataPlane.InMemory;
using Evpn.DataPlane.Linux;
using Evpn.Rib;
using Evpn.Wire;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evpn.Daemon.Speaker;

/// <summary>What a rehearsal did: routes decoded and taken through the core, intents applied to the throwaway
/// data plane, netlink requests encoded, entries left at the end (none: the rehearsal withdraws everything).</summary>
internal sealed record RehearsalReport(int Routes, int Intents, int Requests, int EntriesLeft, TimeSpan Elapsed);

/// <summary>Takes a made-up table through the path a real one takes, on throwaway instances, before any peer
/// connects: UPDATE framing and decoding, the EVPN core (Adj-RIB-In, best path, import, MAC mobility,
/// withdrawal), the intent writer, the data-plane writer with its owned-entry tables and, for the kernel data
/// plane, the netlink request encoding. Nothing reaches the kernel, the real core or a session.</summary>
/// <remarks>
///   evpnd's methods are compiled, optimized, at their first call. A VTEP that starts or restarts gets its
///   peers' whole table at once; without the rehearsal the table would wait while that whole path compiles.
///   The rehearsal moves that work to start-up, before any session, where nothing waits for it.
///   The routes are spread over the phases a fabric produces: announce (MAC-only, MAC+IPv4 and MAC+IPv6
///   type-2, type-3 with ingress replication), a move of some MACs to the other VTEP with a higher MAC mobility
///   sequence (RFC 7432 section 15) and the old routes' withdrawal, then the withdrawal of everything.
/// </remarks>
internal static class FirstLoadRehearsal
{
    private const int Vnis = 8;
    private const int Peers = 2;
    private const int HostsPerPeerAndVni = 256;

    /// <summary>Every tenth host of the first VTEP moves to the second.</summary>
    private const int MoveEvery = 10;

    /// <summary>Sessions as evpnd negotiates them with FRR: 4-octet AS numbers, standard message size.</summary>
    private static readonly DecodeContext Context = DecodeContext.FourOctetAs;

    /// <param name="options">The real core's options: route-target format, duplicate detection and the rest
    /// shape the path taken; the VNIs are made up (every VNI the rehearsal's data plane reports is served).</param>
    /// <param name="kernelEncoding">Also encode the intents as netlink requests (the Linux data plane).</param>
    public static async Task<RehearsalReport> RunAsync(CoreOptions options, bool kernelEncoding)
    {
        var clock = Stopwatch.StartNew();
        var asn = options.LocalAsn;
        using var core = new EvpnCore(options with { AdvertiseAllVnis = true, Vnis = [], RouteTargetFormat = RouteTargetFormat.AsVni }, TimeProvider.System);
        await using var dataPlane = new InMemoryDataPlane();
        await using var writer = new IntentWriter(dataPlane, NullLogger.Instance);
        // What each VTEP has announced and not withdrawn, for the final withdrawal.
        var held = Enumerable.Range(0, Peers).Select(_ => new List<EvpnRoute>()).ToArray();
        var routes = 0;
        var intents = 0;
        var requests = 0;
        for (var v = 0; v < Vnis; v++)
        {
            var info = new VniInfo(Vni(v), $"vxlan{Vni(v)}", $"br{Vni(v)}", options.LocalVtep, 4789, Learning: false, $"br{Vni(v)}");
            dataPlane.AddVni(info);
            core.Apply(new DataPlaneEvent.VniUp(info));
        }
        for (var p = 0; p < Peers; p++)
        {
            core.PeerUp(new PeerSession(Vtep(p), asn, Vtep(p), IsInternal: true, [AfiSafi.L2vpnEvpn]));
        }
        Drain();

        for (var p = 0; p < Peers; p++)
        {
            var messages = new List<UpdateMessage>();
            for (var v = 0; v < Vnis; v++)
            {
                var hosts = Hosts(p, v).ToList<EvpnRoute>();
                var flood = new InclusiveMulticastRoute(Rd(p, v), 0, Vtep(p));
                messages.AddRange(Announce(Attributes(asn, Vni(v), sequence: 0), Vtep(p), hosts));
                messages.AddRange(Announce(Attributes(asn, Vni(v), sequence: 0) with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(Vtep(p), Vni(v)) },
                    Vtep(p), [flood]));
                held[p].AddRange(hosts);
                held[p].Add(flood);
            }
            Receive(Vtep(p), messages);
        }

        var arrivals = new List<UpdateMessage>();
        var movedAway = new List<EvpnRoute>();
        for (var v = 0; v < Vnis; v++)
        {
            var moving = Hosts(0, v).Where((_, i) => i % MoveEvery == 0).ToList();
            var arrived = moving.Select(h => h with { Rd = Rd(1, v) }).ToList<EvpnRoute>();
            arrivals.AddRange(Announce(Attributes(asn, Vni(v), sequence: 1), Vtep(1), arrived));
            held[1].AddRange(arrived);
            movedAway.AddRange(moving);
        }
        Receive(Vtep(1), arrivals);
        Receive(Vtep(0), Withdraw(movedAway));
        held[0].RemoveAll(new HashSet<EvpnRoute>(movedAway).Contains);

        for (var p = 0; p < Peers; p++)
        {
            Receive(Vtep(p), Withdraw(held[p]));
        }
        // Disposing waits until every posted batch is applied (disposing again at the end is harmless).
        await writer.DisposeAsync().ConfigureAwait(false);
        var left = await dataPlane.ReadInstalledAsync(CancellationToken.None).ConfigureAwait(false);
        return new RehearsalReport(routes, intents, requests, left.Fdb.Count + left.Flood.Count + left.Neighbors.Count, clock.Elapsed);

        // The session's receive path: the messages on the wire, framed and decoded as a connection does.
        void Receive(IpAddr peer, IReadOnlyList<UpdateMessage> messages)
        {
            var wire = new ArrayBufferWriter<byte>();
            foreach (var message in messages)
            {
                BgpEncoder.Encode(message, wire, Context);
            }
            var buffer = new ReadOnlySequence<byte>(wire.WrittenMemory);
            while (BgpFraming.TryReadMessage(ref buffer, Context, out var frame))
            {
                if (BgpDecoder.Decode(frame.Message, Context).Message is not UpdateMessage update)
                {
                    throw new InvalidOperationException("the rehearsal's own UPDATE did not decode");
                }
                var announced = EvpnSpeaker.EvpnRoutes(update.MpReach?.Family, update.MpReach?.Nlri);
                var withdrawn = EvpnSpeaker.EvpnRoutes(update.MpUnreach?.Family, update.MpUnreach?.Nlri);
                routes += announced.Count + withdrawn.Count;
                core.UpdateReceived(peer, announced, update.Attributes, update.MpReach?.NextHop ?? default, withdrawn);
                Drain();
            }
        }

        // As the speaker loop drains after each input: intents to the writer, routes to the peers.
        void Drain()
        {
            var batch = core.TakeIntents();
            if (batch.Count > 0)
            {
                intents += batch.Count;
                if (kernelEncoding)
                {
                    requests += LinuxDataPlane.RehearseEncoding(batch);
                }
                writer.Post(batch);
            }
            core.TakeAlerts();
            core.TakeOutbound();
        }
    }

    private static IReadOnlyList<UpdateMessage> Announce(PathAttributes attributes, IpAddr nextHop, IReadOnlyList<EvpnRoute> routes) =>
        UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, attributes, nextHop, routes.Select(r => Nlri.ForEvpn(r)).ToList(), Context).Updates;

    private static IReadOnlyList<UpdateMessage> Withdraw(IReadOnlyList<EvpnRoute> routes) =>
        UpdatePacker.PackWithdrawals(AfiSafi.L2vpnEvpn, routes.Select(r => Nlri.ForEvpn(r)).ToList(), Context);

    private static uint Vni(int index) => 4_000_000 + (uint)index;

    /// <summary>VTEPs in TEST-NET-1 (RFC 5737): never a real peer's address.</summary>
    private static IpAddr Vtep(int peer) => IpAddr.FromV4(0xC000_0201u + (uint)peer);

    private static RouteDistinguisher Rd(int peer, int vni) => RouteDistinguisher.FromIPv4(Vtep(peer).V4Bits, (ushort)(vni + 1));

    /// <summary>A third of the hosts MAC-only, a third with an IPv4 and a third with an IPv6 address.</summary>
    private static IEnumerable<MacIpAdvertisementRoute> Hosts(int peer, int vni)
    {
        for (var h = 0; h < HostsPerPeerAndVni; h++)
        {
            var id = (uint)(((peer * Vnis) + vni) * HostsPerPeerAndVni + h);
            IpAddr? ip = (h % 3) switch
            {
                0 => null,
                1 => IpAddr.FromV4(0x0A00_0000u + id),
                _ => IpAddr.Parse($"fd00::{id:x}"),
            };
            yield return new MacIpAdvertisementRoute(Rd(peer, vni), EthernetSegmentId.Zero, 0, new MacAddress(0x0200_0000_0000UL | id), ip,
                EvpnLabel.FromVni(Vni(vni)));
        }
    }

    /// <summary>iBGP attributes with the auto-derived route target (AS:VNI) the core imports.</summary>
    private static PathAttributes Attributes(uint asn, uint vni, uint sequence)
    {
        List<ExtendedCommunity> communities = [ExtendedCommunity.RouteTargetAs2((ushort)asn, vni), ExtendedCommunity.VxlanEncapsulation];
        if (sequence > 0)
        {
            communities.Add(ExtendedCommunity.MacMobility(sequence, sticky: false));
        }
        return new PathAttributes
        {
            Origin = Origin.Igp,
            AsPath = AsPath.Empty,
            LocalPref = 100,
            ExtendedCommunities = communities.ToArray(),
        };
    }
}
