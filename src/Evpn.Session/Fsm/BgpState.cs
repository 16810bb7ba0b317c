namespace Evpn.Session.Fsm;

/// <summary>The six session states of RFC 4271 section 8.2.2.</summary>
public enum BgpState
{
    Idle,
    Connect,
    Active,
    OpenSent,
    OpenConfirm,
    Established,
}
