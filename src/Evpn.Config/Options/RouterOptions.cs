namespace Evpn.Config.Options;

/// <summary>The `router` section: who this speaker is and where it listens.</summary>
/// <param name="Asn">Local AS number (RFC 6793 four-octet), 1..4294967295.</param>
/// <param name="RouterId">BGP Identifier (RFC 4271 section 4.2, RFC 6286): a non-zero 32-bit value written as
/// an IPv4 address. Defaults to <paramref name="LocalVtep"/> when that is IPv4.</param>
/// <param name="LocalVtep">The VXLAN tunnel source: next hop and type-3 originator of every local route.</param>
/// <param name="ListenAddress">Address the BGP listener binds; null means every address (IPv4 and IPv6).</param>
/// <param name="ListenPort">TCP port of the listener, 179 by default.</param>
/// <param name="AllowLoopbackVteps">Accept remote VTEPs (next hops, PMSI endpoints, type-3 originators) in
/// 127.0.0.0/8 and ::1; off by default: in a fabric such an address is every host's own.</param>
/// <param name="UpdateGroupBacklog">Routes an update group's outbound stream holds ahead of its slowest member
/// before that member leaves the stream and catches up from the group's table.</param>
public sealed record RouterOptions(
    uint Asn,
    IpAddr RouterId,
    IpAddr LocalVtep,
    IpAddr? ListenAddress,
    int ListenPort,
    RouterGracefulRestartOptions GracefulRestart,
    bool AllowLoopbackVteps = false,
    int UpdateGroupBacklog = RouterOptions.DefaultUpdateGroupBacklog)
{
    public const int DefaultListenPort = 179;
    public const int DefaultUpdateGroupBacklog = 65_536;
}

/// <summary>What evpnd does with its sessions when it is stopped.</summary>
public enum GracefulStopMode
{
    /// <summary>Send a Cease NOTIFICATION (RFC 4486 subcode 3, peer de-configured / administrative shutdown):
    /// peers drop our routes at once.</summary>
    Notify,

    /// <summary>Close the sessions without a NOTIFICATION so that graceful-restart peers keep our routes for
    /// the restart time (RFC 4724 section 4.2) while the kernel entries stay in place.</summary>
    Graceful,
}

/// <summary>Router-wide graceful restart (RFC 4724) as this speaker advertises it.</summary>
/// <param name="Enabled">Advertise the Graceful Restart capability.</param>
/// <param name="RestartTime">Restart Time in the capability (12 bits: at most 4095 s).</param>
/// <param name="PreserveForwarding">Set the F bit for L2VPN EVPN: kernel FDB entries survive our restart.</param>
/// <param name="OnStop">Behaviour on a clean stop.</param>
public sealed record RouterGracefulRestartOptions(
    bool Enabled,
    TimeSpan RestartTime,
    bool PreserveForwarding,
    GracefulStopMode OnStop)
{
    public static readonly RouterGracefulRestartOptions Default =
        new(true, TimeSpan.FromSeconds(120), true, GracefulStopMode.Notify);
}
