using System.Collections.Immutable;
using System.Net;
using Evpn.Session.Timers;
using Evpn.Session.Transport;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Options;

/// <summary>One configured BGP neighbor. Immutable; the daemon builds it from validated config.</summary>
public sealed record PeerOptions
{
    public required PeerAddress Address { get; init; }

    /// <summary>BGP unnumbered: the interface this peer is found on; <see cref="Address"/> is then the peer's
    /// link-local address with the interface's index as scope, and the speaker adds and removes the peer as
    /// the interface and the address come and go (<see cref="Speaker.InterfaceNeighbor"/>).</summary>
    public string? Interface { get; init; }

    /// <summary>The AS the peer must announce in its OPEN (RFC 4271 section 6.2, Bad Peer AS otherwise).</summary>
    public required uint RemoteAs { get; init; }

    /// <summary>Accept any AS other than ours instead of <see cref="RemoteAs"/> (FRR's `remote-as external`):
    /// the peer's OPEN decides, and an OPEN with our own AS is refused with Bad Peer AS.</summary>
    public bool AnyExternalAs { get; init; }

    /// <summary>Our AS towards this peer; null uses the speaker's.</summary>
    public uint? LocalAs { get; init; }

    public int RemotePort { get; init; } = 179;

    /// <summary>Hold time we propose (RFC 4271 4.2: 0 or at least 3 seconds); the smaller of both sides is used.</summary>
    public ushort HoldTime { get; init; } = 90;

    public TimeSpan ConnectRetryTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>RFC 4271 8.1.1 DelayOpen: wait this long for the peer's OPEN before sending ours; null sends at once.</summary>
    public TimeSpan? DelayOpenTime { get; init; }

    /// <summary>RFC 9687: how long the peer may keep our writes blocked; null means max(8 minutes, 2 x hold time).</summary>
    public TimeSpan? SendHoldTime { get; init; }

    public IdleHoldOptions IdleHold { get; init; } = IdleHoldOptions.Default;

    /// <summary>Families to negotiate: L2VPN EVPN by default, IPv4/IPv6 unicast optionally.</summary>
    public ImmutableArray<AfiSafi> Families { get; init; } = [AfiSafi.L2vpnEvpn];

    /// <summary>Wait for the peer to connect; never initiate (RFC 4271 PassiveTcpEstablishment).</summary>
    public bool Passive { get; init; }

    /// <summary>RFC 2385 TCP-MD5 key.</summary>
    public string? Password { get; init; }

    /// <summary>RFC 5082 GTSM: the peer is at most this many hops away.</summary>
    public int? TtlSecurityHops { get; init; }

    /// <summary>eBGP multihop TTL; null means directly connected for eBGP.</summary>
    public int? MultihopTtl { get; init; }

    public IPAddress? SourceAddress { get; init; }

    /// <summary>RFC 7911: offer to receive several paths per L2VPN EVPN route, each with a path identifier (the
    /// ADD-PATH capability with Receive for that family); on only when the peer offers Send.</summary>
    public bool AddPathReceive { get; init; }

    /// <summary>RFC 8654: offer messages up to 65535 octets.</summary>
    public bool ExtendedMessage { get; init; } = true;

    /// <summary>Graceful restart (RFC 4724, RFC 8538); null disables it for this peer.</summary>
    public GracefulRestartOptions? GracefulRestart { get; init; } = new();

    /// <summary>Prefix limits per family (RFC 4486 Cease subcode 1).</summary>
    public ImmutableDictionary<AfiSafi, MaxPrefixOptions> MaxPrefix { get; init; } = ImmutableDictionary<AfiSafi, MaxPrefixOptions>.Empty;

    /// <summary>enforce-first-as and the attribute types to discard or treat as withdraw in its UPDATEs.</summary>
    public ReceivePolicy Receive { get; init; } = ReceivePolicy.Default;

    /// <summary>Start the session as soon as the peer is added.</summary>
    public bool Enabled { get; init; } = true;

    public ConnectionOptions Connection => new(Address.ToSocketAddress(), RemotePort, SourceAddress, Password, TtlSecurityHops, MultihopTtl);

    /// <summary>Every member as the compiler would print it, but the TCP-MD5 key only as whether it is set.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Address = ").Append(Address).Append(", Interface = ").Append(Interface).Append(", RemoteAs = ").Append(RemoteAs)
            .Append(", AnyExternalAs = ").Append(AnyExternalAs).Append(", LocalAs = ").Append(LocalAs)
            .Append(", RemotePort = ").Append(RemotePort).Append(", HoldTime = ").Append(HoldTime)
            .Append(", ConnectRetryTime = ").Append(ConnectRetryTime).Append(", DelayOpenTime = ").Append(DelayOpenTime)
            .Append(", SendHoldTime = ").Append(SendHoldTime).Append(", IdleHold = ").Append(IdleHold)
            .Append(", Families = [").AppendJoin(", ", Families).Append("], Passive = ").Append(Passive)
            .Append(", Password = ").Append(Password is null ? "" : "(set, not shown)")
            .Append(", TtlSecurityHops = ").Append(TtlSecurityHops).Append(", MultihopTtl = ").Append(MultihopTtl)
            .Append(", SourceAddress = ").Append(SourceAddress).Append(", AddPathReceive = ").Append(AddPathReceive).Append(", ExtendedMessage = ").Append(ExtendedMessage)
            .Append(", GracefulRestart = ").Append(GracefulRestart).Append(", MaxPrefix = ").Append(MaxPrefix)
            .Append(", Enabled = ").Append(Enabled).Append(", Receive = ").Append(Receive).Append(", Connection = ").Append(Connection);
        return true;
    }
}

/// <summary>RFC 4724 / RFC 8538 settings. <see cref="RestartTime"/> is what we advertise: how long the peer
/// should keep our routes when we restart; <see cref="StalePathTime"/> bounds how long we keep a restarted
/// peer's stale routes while waiting for its End-of-RIB.</summary>
public sealed record GracefulRestartOptions
{
    public ushort RestartTime { get; init; } = 120;
    public TimeSpan StalePathTime { get; init; } = TimeSpan.FromSeconds(360);

    /// <summary>RFC 8538 N bit: keep routes across NOTIFICATIONs other than Hard Reset too.</summary>
    public bool NotificationSupport { get; init; } = true;
}

/// <summary>Limit on prefixes accepted from a peer for one family.</summary>
/// <param name="Limit">More than this many prefixes ends the session with Cease subcode 1.</param>
/// <param name="WarningPercent">A warning event is raised once at this share of the limit.</param>
/// <param name="RestartAfter">Restart the session after this interval; null leaves it down until enabled.</param>
public sealed record MaxPrefixOptions(uint Limit, int WarningPercent = 75, TimeSpan? RestartAfter = null);
