using Evpn.Wire.Model;
using static Evpn.Core.Tests.Lab;

namespace Evpn.Core.Tests;

/// <summary>RFC 7432 section 15.1 (sequence numbers) and 15.2 (sticky MACs), case by case.</summary>
public class MobilityTests
{
    private const string M = "52:54:00:cc:00:01";

    private static Lab Setup()
    {
        var lab = new Lab(Options() with { DuplicateDetection = new DuplicateDetectionOptions(Enabled: false) });
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.PeerUp("10.0.0.3");
        lab.PeerUp("9.0.0.9");
        lab.Intents();
        lab.Outbound();
        return lab;
    }

    private static (MacIpAdvertisementRoute Route, PathAttributes Attributes)? LocalAnnouncement(Lab lab)
    {
        var announced = lab.Outbound().Announced.Where(a => a.Route is MacIpAdvertisementRoute).ToList();
        return announced.Count == 0 ? null : ((MacIpAdvertisementRoute)announced[0].Route, announced[0].Attributes);
    }

    [Fact]
    public void A_first_local_learn_is_advertised_with_sequence_zero_and_no_mobility_community()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        Assert.Null(LocalAnnouncement(lab)!.Value.Attributes.MacMobility);
    }

    [Fact]
    public void Learning_a_remote_mac_locally_advertises_remote_sequence_plus_one_and_removes_the_fdb_entry()
    {
        var lab = Setup();
        lab.Advertise("10.0.0.2", 100, M, sequence: 3);
        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        lab.LearnLocal(100, M);
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Equal(4u, LocalAnnouncement(lab)!.Value.Attributes.MacMobility!.Value.MacMobilitySequence);
        Assert.Equal(MacLocation.Local, lab.Core.Queries.FindMac(100, Mac(M))!.Location);
    }

    [Fact]
    public void A_remote_route_without_mobility_community_counts_as_sequence_zero()
    {
        var lab = Setup();
        lab.Advertise("10.0.0.2", 100, M);
        lab.LearnLocal(100, M);
        Assert.Equal(1u, LocalAnnouncement(lab)!.Value.Attributes.MacMobility!.Value.MacMobilitySequence);
    }

    [Fact]
    public void A_remote_route_with_a_higher_sequence_wins_and_the_local_route_is_withdrawn()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        lab.Outbound();
        lab.Advertise("10.0.0.2", 100, M, sequence: 1);
        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Single(lab.Outbound().Withdrawn);
        Assert.Equal(MacLocation.Remote, lab.Core.Queries.FindMac(100, Mac(M))!.Location);
    }

    [Fact]
    public void A_remote_route_with_a_lower_sequence_loses_to_the_local_mac()
    {
        var lab = Setup();
        lab.Advertise("10.0.0.2", 100, M, sequence: 1);
        lab.LearnLocal(100, M);
        lab.Intents();
        lab.Outbound();
        lab.Advertise("10.0.0.3", 100, M, sequence: 1);
        Assert.Empty(lab.Intents());
        Assert.Empty(lab.Outbound().Withdrawn);
    }

    [Fact]
    public void Equal_sequences_tie_break_on_the_lower_vtep_ip_remote_lower_wins()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        lab.Outbound();
        lab.Advertise("9.0.0.9", 100, M);
        Assert.Equal([AddFdb(100, M, "9.0.0.9")], lab.Intents());
        Assert.Single(lab.Outbound().Withdrawn);
    }

    [Fact]
    public void Equal_sequences_tie_break_on_the_lower_vtep_ip_local_lower_wins()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        lab.Outbound();
        lab.Advertise("10.0.0.2", 100, M);
        Assert.Empty(lab.Intents());
        Assert.Empty(lab.Outbound().Withdrawn);
    }

    [Fact]
    public void A_local_sticky_mac_is_never_moved_and_the_claim_raises_an_alert()
    {
        var lab = Setup();
        lab.LearnLocal(100, M, sticky: true);
        var attributes = LocalAnnouncement(lab)!.Value.Attributes;
        Assert.True(attributes.MacMobility!.Value.MacMobilitySticky);
        lab.Advertise("10.0.0.2", 100, M, sequence: 50);
        Assert.Empty(lab.Intents());
        Assert.Empty(lab.Outbound().Withdrawn);
        Assert.Equal(AlertKind.StickyMacConflict, Assert.Single(lab.Core.TakeAlerts()).Kind);
    }

    [Fact]
    public void A_remote_sticky_mac_stays_remote_when_learned_locally()
    {
        var lab = Setup();
        lab.Advertise("10.0.0.2", 100, M, sticky: true);
        lab.Intents();
        lab.LearnLocal(100, M);
        Assert.Empty(lab.Intents());
        Assert.Null(LocalAnnouncement(lab));
        Assert.Equal(AlertKind.StickyMacConflict, Assert.Single(lab.Core.TakeAlerts()).Kind);
        Assert.True(FdbSticky(lab));
    }

    private static bool FdbSticky(Lab lab) => lab.Core.Queries.FindMac(100, Mac(M))!.Sticky;

    [Fact]
    public void A_mac_moving_between_remote_vteps_follows_the_higher_sequence()
    {
        var lab = Setup();
        lab.Advertise("10.0.0.2", 100, M, "192.0.2.50");
        lab.Intents();
        lab.Advertise("10.0.0.3", 100, M, "192.0.2.50", sequence: 1);
        Assert.Equal([AddFdb(100, M, "10.0.0.3")], lab.Intents());
        lab.Withdraw("10.0.0.2", 100, M, "192.0.2.50");
        Assert.Empty(lab.Intents());
    }

    [Fact]
    public void A_mac_that_moved_away_comes_back_with_a_higher_sequence()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        lab.Advertise("10.0.0.2", 100, M, sequence: 1);
        lab.Outbound();
        lab.Intents();
        lab.LearnLocal(100, M);
        Assert.Equal([RemoveFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Equal(2u, LocalAnnouncement(lab)!.Value.Attributes.MacMobility!.Value.MacMobilitySequence);
    }

    [Fact]
    public void Removing_a_local_mac_installs_a_remaining_remote_route()
    {
        var lab = Setup();
        lab.Advertise("10.0.0.2", 100, M);
        lab.LearnLocal(100, M);
        lab.Intents();
        lab.RemoveLocal(100, M);
        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
    }

    [Fact]
    public void A_mac_that_moved_away_is_not_re_advertised_when_the_remote_route_goes()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        lab.Advertise("10.0.0.2", 100, M, sequence: 1);
        lab.Outbound();
        lab.Withdraw("10.0.0.2", 100, M);
        Assert.Null(LocalAnnouncement(lab));
        Assert.Equal(MacLocation.Inactive, lab.Core.Queries.FindMac(100, Mac(M))!.Location);
    }

    [Fact]
    public void Local_neighbors_of_a_mac_that_moved_back_are_advertised_again()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        lab.LearnNeighbor(100, "192.0.2.77", M);
        lab.Advertise("10.0.0.2", 100, M, sequence: 1);
        lab.Outbound();
        lab.LearnLocal(100, M);
        var announced = lab.Outbound().Announced;
        Assert.Equal(2, announced.Count);
        Assert.All(announced, a => Assert.Equal(2u, a.Attributes.MacMobility!.Value.MacMobilitySequence));
    }

    [Fact]
    public void Explain_lists_every_location_and_why_the_winner_won()
    {
        var lab = Setup();
        lab.Advertise("10.0.0.2", 100, M, sequence: 1);
        lab.Advertise("10.0.0.3", 100, M, sequence: 2);
        lab.LearnLocal(100, M);
        var explanation = lab.Core.Queries.Explain(Mac(M), 100);
        Assert.Equal(3, explanation.Candidates.Count);
        Assert.True(explanation.Winner!.IsLocal);
        Assert.Equal(3u, explanation.Winner.Sequence);
        Assert.All(explanation.Candidates.Where(c => !c.IsWinner), c => Assert.Equal(MobilityReason.HigherSequence, c.Reason));
        Assert.Contains("local wins (HigherSequence)", explanation.Summary);
    }

    [Fact]
    public void Explain_says_when_the_vni_is_unknown()
    {
        var lab = Setup();
        Assert.False(lab.Core.Queries.Explain(Mac(M), 999).VniKnown);
    }

    [Fact]
    public void A_mac_static_on_two_vteps_raises_an_alert_and_the_lower_vtep_wins_equal_sequences()
    {
        var lab = Setup();
        lab.LearnLocal(100, M, sticky: true);
        lab.Outbound();
        lab.Advertise("9.0.0.9", 100, M, sticky: true);
        Assert.Equal(AlertKind.StickyMacConflict, Assert.Single(lab.Core.TakeAlerts()).Kind);
        Assert.Equal([AddFdb(100, M, "9.0.0.9", sticky: true)], lab.Intents());
        Assert.Single(lab.Outbound().Withdrawn);
    }

    [Fact]
    public void A_route_imported_by_a_route_target_change_can_move_a_local_mac_away()
    {
        var lab = Setup();
        lab.LearnLocal(100, M);
        lab.Core.UpdateReceived(Ip("10.0.0.2"), [Type2("10.0.0.2", 100, M)], RemoteAttributes(300, sequence: 5), Ip("10.0.0.2"), []);
        lab.Outbound();
        Assert.Empty(lab.Intents());
        lab.Core.Reconfigure(lab.Core.Options with { Vnis = [new VniConfig(100, ImportRouteTargets: [VniIdentity.RouteTarget(DerivationMode.Frr, As, 300, 300)])] });
        Assert.Equal([AddFdb(100, M, "10.0.0.2")], lab.Intents());
        Assert.Single(lab.Outbound().Withdrawn);
    }
}
