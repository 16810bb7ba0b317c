namespace Evpn.Config.Options;

/// <summary>One entry of `neighbors`: a fixed peer (<see cref="Address"/>), a listen range
/// (<see cref="ListenRange"/>) that accepts any peer connecting from inside the prefix, or an interface
/// neighbor (<see cref="Interface"/>, BGP unnumbered) reached at the link-local address found on that
/// interface. Exactly one is set.</summary>
/// <param name="Password">TCP-MD5 key (RFC 2385), at most 80 octets (the Linux TCP_MD5SIG_MAXKEYLEN).</param>
/// <param name="TtlSecurityHops">GTSM (RFC 5082): accept only packets whose TTL is at least 256 - hops; null = off.</param>
/// <param name="MultihopTtl">TTL of outgoing packets for a peer more than one hop away; null = 1 for eBGP, 255 for iBGP.</param>
/// <param name="Passive">Never initiate the TCP connection; wait for the peer.</param>
/// <param name="Shutdown">Administratively down; <see cref="ShutdownMessage"/> goes in the Cease NOTIFICATION (RFC 8203).</param>
/// <param name="ListenLimit">A listen range's cap on dynamic peers at once; connections beyond it are refused.</param>
public sealed record NeighborOptions(
    IpAddr? Address,
    AddressRange? ListenRange,
    PeerAs RemoteAs,
    string? Description,
    string? Password,
    int? TtlSecurityHops,
    int? MultihopTtl,
    IpAddr? SourceAddress,
    NeighborTimers Timers,
    EquatableArray<AfiSafi> Families,
    NeighborGracefulRestart GracefulRestart,
    MaxPrefixSettings? MaxPrefix,
    bool RouteReflectorClient,
    bool Shutdown,
    string? ShutdownMessage,
    bool Passive,
    int ListenLimit = NeighborOptions.DefaultListenLimit)
{
    /// <summary>FRR's default for `bgp listen limit`.</summary>
    public const int DefaultListenLimit = 100;

    /// <summary>From an external peer, the first AS of AS_PATH must be the peer's (RFC 4271 section 6.3); FRR's
    /// `enforce-first-as`, on by default. Off for a route server that does not prepend its AS.</summary>
    public bool EnforceFirstAs { get; init; } = true;

    /// <summary>RFC 7911 ADD-PATH for L2VPN EVPN: `receive` offers to take several paths per route from the neighbor
    /// (FRR's `addpath-tx-all-paths` on a route reflector sends them); evpnd never sends more than its best.</summary>
    public bool AddPathReceive { get; init; }

    /// <summary>Attribute types to drop or to treat as withdraw in this neighbor's UPDATEs.</summary>
    public NeighborPathAttributes PathAttributes { get; init; } = NeighborPathAttributes.None;

    /// <summary>BGP unnumbered: the interface whose link-local peer this neighbor is (FRR's `neighbor IF interface`).</summary>
    public string? Interface { get; init; }

    /// <summary>Send IPv6 router advertisements on <see cref="Interface"/> so the peer finds our link-local
    /// address (as FRR's zebra does for its interface neighbors).</summary>
    public bool InterfaceRa { get; init; } = true;

    /// <summary>The neighbor's identity across reloads: its address, its listen range or its interface.</summary>
    public string Key => Address is { } a ? a.ToString() : ListenRange is { } r ? r.ToString() : Interface!;

    public bool IsListenRange => ListenRange is not null;

    public bool IsInterface => Interface is not null;

    public static readonly EquatableArray<AfiSafi> DefaultFamilies = new[] { AfiSafi.L2vpnEvpn };

    /// <summary>Every member as the compiler would print it, but the TCP-MD5 key only as whether it is set: a
    /// neighbor's options end up in logs and exception messages.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Address = ").Append(Address).Append(", ListenRange = ").Append(ListenRange)
            .Append(", RemoteAs = ").Append(RemoteAs).Append(", Description = ").Append(Description)
            .Append(", Password = ").Append(Password is null ? "" : "(set, not shown)")
            .Append(", TtlSecurityHops = ").Append(TtlSecurityHops).Append(", MultihopTtl = ").Append(MultihopTtl)
            .Append(", SourceAddress = ").Append(SourceAddress).Append(", Timers = ").Append(Timers)
            .Append(", Families = ").Append(Families).Append(", GracefulRestart = ").Append(GracefulRestart)
            .Append(", MaxPrefix = ").Append(MaxPrefix).Append(", RouteReflectorClient = ").Append(RouteReflectorClient)
            .Append(", Shutdown = ").Append(Shutdown).Append(", ShutdownMessage = ").Append(ShutdownMessage)
            .Append(", Passive = ").Append(Passive).Append(", ListenLimit = ").Append(ListenLimit)
            .Append(", EnforceFirstAs = ").Append(EnforceFirstAs).Append(", AddPathReceive = ").Append(AddPathReceive).Append(", PathAttributes = ").Append(PathAttributes)
            .Append(", Interface = ").Append(Interface).Append(", InterfaceRa = ").Append(InterfaceRa)
            .Append(", Key = ").Append(Key).Append(", IsListenRange = ").Append(IsListenRange).Append(", IsInterface = ").Append(IsInterface);
        return true;
    }
}

/// <summary>`path-attribute`: attribute type codes (1..255) received from the neighbor that are dropped as if
/// not sent (<see cref="Discard"/>) or that make the UPDATE treat-as-withdraw (<see cref="TreatAsWithdraw"/>),
/// as FRR's `neighbor X path-attribute discard|treat-as-withdraw`.</summary>
public sealed record NeighborPathAttributes(EquatableArray<byte> Discard, EquatableArray<byte> TreatAsWithdraw)
{
    public static readonly NeighborPathAttributes None = new(EquatableArray<byte>.Empty, EquatableArray<byte>.Empty);
}

/// <summary>RFC 4271 section 10 timers. Hold time is 0 (no keepalives) or at least 3 seconds.</summary>
/// <param name="DelayOpen">RFC 4271 section 8.1.1 DelayOpen: wait this long for the peer's OPEN before sending ours.</param>
/// <param name="SendHoldTime">RFC 9687: drop a peer that has not read for this long; null = the larger of 8 minutes and twice the hold time.</param>
public sealed record NeighborTimers(TimeSpan HoldTime, TimeSpan Keepalive, TimeSpan ConnectRetry, TimeSpan? DelayOpen, TimeSpan? SendHoldTime = null)
{
    public static readonly NeighborTimers Default =
        new(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), null);
}

/// <summary>Per-neighbor graceful restart (RFC 4724): whether to negotiate it with this peer and how long to
/// keep the peer's routes as stale after its session drops.</summary>
/// <param name="RestartTime">Restart time we accept from this peer at most; its own capability value is used when lower.</param>
/// <param name="StaleRoutesTime">How long stale routes survive after the session is back, waiting for End-of-RIB.</param>
public sealed record NeighborGracefulRestart(bool Enabled, TimeSpan RestartTime, TimeSpan StaleRoutesTime)
{
    public static readonly NeighborGracefulRestart Default = new(true, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(360));
}

/// <summary>Maximum number of prefixes accepted from a peer (RFC 4486 Cease subcode 1 when exceeded).</summary>
/// <param name="WarningThresholdPercent">Log a warning once the count reaches this percentage of the limit.</param>
/// <param name="RestartInterval">Re-establish the session this long after the limit tore it down; null = stay down until cleared.</param>
public sealed record MaxPrefixSettings(uint Limit, int WarningThresholdPercent, TimeSpan? RestartInterval)
{
    public const int DefaultWarningThresholdPercent = 75;
}
