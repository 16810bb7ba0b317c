using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>RFC 7432 section 15.1 duplicate detection with a fake clock.</summary>
public class DuplicateDetectionTests
{
    private const string M = "52:54:00:dd:00:01";

    private static Lab Setup(TimeSpan? freeze = null, int maxMoves = 5, bool freezeDuplicates = true)
    {
        var lab = new Lab(Options() with
        {
            DuplicateDetection = new DuplicateDetectionOptions(MaxMoves: maxMoves, FreezeTime: freeze, Freeze: freezeDuplicates),
        });
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.Intents();
        lab.Outbound();
        return lab;
    }

    /// <summary>Local learn and remote re-advertisement alternate: every step after the first is a move.</summary>
    private static void Flap(Lab lab, int moves, TimeSpan every)
    {
        uint sequence = 0;
        lab.LearnLocal(100, M);
        for (var i = 0; i < moves; i++)
        {
            lab.Time.Advance(every);
            if (i % 2 == 0)
            {
                sequence += 2;
                lab.Advertise("10.0.0.2", 100, M, sequence: sequence - 1);
            }
            else
            {
                lab.LearnLocal(100, M);
            }
        }
    }

    [Fact]
    public void Five_moves_within_the_window_mark_the_mac_duplicate_and_alert()
    {
        var lab = Setup();
        Flap(lab, 4, TimeSpan.FromSeconds(10));
        Assert.False(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        lab.Outbound();
        lab.Intents();
        lab.Time.Advance(TimeSpan.FromSeconds(10));
        lab.Advertise("10.0.0.2", 100, M, sequence: 5);
        var view = lab.Core.Queries.FindMac(100, Mac(M))!;
        Assert.True(view.Duplicate);
        Assert.Equal(5, view.Moves);
        var alert = Assert.Single(lab.Core.TakeAlerts());
        Assert.Equal(AlertKind.DuplicateMacDetected, alert.Kind);
        Assert.Equal(1, lab.Core.Counters.DuplicateMacsNow);
        Assert.Single(lab.Core.Queries.DuplicateMacs());
        // The last good entry (local: no FDB entry) is kept; the local route is withdrawn.
        Assert.Empty(lab.Intents());
        Assert.Single(lab.Outbound().Withdrawn);
    }

    /// <summary>Configuration `freeze: none` (the default): the fifth move marks the MAC and raises the alert once,
    /// and that is all; the MAC is still followed, its FDB entry and its route go where it goes.</summary>
    [Fact]
    public void Without_freeze_a_duplicate_is_reported_once_and_still_followed()
    {
        var lab = Setup(freezeDuplicates: false);
        Flap(lab, 4, TimeSpan.FromSeconds(10));
        lab.Outbound();
        lab.Intents();
        lab.Time.Advance(TimeSpan.FromSeconds(10));

        lab.Advertise("10.0.0.2", 100, M, sequence: 5);

        var view = lab.Core.Queries.FindMac(100, Mac(M))!;
        Assert.True(view.Duplicate);
        Assert.Equal(MacLocation.Remote, view.Location);
        var alert = Assert.Single(lab.Core.TakeAlerts());
        Assert.Equal(AlertKind.DuplicateMacDetected, alert.Kind);
        Assert.Contains("still followed", alert.Message, StringComparison.Ordinal);
        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Single(lab.Outbound().Withdrawn);

        lab.Time.Advance(TimeSpan.FromSeconds(10));
        lab.LearnLocal(100, M);

        var announced = Assert.Single(lab.Outbound().Announced);
        Assert.Equal(6u, announced.Attributes.MacMobility!.Value.MacMobilitySequence);
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.True(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        Assert.Empty(lab.Core.TakeAlerts());
        Assert.NotEmpty(lab.Core.ClearDuplicates(100, Mac(M)));
        Assert.Empty(lab.Intents());
        Assert.Empty(lab.Outbound().Announced);
    }

    [Fact]
    public void A_duplicate_mac_is_not_advertised_and_its_data_plane_entry_stays_frozen()
    {
        var lab = Setup();
        Flap(lab, 5, TimeSpan.FromSeconds(1));
        lab.Intents();
        lab.Outbound();
        lab.LearnLocal(100, M);
        lab.Advertise("10.0.0.2", 100, M, sequence: 40);
        Assert.Empty(lab.Intents());
        Assert.Empty(lab.Outbound().Announced);
    }

    [Fact]
    public void Moves_spread_over_more_than_the_window_do_not_mark_the_mac()
    {
        var lab = Setup();
        Flap(lab, 10, TimeSpan.FromSeconds(50));
        Assert.False(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        Assert.Equal(10, lab.Core.Queries.FindMac(100, Mac(M))!.Moves);
    }

    [Fact]
    public void The_move_threshold_is_configurable()
    {
        var lab = Setup(maxMoves: 2);
        Flap(lab, 2, TimeSpan.FromSeconds(1));
        Assert.True(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
    }

    [Fact]
    public void After_the_freeze_time_the_mac_recovers_and_is_served_again()
    {
        var lab = Setup(freeze: TimeSpan.FromMinutes(3));
        Flap(lab, 5, TimeSpan.FromSeconds(1));
        Assert.True(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        lab.Intents();
        lab.Core.TakeAlerts();
        Assert.NotNull(lab.Core.Queries.NextFreezeExpiry);
        lab.Time.Advance(TimeSpan.FromMinutes(2));
        lab.Core.Tick();
        Assert.True(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        lab.Time.Advance(TimeSpan.FromMinutes(1));
        lab.Core.Tick();
        Assert.False(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        Assert.Equal(AlertKind.DuplicateMacCleared, Assert.Single(lab.Core.TakeAlerts()).Kind);
        // The remote (sequence 5) wins now: its FDB entry is installed.
        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Equal(0, lab.Core.Counters.DuplicateMacsNow);
    }

    [Fact]
    public void Without_a_freeze_time_an_operator_clears_the_duplicate()
    {
        var lab = Setup();
        Flap(lab, 5, TimeSpan.FromSeconds(1));
        lab.Time.Advance(TimeSpan.FromDays(1));
        lab.Core.Tick();
        Assert.True(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        Assert.NotEmpty(lab.Core.ClearDuplicates(100, Mac(M)));
        Assert.False(lab.Core.Queries.FindMac(100, Mac(M))!.Duplicate);
        Assert.Empty(lab.Core.ClearDuplicates(100, Mac(M)));
    }

    [Fact]
    public void A_local_duplicate_recovers_by_advertising_again()
    {
        var lab = Setup();
        Flap(lab, 6, TimeSpan.FromSeconds(1));
        Assert.Equal(MacLocation.Local, lab.Core.Queries.FindMac(100, Mac(M))!.Location);
        lab.Outbound();
        lab.Core.ClearDuplicates(100, Mac(M));
        var announced = Assert.Single(lab.Outbound().Announced);
        Assert.Equal(6u, announced.Attributes.MacMobility!.Value.MacMobilitySequence);
    }
}
