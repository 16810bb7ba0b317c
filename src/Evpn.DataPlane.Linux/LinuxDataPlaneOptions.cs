namespace Evpn.DataPlane.Linux;

/// <summary>Options of the Linux (rtnetlink) data plane.</summary>
public sealed record LinuxDataPlaneOptions
{
    /// <summary>Network namespace (as named under /run/netns) whose kernel tables to program and watch;
    /// null for the daemon's own namespace.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>VNIs the configuration names: only these are reported, and each one without a VXLAN device is
    /// reported as missing. Null reports every VXLAN device that is up (FRR's advertise-all-vni).</summary>
    public IReadOnlySet<uint>? ConfiguredVnis { get; init; }

    /// <summary>ARP/ND suppression: turn neigh_suppress on for each VNI's VXLAN bridge port, so the kernel
    /// answers ARP/ND from the neighbor entries evpnd installs instead of flooding them (RFC 7432 section 10).</summary>
    public bool ArpNdSuppression { get; init; }

    /// <summary>Point each remote MAC's FDB entry to a nexthop group of its VTEP (one per VTEP, `bridge fdb ...
    /// nhid N`) rather than name the VTEP in the entry (`dst A`). Installing is cheaper (no per-entry route
    /// cache), and forwarding looks up the route to the VTEP per packet instead of caching it per entry.
    /// Ignored, with a warning, on kernels without nexthop objects (before Linux 5.8).</summary>
    public bool FdbNexthops { get; init; } = true;

    /// <summary>Requests per sendmsg. Bigger batches amortise the system call; the receive buffer must hold
    /// an error reply for each of them.</summary>
    public int MaxMessagesPerSend { get; init; } = 1024;

    /// <summary>Send and receive buffer of each netlink socket.</summary>
    public int SocketBufferBytes { get; init; } = 8 * 1024 * 1024;

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Bound of the event queue toward the EVPN core.</summary>
    public int EventQueueCapacity { get; init; } = 65536;

    /// <summary>How long to wait for the kernel's acknowledgement of a batch.</summary>
    public TimeSpan KernelReplyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
