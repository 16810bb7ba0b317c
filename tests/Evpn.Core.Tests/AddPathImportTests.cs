using Evpn.Rib;
using Evpn.Wire;
using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>RFC 7911 through the core: a route reflector with add-path sends one MAC route from two VTEPs as path ids
/// 1 and 2; the FDB follows the best path, and moves when that path alone is withdrawn.</summary>
public class AddPathImportTests
{
    private const string M = "52:54:00:ad:00:01";
    private static readonly MacIpAdvertisementRoute Route = Type2("10.0.0.2", 100, M);

    [Fact]
    public void Withdrawing_the_best_of_two_paths_from_one_reflector_moves_the_fdb_entry_to_the_other_vtep()
    {
        var lab = new Lab();
        lab.VniUp(100);
        lab.Core.PeerUp(new PeerSession(Ip("10.0.0.9"), As, Ip("10.0.0.9"), true, [AfiSafi.L2vpnEvpn], ReceivesPathIds: true));
        lab.Intents();
        lab.Core.UpdateReceived(Ip("10.0.0.9"), [Nlri.ForEvpn(Route, 1)], RemoteAttributes(100) with { OriginatorId = Ip("10.0.0.2") }, Ip("10.0.0.2"), []);
        lab.Core.UpdateReceived(Ip("10.0.0.9"), [Nlri.ForEvpn(Route, 2)], RemoteAttributes(100) with { OriginatorId = Ip("10.0.0.3") }, Ip("10.0.0.3"), []);
        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        var shown = lab.Core.Queries.Routes(new RouteFilter(Mac: Mac(M)));
        Assert.Equal([(1u, true), (2u, false)], shown.Select(r => (r.PathId!.Value, r.IsBest)).Order());

        lab.Core.UpdateReceived(Ip("10.0.0.9"), [], PathAttributes.Empty, default, [Nlri.ForEvpn(Route, 1)]);
        Assert.Equal([AddFdb(100, M, "10.0.0.3")], lab.Intents());
        Assert.Equal(2u, Assert.Single(lab.Core.Queries.Routes(new RouteFilter(Mac: Mac(M)))).PathId);
        Assert.Equal(1, lab.Core.Queries.AcceptedPaths(Ip("10.0.0.9")));
    }
}
