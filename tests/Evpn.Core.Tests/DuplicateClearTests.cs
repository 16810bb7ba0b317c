using Evpn.DataPlane;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>The operator's release of RFC 7432 section 15.1 duplicate MACs (FRR's <c>clear evpn dup-addr</c>),
/// with a fake clock and no freeze time, so only the operator can release them.</summary>
public class DuplicateClearTests
{
    private const string A = "52:54:00:dd:00:01";
    private const string B = "52:54:00:dd:00:02";
    private const string C = "52:54:00:dd:00:03";

    private static Lab Setup(bool freeze = true)
    {
        var lab = new Lab(Options() with
        {
            DuplicateDetection = new DuplicateDetectionOptions(MaxMoves: 5, FreezeTime: null, Freeze: freeze),
        });
        lab.VniUp(100);
        lab.VniUp(200);
        lab.PeerUp("10.0.0.2");
        lab.Intents();
        lab.Outbound();
        return lab;
    }

    /// <summary>Local learn and remote re-advertisement (with a higher sequence each time) alternate, a second apart:
    /// each step is a move. Returns the last sequence number the remote VTEP advertised.</summary>
    private static uint Flap(Lab lab, uint vni, string mac, int moves, uint sequence = 0)
    {
        lab.LearnLocal(vni, mac);
        for (var i = 0; i < moves; i++)
        {
            lab.Time.Advance(TimeSpan.FromSeconds(1));
            if (i % 2 == 0)
            {
                sequence += 2;
                lab.Advertise("10.0.0.2", vni, mac, sequence: sequence - 1);
            }
            else
            {
                lab.LearnLocal(vni, mac);
            }
        }
        return sequence;
    }

    /// <summary>A, B duplicate in VNI 100, C in VNI 200, each frozen with its last good entry local (the fifth move
    /// went to 10.0.0.2); outputs so far drained.</summary>
    private static Lab ThreeDuplicates()
    {
        var lab = Setup();
        Flap(lab, 100, A, 5);
        Flap(lab, 100, B, 5);
        Flap(lab, 200, C, 5);
        Assert.Equal(3, lab.Core.Counters.DuplicateMacsNow);
        lab.Intents();
        lab.Outbound();
        lab.Core.TakeAlerts();
        return lab;
    }

    private static bool IsDuplicate(Lab lab, uint vni, string mac) => lab.Core.Queries.FindMac(vni, Mac(mac))!.Duplicate;

    [Fact]
    public void Clearing_one_mac_releases_that_mac_only()
    {
        var lab = ThreeDuplicates();

        var cleared = Assert.Single(lab.Core.ClearDuplicates(100, Mac(B)));

        Assert.Equal((100u, Mac(B), false), (cleared.Now.Vni, cleared.Now.Mac, cleared.Now.Duplicate));
        Assert.True(cleared.WasFrozen);
        Assert.False(IsDuplicate(lab, 100, B));
        Assert.True(IsDuplicate(lab, 100, A));
        Assert.True(IsDuplicate(lab, 200, C));
        Assert.Equal(2, lab.Core.Counters.DuplicateMacsNow);
        var alert = Assert.Single(lab.Core.TakeAlerts());
        Assert.Equal((AlertKind.DuplicateMacCleared, 100u, Mac(B)), (alert.Kind, alert.Vni, alert.Mac));
        Assert.EndsWith("no longer duplicate: cleared by operator", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clearing_a_vni_releases_its_duplicates_and_leaves_the_other_vnis_alone()
    {
        var lab = ThreeDuplicates();

        var cleared = lab.Core.ClearDuplicates(100, null);

        Assert.Equal([(100u, Mac(A)), (100u, Mac(B))], cleared.Select(c => (c.Now.Vni, c.Now.Mac)));
        Assert.True(IsDuplicate(lab, 200, C));
        Assert.Equal(1, lab.Core.Counters.DuplicateMacsNow);
        Assert.Equal([Mac(C)], lab.Core.Queries.DuplicateMacs().Select(d => d.Mac));
        Assert.Equal(2, lab.Core.TakeAlerts().Count(a => a.Kind == AlertKind.DuplicateMacCleared));
    }

    [Fact]
    public void Clearing_all_releases_every_duplicate_in_vni_and_mac_order()
    {
        var lab = ThreeDuplicates();

        var cleared = lab.Core.ClearDuplicates(null, null);

        Assert.Equal([(100u, Mac(A)), (100u, Mac(B)), (200u, Mac(C))], cleared.Select(c => (c.Now.Vni, c.Now.Mac)));
        Assert.Empty(lab.Core.Queries.DuplicateMacs());
        Assert.Equal(0, lab.Core.Counters.DuplicateMacsNow);
        Assert.Equal(3, lab.Core.Counters.DuplicateMacsDetected);
        // Each is served where the last move took it: 10.0.0.2, sequence 5.
        Assert.Equal([AddFdb(100, A, "10.0.0.2"), AddFdb(100, B, "10.0.0.2"), AddFdb(200, C, "10.0.0.2")], lab.Intents());
        Assert.All(cleared, c => Assert.Equal((MacLocation.Remote, 5u), (c.Now.Location, c.Now.Sequence)));
    }

    [Fact]
    public void A_frozen_mac_is_advertised_again_with_the_sequence_it_reached_while_frozen()
    {
        var lab = Setup();
        Flap(lab, 100, A, 5);
        Assert.True(IsDuplicate(lab, 100, A));
        // While frozen the MAC keeps moving: a remote claim at 40, then a local re-learn (41). Nothing goes out.
        lab.Advertise("10.0.0.2", 100, A, sequence: 40);
        lab.LearnLocal(100, A);
        lab.Intents();
        Assert.Empty(lab.Outbound().Announced);

        var cleared = Assert.Single(lab.Core.ClearDuplicates(100, Mac(A)));

        Assert.Equal((MacLocation.Local, 41u), (cleared.Now.Location, cleared.Now.Sequence));
        var announced = Assert.Single(lab.Outbound().Announced);
        Assert.Equal(Mac(A), ((Wire.Model.MacIpAdvertisementRoute)announced.Route).Mac);
        Assert.Equal(41u, announced.Attributes.MacMobility!.Value.MacMobilitySequence);
        // The last good entry was local (no FDB entry); the local winner still needs none.
        Assert.Empty(lab.Intents());
    }

    [Fact]
    public void A_frozen_mac_whose_remote_location_won_gets_its_fdb_entry_on_clear()
    {
        var lab = Setup();
        Flap(lab, 100, A, 5);
        lab.Advertise("10.0.0.3", 100, A, sequence: 40, via: "10.0.0.2");
        lab.Intents();

        var cleared = Assert.Single(lab.Core.ClearDuplicates(null, Mac(A)));

        Assert.Equal((MacLocation.Remote, Ip("10.0.0.3"), 40u), (cleared.Now.Location, cleared.Now.Vtep, cleared.Now.Sequence));
        Assert.Equal([AddFdb(100, A, "10.0.0.3")], lab.Intents());
    }

    [Fact]
    public void After_a_clear_the_moves_are_counted_afresh()
    {
        var lab = Setup();
        var sequence = Flap(lab, 100, A, 5);
        lab.Core.ClearDuplicates(100, Mac(A));
        lab.Core.TakeAlerts();

        // Four more moves within the window (back to local, then three): not yet a duplicate, as the five
        // before the clear no longer count.
        lab.Time.Advance(TimeSpan.FromSeconds(1));
        Flap(lab, 100, A, 3, sequence);
        Assert.Equal(9, lab.Core.Queries.FindMac(100, Mac(A))!.Moves);
        Assert.False(IsDuplicate(lab, 100, A));
        Assert.Empty(lab.Core.TakeAlerts());

        lab.Time.Advance(TimeSpan.FromSeconds(1));
        lab.LearnLocal(100, A);

        Assert.True(IsDuplicate(lab, 100, A));
        Assert.Equal(AlertKind.DuplicateMacDetected, Assert.Single(lab.Core.TakeAlerts()).Kind);
        Assert.Equal(2, lab.Core.Counters.DuplicateMacsDetected);
        Assert.Equal(1, lab.Core.Counters.DuplicateMacsNow);
    }

    [Fact]
    public void Clearing_what_is_not_duplicate_changes_nothing_and_says_so()
    {
        var lab = ThreeDuplicates();
        Flap(lab, 200, B, 2);
        lab.Intents();
        lab.Outbound();
        lab.Core.TakeAlerts();

        Assert.Empty(lab.Core.ClearDuplicates(200, Mac(B)));
        Assert.Empty(lab.Core.ClearDuplicates(300, null));
        Assert.Empty(lab.Core.ClearDuplicates(null, Mac("52:54:00:dd:00:99")));
        Assert.Empty(lab.Core.ClearDuplicates(200, Mac(A)));

        Assert.Equal(3, lab.Core.Counters.DuplicateMacsNow);
        Assert.Equal(2, lab.Core.Queries.FindMac(200, Mac(B))!.Moves);
        Assert.Empty(lab.Intents());
        Assert.Empty(lab.Outbound().Raw);
        Assert.Empty(lab.Core.TakeAlerts());
    }

    /// <summary>Configuration `freeze: none`: the mark and the evpn_duplicate_macs gauge stay until cleared.</summary>
    [Fact]
    public void Without_freeze_a_clear_drops_the_mark_and_the_gauge_and_nothing_else()
    {
        var lab = Setup(freeze: false);
        Flap(lab, 100, A, 5);
        Assert.Equal(1, lab.Core.Counters.DuplicateMacsNow);
        lab.Intents();
        lab.Outbound();

        var cleared = Assert.Single(lab.Core.ClearDuplicates(null, null));

        Assert.False(cleared.WasFrozen);
        Assert.Equal(0, lab.Core.Counters.DuplicateMacsNow);
        Assert.Empty(lab.Intents());
        Assert.Empty(lab.Outbound().Raw);
    }

    [Fact]
    public void A_duplicate_forgotten_with_its_vni_is_neither_cleared_nor_counted_again()
    {
        var lab = ThreeDuplicates();

        lab.Core.Apply(new DataPlaneEvent.VniDown(200));

        Assert.Equal(2, lab.Core.Counters.DuplicateMacsNow);
        Assert.Equal([Mac(A), Mac(B)], lab.Core.Queries.DuplicateMacs().Select(d => d.Mac));
        Assert.Equal(2, lab.Core.ClearDuplicates(null, null).Count);
        Assert.Equal(0, lab.Core.Counters.DuplicateMacsNow);
    }
}
