using System.Runtime.CompilerServices;
using Evpn.Wire;
using Evpn.Wire.Model;
using Xunit.Abstractions;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>What an update group costs in retained memory, counted after a full collection: a group whose only member
/// sent every route (an eBGP leaf peering with one load generator or one spine) holds nothing for them, since none
/// may go back to it, so it costs about what no group does.</summary>
[Collection(RetainedMemoryCollection.Name)]
public class UpdateGroupFootprintTests(ITestOutputHelper output)
{
    private const int Routes = 50_000;
    private const int RoutesPerUpdate = 64;
    private static readonly IpAddr PeerIp = Ip("10.9.0.2");

    /// <summary>The same routes from one peer, retained once where they go back to nobody (an iBGP peer of a
    /// speaker that does not reflect: its group is sent none of them) and once where the group may be sent them
    /// but its only member is their source (an eBGP peer). The difference is what the group holds per route.</summary>
    [Fact]
    public void A_group_whose_only_member_sent_every_route_holds_nothing_for_them()
    {
        var ibgp = new PeerSession(PeerIp, LocalAs, PeerIp, true, [AfiSafi.L2vpnEvpn]);
        var ebgp = new PeerSession(PeerIp, 65100, PeerIp, false, [AfiSafi.L2vpnEvpn]);
        // Twice each, interleaved, the smaller kept: the first run also counts what the process sets up once.
        double noExport = double.MaxValue, soleMember = double.MaxValue;
        for (var run = 0; run < 2; run++)
        {
            noExport = Math.Min(noExport, RetainedPerRoute(ibgp));
            soleMember = Math.Min(soleMember, RetainedPerRoute(ebgp));
        }

        output.WriteLine($"retained per route after {Routes:N0} routes and a move of a tenth of them: {noExport:F1} B with " +
                         $"nothing to export, {soleMember:F1} B in a group whose only member sent them; the group: {soleMember - noExport:F1} B per route");
        Assert.True(soleMember - noExport < 8, $"the group holds {soleMember - noExport:F1} B per route");
    }

    /// <summary>A member is a position in its group's stream, not a copy of the table: once 100 more members have
    /// been given a table of 20,000 routes, the RIB holds less than 1 KiB more per member (its peer, session record
    /// and place in the group), where a copy of the table would cost megabytes each.</summary>
    [Fact]
    public void A_member_that_caught_up_costs_less_than_a_kibibyte_whatever_the_table_size()
    {
        var rib = UpdateGroupTests.Reflector(clients: 10);
        rib.Receive(UpdateGroupTests.Address(0), Enumerable.Range(0, 20_000).Select(n => (Nlri)UpdateGroupTests.Route(0, n)).ToList(), Attrs(), UpdateGroupTests.Address(0));
        rib.Process();
        Drain(rib);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 10; i < 110; i++)
        {
            rib.PeerUp(UpdateGroupTests.Client(i));
        }
        Drain(rib);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var perMember = (after - before) / 100.0;
        output.WriteLine($"{perMember:F0} bytes per additional member of a group holding 20,000 routes");
        Assert.True(perMember < 1024, $"{perMember:F0} bytes per member");
        Assert.Equal(110, Assert.Single(rib.UpdateGroups).Members);
        Assert.Equal(20_000, rib.FindPeer(UpdateGroupTests.Address(109))!.RoutesSent);
        GC.KeepAlive(rib);
    }

    /// <summary>Retained bytes per route of a RIB the peer of <paramref name="session"/> sent every route to (in
    /// UPDATEs of 64 routes, one attribute set per 640 routes, as a leaf's VNIs would), then moved a tenth of them to
    /// another next hop, with every outbound slice taken as the speaker takes them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double RetainedPerRoute(PeerSession session)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var rib = Load(session);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Assert.Equal(Routes, rib.FindPeer(PeerIp)!.PathCount);
        GC.KeepAlive(rib);
        return retained / (double)Routes;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Rib Load(PeerSession session)
    {
        var rib = new Rib(new RibOptions(LocalAs, Self));
        rib.PeerUp(session);
        Send(rib, 0, Routes, Ip("10.9.1.1"));
        Send(rib, 0, Routes / 10, Ip("10.9.1.2"));
        return rib;
    }

    private static void Send(Rib rib, int first, int count, IpAddr nextHop)
    {
        for (var start = first; start < first + count; start += RoutesPerUpdate)
        {
            var routes = new List<Nlri>(RoutesPerUpdate);
            for (var n = start; n < Math.Min(start + RoutesPerUpdate, first + count); n++)
            {
                routes.Add(Mac("10.9.1.1:1", $"52:54:{n >> 16:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}:01", vni: 100 + (uint)(n / 640)));
            }
            rib.Receive(PeerIp, routes, Attrs(localPref: (uint)(start / 640)), nextHop);
            rib.Process();
            while (rib.HasOutboundWork())
            {
                rib.TakeOutbound(maxRoutesPerPeer: 2048);
            }
        }
    }

    private static void Drain(Rib rib)
    {
        while (rib.HasOutboundWork())
        {
            rib.TakeOutbound(maxRoutesPerPeer: 8192);
        }
    }
}

/// <summary>Tests that count the managed heap run alone: another test allocating at the same time would be counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RetainedMemoryCollection
{
    public const string Name = "retained memory";
}
