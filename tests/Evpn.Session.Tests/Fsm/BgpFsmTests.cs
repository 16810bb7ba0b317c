using Evpn.Session.Fsm;
using Evpn.Wire;
using static Evpn.Session.Fsm.FsmActions;

namespace Evpn.Session.Tests.Fsm;

public class BgpFsmTests
{
    private static readonly FsmOptions ActivePeer = new(PassiveTcpEstablishment: false, DelayOpen: false);
    private static readonly FsmOptions PassivePeer = new(PassiveTcpEstablishment: true, DelayOpen: false);
    private static readonly FsmOptions DelayOpenPeer = new(PassiveTcpEstablishment: false, DelayOpen: true);

    private static FsmStep Step(BgpState state, BgpEvent e, FsmOptions? options = null, NotificationMessage? error = null) =>
        BgpFsm.Next(state, new FsmInput(e, error), options ?? ActivePeer);

    [Fact]
    public void Idle_manual_start_connects_and_starts_the_retry_timer()
    {
        var step = Step(BgpState.Idle, BgpEvent.ManualStart);
        Assert.Equal(BgpState.Connect, step.Next);
        Assert.True(step.Has(InitiateConnection | StartConnectRetryTimer | ResetConnectRetryCounter));
    }

    [Theory]
    [InlineData(BgpEvent.ManualStart)]
    [InlineData(BgpEvent.ManualStartWithPassiveTcpEstablishment)]
    [InlineData(BgpEvent.IdleHoldTimerExpires)]
    public void Idle_start_of_passive_peer_waits_in_active_without_connecting(BgpEvent e)
    {
        var step = Step(BgpState.Idle, e, PassivePeer);
        Assert.Equal(BgpState.Active, step.Next);
        Assert.False(step.Has(InitiateConnection));
        Assert.True(step.Has(StartConnectRetryTimer));
    }

    [Fact]
    public void Idle_idle_hold_timer_expiry_restarts_an_active_peer()
    {
        var step = Step(BgpState.Idle, BgpEvent.IdleHoldTimerExpires);
        Assert.Equal(BgpState.Connect, step.Next);
        Assert.True(step.Has(InitiateConnection));
    }

    [Theory]
    [InlineData(BgpEvent.ManualStop)]
    [InlineData(BgpEvent.HoldTimerExpires)]
    [InlineData(BgpEvent.KeepAliveMsg)]
    [InlineData(BgpEvent.UpdateMsg)]
    [InlineData(BgpEvent.BgpOpen)]
    public void Idle_other_events_stay_idle_and_do_nothing(BgpEvent e)
    {
        var step = Step(BgpState.Idle, e);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.Equal(None, step.Actions);
    }

    [Fact]
    public void Idle_connection_arriving_is_refused()
    {
        var step = Step(BgpState.Idle, BgpEvent.TcpConnectionConfirmed);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(DropConnection));
    }

    [Theory]
    [InlineData(BgpState.Connect, BgpEvent.TcpCrAcked)]
    [InlineData(BgpState.Connect, BgpEvent.TcpConnectionConfirmed)]
    [InlineData(BgpState.Active, BgpEvent.TcpConnectionConfirmed)]
    public void Connection_up_sends_open_with_the_large_hold_timer(BgpState state, BgpEvent e)
    {
        var step = Step(state, e);
        Assert.Equal(BgpState.OpenSent, step.Next);
        Assert.True(step.Has(SendOpen | StartLargeHoldTimer | StopConnectRetryTimer));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void Connection_up_with_delay_open_starts_the_delay_open_timer_instead(BgpState state)
    {
        var step = Step(state, BgpEvent.TcpConnectionConfirmed, DelayOpenPeer);
        Assert.Equal(state, step.Next);
        Assert.True(step.Has(StartDelayOpenTimer));
        Assert.False(step.Has(SendOpen));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void Delay_open_timer_expiry_sends_open(BgpState state)
    {
        var step = Step(state, BgpEvent.DelayOpenTimerExpires, DelayOpenPeer);
        Assert.Equal(BgpState.OpenSent, step.Next);
        Assert.True(step.Has(SendOpen | StartLargeHoldTimer));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void Open_while_delay_open_runs_answers_with_open_and_keepalive(BgpState state)
    {
        var step = Step(state, BgpEvent.BgpOpenWithDelayOpenTimerRunning, DelayOpenPeer);
        Assert.Equal(BgpState.OpenConfirm, step.Next);
        Assert.True(step.Has(AcceptOpen | SendOpen | SendKeepalive | StartNegotiatedTimers | StopDelayOpenTimer));
    }

    [Fact]
    public void Connect_connect_failure_waits_in_active_and_retries_later()
    {
        var step = Step(BgpState.Connect, BgpEvent.TcpConnectionFails);
        Assert.Equal(BgpState.Active, step.Next);
        Assert.True(step.Has(StartConnectRetryTimer | DropConnection));
    }

    [Fact]
    public void Connect_retry_timer_expiry_connects_again()
    {
        var step = Step(BgpState.Connect, BgpEvent.ConnectRetryTimerExpires);
        Assert.Equal(BgpState.Connect, step.Next);
        Assert.True(step.Has(DropConnection | InitiateConnection | StartConnectRetryTimer));
    }

    [Fact]
    public void Active_retry_timer_expiry_connects_for_an_active_peer_waits_for_a_passive_peer()
    {
        Assert.Equal(BgpState.Connect, Step(BgpState.Active, BgpEvent.ConnectRetryTimerExpires).Next);
        var passive = Step(BgpState.Active, BgpEvent.ConnectRetryTimerExpires, PassivePeer);
        Assert.Equal(BgpState.Active, passive.Next);
        Assert.False(passive.Has(InitiateConnection));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void Manual_stop_before_open_goes_idle_without_notification(BgpState state)
    {
        var step = Step(state, BgpEvent.ManualStop);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(DropConnection | ResetConnectRetryCounter));
        Assert.False(step.Has(SendNotification));
    }

    [Theory]
    [InlineData(BgpState.Connect, BgpEvent.KeepAliveMsg)]
    [InlineData(BgpState.Connect, BgpEvent.UpdateMsg)]
    [InlineData(BgpState.Active, BgpEvent.BgpOpen)]
    [InlineData(BgpState.Active, BgpEvent.HoldTimerExpires)]
    public void Before_open_unexpected_events_tear_down_without_notification(BgpState state, BgpEvent e)
    {
        var step = Step(state, e);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(DropConnection | IncrementConnectRetryCounter));
        Assert.False(step.Has(SendNotification));
    }

    [Fact]
    public void Open_sent_open_accepts_it_and_sends_keepalive()
    {
        var step = Step(BgpState.OpenSent, BgpEvent.BgpOpen);
        Assert.Equal(BgpState.OpenConfirm, step.Next);
        Assert.True(step.Has(AcceptOpen | SendKeepalive | StartNegotiatedTimers));
    }

    [Theory]
    [InlineData(BgpState.OpenSent)]
    [InlineData(BgpState.OpenConfirm)]
    [InlineData(BgpState.Established)]
    public void Hold_timer_expiry_sends_code_4(BgpState state)
    {
        var step = Step(state, BgpEvent.HoldTimerExpires);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(SendNotification | DropConnection | ReleaseResources));
        Assert.Equal(NotificationCode.HoldTimerExpired, step.Notification!.Code);
    }

    [Theory]
    [InlineData(BgpState.OpenSent)]
    [InlineData(BgpState.OpenConfirm)]
    [InlineData(BgpState.Established)]
    public void Send_hold_timer_expiry_sends_code_8_and_drops(BgpState state)
    {
        var step = Step(state, BgpEvent.SendHoldTimerExpires);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(SendNotification | DropConnection));
        Assert.Equal((NotificationCode)8, step.Notification!.Code);
    }

    [Theory]
    [InlineData(BgpState.OpenSent)]
    [InlineData(BgpState.OpenConfirm)]
    [InlineData(BgpState.Established)]
    public void Manual_stop_after_open_sends_the_given_cease_and_resets_the_counter(BgpState state)
    {
        var cease = Notifications.Shutdown("maintenance");
        var step = Step(state, BgpEvent.ManualStop, error: cease);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(SendNotification | DropConnection | ResetConnectRetryCounter | ReleaseResources));
        Assert.Same(cease, step.Notification);
    }

    [Theory]
    [InlineData(BgpState.OpenSent)]
    [InlineData(BgpState.OpenConfirm)]
    [InlineData(BgpState.Established)]
    public void Automatic_stop_sends_the_given_cease_and_counts_the_retry(BgpState state)
    {
        var cease = new NotificationMessage(NotificationCode.Cease, CeaseSubcode.MaximumPrefixesReached);
        var step = Step(state, BgpEvent.AutomaticStop, error: cease);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(SendNotification | IncrementConnectRetryCounter));
        Assert.Same(cease, step.Notification);
    }

    [Theory]
    [InlineData(BgpState.OpenSent, BgpEvent.BgpOpenMsgErr)]
    [InlineData(BgpState.OpenSent, BgpEvent.BgpHeaderErr)]
    [InlineData(BgpState.OpenConfirm, BgpEvent.BgpHeaderErr)]
    [InlineData(BgpState.Established, BgpEvent.UpdateMsgErr)]
    [InlineData(BgpState.Established, BgpEvent.BgpHeaderErr)]
    [InlineData(BgpState.Connect, BgpEvent.BgpOpenMsgErr)]
    public void Decode_errors_send_the_decoders_notification(BgpState state, BgpEvent e)
    {
        var error = new NotificationMessage(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.BadPeerAs);
        var step = Step(state, e, error: error);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(SendNotification | DropConnection));
        Assert.Same(error, step.Notification);
    }

    [Theory]
    [InlineData(BgpState.OpenSent, BgpEvent.KeepAliveMsg, 1)]
    [InlineData(BgpState.OpenSent, BgpEvent.UpdateMsg, 1)]
    [InlineData(BgpState.OpenSent, BgpEvent.UpdateMsgErr, 1)]
    [InlineData(BgpState.OpenSent, BgpEvent.KeepaliveTimerExpires, 0)]
    [InlineData(BgpState.OpenConfirm, BgpEvent.UpdateMsg, 2)]
    [InlineData(BgpState.OpenConfirm, BgpEvent.UpdateMsgErr, 2)]
    [InlineData(BgpState.OpenConfirm, BgpEvent.BgpOpen, 2)]
    [InlineData(BgpState.OpenConfirm, BgpEvent.BgpOpenMsgErr, 2)]
    [InlineData(BgpState.OpenConfirm, BgpEvent.ConnectRetryTimerExpires, 0)]
    [InlineData(BgpState.Established, BgpEvent.BgpOpen, 3)]
    [InlineData(BgpState.Established, BgpEvent.BgpOpenMsgErr, 3)]
    [InlineData(BgpState.Established, BgpEvent.ConnectRetryTimerExpires, 0)]
    [InlineData(BgpState.Established, BgpEvent.DelayOpenTimerExpires, 0)]
    public void Unexpected_events_send_rfc6608_fsm_error(BgpState state, BgpEvent e, byte subcode)
    {
        // RFC 6608 section 4: an unexpected message is named by the state it arrived in; a timer that should
        // not run in the state is an FSM error without a subcode of its own (section 3, Unspecified).
        var step = Step(state, e, error: new NotificationMessage(NotificationCode.OpenMessageError, OpenMessageErrorSubcode.BadPeerAs));
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.Equal(NotificationCode.FiniteStateMachineError, step.Notification!.Code);
        Assert.Equal(subcode, step.Notification.Subcode);
    }

    [Theory]
    [InlineData(BgpState.OpenSent)]
    [InlineData(BgpState.OpenConfirm)]
    public void Open_collision_dump_sends_cease_collision_resolution(BgpState state)
    {
        var step = Step(state, BgpEvent.OpenCollisionDump);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.Equal(NotificationCode.Cease, step.Notification!.Code);
        Assert.Equal(CeaseSubcode.ConnectionCollisionResolution, step.Notification.Subcode);
    }

    [Fact]
    public void Open_sent_connection_loss_goes_back_to_active()
    {
        var step = Step(BgpState.OpenSent, BgpEvent.TcpConnectionFails);
        Assert.Equal(BgpState.Active, step.Next);
        Assert.True(step.Has(StartConnectRetryTimer | DropConnection));
    }

    [Fact]
    public void Open_confirm_keepalive_establishes_the_session()
    {
        var step = Step(BgpState.OpenConfirm, BgpEvent.KeepAliveMsg);
        Assert.Equal(BgpState.Established, step.Next);
        Assert.True(step.Has(SessionEstablished | RestartHoldTimer));
    }

    [Theory]
    [InlineData(BgpState.OpenConfirm)]
    [InlineData(BgpState.Established)]
    public void Keepalive_timer_expiry_sends_keepalive_and_stays_put(BgpState state)
    {
        var step = Step(state, BgpEvent.KeepaliveTimerExpires);
        Assert.Equal(state, step.Next);
        Assert.Equal(SendKeepalive | RestartKeepaliveTimer, step.Actions);
    }

    [Theory]
    [InlineData(BgpState.OpenConfirm, BgpEvent.NotifMsg)]
    [InlineData(BgpState.OpenConfirm, BgpEvent.TcpConnectionFails)]
    [InlineData(BgpState.Established, BgpEvent.NotifMsg)]
    [InlineData(BgpState.Established, BgpEvent.TcpConnectionFails)]
    public void Peer_gone_releases_without_notification(BgpState state, BgpEvent e)
    {
        var step = Step(state, e);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(ReleaseResources | DropConnection));
        Assert.False(step.Has(SendNotification));
    }

    [Fact]
    public void Established_update_is_processed_and_restarts_the_hold_timer()
    {
        var step = Step(BgpState.Established, BgpEvent.UpdateMsg);
        Assert.Equal(BgpState.Established, step.Next);
        Assert.Equal(RestartHoldTimer | ProcessUpdate, step.Actions);
    }

    [Fact]
    public void Established_keepalive_restarts_the_hold_timer()
    {
        var step = Step(BgpState.Established, BgpEvent.KeepAliveMsg);
        Assert.Equal(BgpState.Established, step.Next);
        Assert.Equal(RestartHoldTimer, step.Actions);
    }

    [Fact]
    public void Every_state_and_event_has_a_defined_transition()
    {
        foreach (var state in Enum.GetValues<BgpState>())
        {
            foreach (var e in Enum.GetValues<BgpEvent>())
            {
                foreach (var options in new[] { ActivePeer, PassivePeer, DelayOpenPeer })
                {
                    var step = Step(state, e, options, new NotificationMessage(NotificationCode.Cease, 0));
                    Assert.True(Enum.IsDefined(step.Next));
                    Assert.Equal(step.Has(SendNotification), step.Notification is not null);
                }
            }
        }
    }
}
