using Evpn.Wire;

namespace Evpn.Session.Fsm;

/// <summary>One event for the FSM. <paramref name="Error"/> is the NOTIFICATION that goes with it:
/// the one to send for BGPOpenMsgErr, BGPHeaderErr, UpdateMsgErr, ManualStop and AutomaticStop,
/// or the one received for NotifMsg.</summary>
public readonly record struct FsmInput(BgpEvent Event, NotificationMessage? Error = null);

/// <summary>How this peer's FSM is configured (RFC 4271 section 8.1.1 optional attributes).</summary>
public readonly record struct FsmOptions(bool PassiveTcpEstablishment, bool DelayOpen);

/// <summary>A transition's result: the next state, what to do, and the NOTIFICATION to send
/// when <see cref="FsmActions.SendNotification"/> is set.</summary>
public readonly record struct FsmStep(BgpState Next, FsmActions Actions, NotificationMessage? Notification = null)
{
    public bool Has(FsmActions action) => (Actions & action) == action;
}
