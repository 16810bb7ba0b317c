using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>The two queries a MAC table is streamed with (the management API's <c>/v1/macs</c>): every address of a
/// VNI in one turn, then the entries a slice at a time.</summary>
public class MacQueryTests
{
    private const string Local = "52:54:00:aa:00:01";
    private const string Single = "52:54:00:bb:00:01";
    private const string Moved = "52:54:00:bb:00:02";

    [Fact]
    public void The_addresses_of_a_vni_include_local_single_route_and_moved_macs()
    {
        var lab = WithLocalSingleRouteAndMovedMacs();

        Assert.Equal([Mac(Local), Mac(Single), Mac(Moved)], lab.Core.Queries.MacAddresses(100).Order());
        Assert.Empty(lab.Core.Queries.MacAddresses(999));
    }

    [Fact]
    public void A_slice_is_read_in_the_order_asked_and_leaves_out_macs_gone_since_the_addresses_were_taken()
    {
        var lab = WithLocalSingleRouteAndMovedMacs();
        var addresses = lab.Core.Queries.MacAddresses(100).OrderDescending().ToArray();

        lab.Withdraw("10.0.0.2", 100, Single);
        var views = lab.Core.Queries.Macs(100, addresses);

        Assert.Equal([Mac(Moved), Mac(Local)], views.Select(v => v.Mac));
        Assert.Equal((MacLocation.Remote, Ip("10.0.0.3")), (views[0].Location, views[0].Vtep));
        Assert.Equal(MacLocation.Local, views[1].Location);
        Assert.Empty(lab.Core.Queries.Macs(999, addresses));
    }

    /// <summary>VNI 100 with a local MAC, a MAC of one remote route and a MAC that moved between two VTEPs.</summary>
    private static Lab WithLocalSingleRouteAndMovedMacs()
    {
        var lab = WithVniAndTwoVteps();
        lab.Advertise("10.0.0.2", 100, Single);
        lab.Advertise("10.0.0.2", 100, Moved);
        lab.Advertise("10.0.0.3", 100, Moved, sequence: 1);
        lab.LearnLocal(100, Local);
        return lab;
    }
}
