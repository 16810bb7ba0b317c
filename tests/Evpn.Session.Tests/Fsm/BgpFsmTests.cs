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
    public void Idle_ManualStart_ConnectsAndStartsTheRetryTimer()
    {
        var step = Step(BgpState.Idle, BgpEvent.ManualStart);
        Assert.Equal(BgpState.Connect, step.Next);
        Assert.True(step.Has(InitiateConnection | StartConnectRetryTimer | ResetConnectRetryCounter));
    }

    [Theory]
    [InlineData(BgpEvent.ManualStart)]
    [InlineData(BgpEvent.ManualStartWithPassiveTcpEstablishment)]
    [InlineData(BgpEvent.IdleHoldTimerExpires)]
    public void Idle_StartOfPassivePeer_WaitsInActiveWithoutConnecting(BgpEvent e)
    {
        var step = Step(BgpState.Idle, e, PassivePeer);
        Assert.Equal(BgpState.Active, step.Next);
        Assert.False(step.Has(InitiateConnection));
        Assert.True(step.Has(StartConnectRetryTimer));
    }

    [Fact]
    public void Idle_IdleHoldTimerExpiry_RestartsAnActivePeer()
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
    public void Idle_OtherEvents_StayIdleAndDoNothing(BgpEvent e)
    {
        var step = Step(BgpState.Idle, e);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.Equal(None, step.Actions);
    }

    [Fact]
    public void Idle_ConnectionArriving_IsRefused()
    {
        var step = Step(BgpState.Idle, BgpEvent.TcpConnectionConfirmed);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(DropConnection));
    }

    [Theory]
    [InlineData(BgpState.Connect, BgpEvent.TcpCrAcked)]
    [InlineData(BgpState.Connect, BgpEvent.TcpConnectionConfirmed)]
    [InlineData(BgpState.Active, BgpEvent.TcpConnectionConfirmed)]
    public void ConnectionUp_SendsOpenWithTheLargeHoldTimer(BgpState state, BgpEvent e)
    {
        var step = Step(state, e);
        Assert.Equal(BgpState.OpenSent, step.Next);
        Assert.True(step.Has(SendOpen | StartLargeHoldTimer | StopConnectRetryTimer));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void ConnectionUp_WithDelayOpen_StartsTheDelayOpenTimerInstead(BgpState state)
    {
        var step = Step(state, BgpEvent.TcpConnectionConfirmed, DelayOpenPeer);
        Assert.Equal(state, step.Next);
        Assert.True(step.Has(StartDelayOpenTimer));
        Assert.False(step.Has(SendOpen));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void DelayOpenTimerExpiry_SendsOpen(BgpState state)
    {
        var step = Step(state, BgpEvent.DelayOpenTimerExpires, DelayOpenPeer);
        Assert.Equal(BgpState.OpenSent, step.Next);
        Assert.True(step.Has(SendOpen | StartLargeHoldTimer));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void OpenWhileDelayOpenRuns_AnswersWithOpenAndKeepalive(BgpState state)
    {
        var step = Step(state, BgpEvent.BgpOpenWithDelayOpenTimerRunning, DelayOpenPeer);
        Assert.Equal(BgpState.OpenConfirm, step.Next);
        Assert.True(step.Has(AcceptOpen | SendOpen | SendKeepalive | StartNegotiatedTimers | StopDelayOpenTimer));
    }

    [Fact]
    public void Connect_ConnectFailure_WaitsInActiveAndRetriesLater()
    {
        var step = Step(BgpState.Connect, BgpEvent.TcpConnectionFails);
        Assert.Equal(BgpState.Active, step.Next);
        Assert.True(step.Has(StartConnectRetryTimer | DropConnection));
    }

    [Fact]
    public void Connect_RetryTimerExpiry_ConnectsAgain()
    {
        var step = Step(BgpState.Connect, BgpEvent.ConnectRetryTimerExpires);
        Assert.Equal(BgpState.Connect, step.Next);
        Assert.True(step.Has(DropConnection | InitiateConnection | StartConnectRetryTimer));
    }

    [Fact]
    public void Active_RetryTimerExpiry_ConnectsForAnActivePeer_WaitsForAPassivePeer()
    {
        Assert.Equal(BgpState.Connect, Step(BgpState.Active, BgpEvent.ConnectRetryTimerExpires).Next);
        var passive = Step(BgpState.Active, BgpEvent.ConnectRetryTimerExpires, PassivePeer);
        Assert.Equal(BgpState.Active, passive.Next);
        Assert.False(passive.Has(InitiateConnection));
    }

    [Theory]
    [InlineData(BgpState.Connect)]
    [InlineData(BgpState.Active)]
    public void ManualStop_BeforeOpen_GoesIdleWithoutNotification(BgpState state)
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
    public void BeforeOpen_UnexpectedEvents_TearDownWithoutNotification(BgpState state, BgpEvent e)
    {
        var step = Step(state, e);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(DropConnection | IncrementConnectRetryCounter));
        Assert.False(step.Has(SendNotification));
    }

    [Fact]
    public void OpenSent_Open_AcceptsItAndSendsKeepalive()
    {
        var step = Step(BgpState.OpenSent, BgpEvent.BgpOpen);
        Assert.Equal(BgpState.OpenConfirm, step.Next);
        Assert.True(step.Has(AcceptOpen | SendKeepalive | StartNegotiatedTimers));
    }

    [Theory]
    [InlineData(BgpState.OpenSent)]
    [InlineData(BgpState.OpenConfirm)]
    [InlineData(BgpState.Established)]
    public void HoldTimerExpiry_SendsCode4(BgpState state)
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
    public void SendHoldTimerExpiry_SendsCode8AndDrops(BgpState state)
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
    public void ManualStop_AfterOpen_SendsTheGivenCeaseAndResetsTheCounter(BgpState state)
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
    public void AutomaticStop_SendsTheGivenCeaseAndCountsTheRetry(BgpState state)
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
    public void DecodeErrors_SendTheDecodersNotification(BgpState state, BgpEvent e)
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
    public void UnexpectedEvents_SendRfc6608FsmError(BgpState state, BgpEvent e, byte subcode)
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
    public void OpenCollisionDump_SendsCeaseCollisionResolution(BgpState state)
    {
        var step = Step(state, BgpEvent.OpenCollisionDump);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.Equal(NotificationCode.Cease, step.Notification!.Code);
        Assert.Equal(CeaseSubcode.ConnectionCollisionResolution, step.Notification.Subcode);
    }

    [Fact]
    public void OpenSent_ConnectionLoss_GoesBackToActive()
    {
        var step = Step(BgpState.OpenSent, BgpEvent.TcpConnectionFails);
        Assert.Equal(BgpState.Active, step.Next);
        Assert.True(step.Has(StartConnectRetryTimer | DropConnection));
    }

    [Fact]
    public void OpenConfirm_Keepalive_EstablishesTheSession()
    {
        var step = Step(BgpState.OpenConfirm, BgpEvent.KeepAliveMsg);
        Assert.Equal(BgpState.Established, step.Next);
        Assert.True(step.Has(SessionEstablished | RestartHoldTimer));
    }

    [Theory]
    [InlineData(BgpState.OpenConfirm)]
    [InlineData(BgpState.Established)]
    public void KeepaliveTimerExpiry_SendsKeepaliveAndStaysPut(BgpState state)
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
    public void PeerGone_ReleasesWithoutNotification(BgpState state, BgpEvent e)
    {
        var step = Step(state, e);
        Assert.Equal(BgpState.Idle, step.Next);
        Assert.True(step.Has(ReleaseResources | DropConnection));
        Assert.False(step.Has(SendNotification));
    }

    [Fact]
    public void Established_Update_IsProcessedAndRestartsTheHoldTimer()
    {
        var step = Step(BgpState.Established, BgpEvent.UpdateMsg);
        Assert.Equal(BgpState.Established, step.Next);
        Assert.Equal(RestartHoldTimer | ProcessUpdate, step.Actions);
    }

    [Fact]
    public void Established_Keepalive_RestartsTheHoldTimer()
    {
        var step = Step(BgpState.Established, BgpEvent.KeepAliveMsg);
        Assert.Equal(BgpState.Established, step.Next);
        Assert.Equal(RestartHoldTimer, step.Actions);
    }

    [Fact]
    public void EveryStateAndEvent_HasADefinedTransition()
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
