using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The EVPN core: the BGP RIB plus MAC-VRFs. The speaker loop calls one method per event
/// (session, UPDATE, data plane, timer) and then takes the outputs: data-plane intents, per-peer
/// outbound updates and alerts. Single-threaded, no I/O, no locks.</summary>
/// <remarks>
///   Flow: UPDATE -> Adj-RIB-In -> best path (<see cref="Rib.Rib"/>) -> import by route target into
///   MAC-VRFs -> MAC mobility (RFC 7432 section 15) -> FDB/neighbor/flood intents. Local MACs, neighbors
///   and VNIs -> MAC-VRF -> originated type-2/type-3 routes -> Loc-RIB -> Adj-RIBs-Out.
/// </remarks>
public sealed partial class EvpnCore : IDisposable
{
    private CoreOptions _options;
    private readonly TimeProvider _time;
    private readonly Rib.Rib _rib;
    private readonly List<DataPlaneIntent> _intents = new();
    private readonly List<CoreAlert> _alerts = new();
    private readonly List<BestPathChange> _changes = new();

    public EvpnCore(CoreOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _rib = new Rib.Rib(new RibOptions(options.LocalAsn, options.RouterId, options.IsRouteReflector, options.ClusterId, options.KeepPrePolicy));
        foreach (var config in options.Vnis)
        {
            CreateVrf(config.Vni, config);
        }
        Process();
    }

    public CoreOptions Options => _options;
    public CoreCounters Counters { get; } = new();

    /// <summary>The underlying RIB, for show commands (Adj-RIB-In/Out, destinations).</summary>
    public Rib.Rib Rib => _rib;

    // ---- BGP session events ----

    /// <summary>A session reached Established; our routes are staged to it, then End-of-RIB.</summary>
    public void PeerUp(PeerSession session)
    {
        Flush();
        _rib.PeerUp(session);
    }

    /// <summary>The routes of one received UPDATE: <paramref name="withdrawn"/> from MP_UNREACH_NLRI,
    /// <paramref name="announced"/> from MP_REACH_NLRI with its next hop and the message's attributes.</summary>
    public void UpdateReceived(IpAddr peer, IReadOnlyList<EvpnRoute> announced, PathAttributes attributes, IpAddr nextHop, IReadOnlyList<EvpnRoute> withdrawn)
    {
        Flush();
        if (withdrawn.Count > 0)
        {
            _rib.Withdraw(peer, withdrawn);
        }
        if (announced.Count > 0 && !_rib.Receive(peer, announced, attributes, nextHop))
        {
            Counters.UpdatesFromUnknownPeers++;
        }
        Process();
    }

    /// <summary>The EVPN checks of a received UPDATE that RFC 7606 leaves to the receiver (its tunnel
    /// endpoints, <see cref="TunnelEndpointCheck"/>): null, or the treat-as-withdraw error to apply.</summary>
    public BgpError? CheckReceived(UpdateMessage update) =>
        TunnelEndpointCheck.Check(update.MpReach, update.Attributes, _options.LocalVtep, _options.AllowLoopbackVteps);

    /// <summary>The session went down; with <paramref name="retainStale"/> (graceful restart) its routes
    /// stay, marked stale, until End-of-RIB or the restart timer.</summary>
    public void PeerDown(IpAddr peer, bool retainStale)
    {
        Flush();
        _rib.PeerDown(peer, retainStale);
        Process();
    }

    /// <summary>RFC 4724: End-of-RIB from a peer: its routes still stale are removed.</summary>
    public void EndOfRibReceived(IpAddr peer, AfiSafi family)
    {
        Flush();
        if (family == AfiSafi.L2vpnEvpn)
        {
            _rib.SweepStale(peer);
            Process();
        }
    }

    /// <summary>RFC 4724 restart (or stale path) timer expired: remove the peer's stale routes.</summary>
    public void RestartTimerExpired(IpAddr peer)
    {
        Flush();
        _rib.SweepStale(peer);
        Process();
    }

    /// <summary>RFC 2918 ROUTE-REFRESH: our Adj-RIB-Out to that peer is sent again.</summary>
    public void RefreshRequested(IpAddr peer, AfiSafi family)
    {
        if (family == AfiSafi.L2vpnEvpn)
        {
            _rib.RefreshRequested(peer);
        }
    }

    // ---- outputs ----

    /// <summary>Data-plane intents produced since the last call, in order.</summary>
    public List<DataPlaneIntent> TakeIntents()
    {
        Flush();
        var taken = new List<DataPlaneIntent>(_intents);
        _intents.Clear();
        return taken;
    }

    /// <summary>Moves the pending intents into <paramref name="into"/> (no allocation on the hot path).</summary>
    public void TakeIntents(List<DataPlaneIntent> into)
    {
        Flush();
        into.AddRange(_intents);
        _intents.Clear();
    }

    /// <summary>Per-peer outbound changes: withdrawals, announcements grouped by attribute set (for the
    /// codec's UPDATE packer), and End-of-RIB after the initial dump. At most
    /// <paramref name="maxRoutesPerPeer"/> routes per peer, and nothing for a peer <paramref name="canTake"/>
    /// refuses; the rest keep coalescing.</summary>
    public List<OutboundUpdate> TakeOutbound(int maxRoutesPerPeer = int.MaxValue, Predicate<IpAddr>? canTake = null)
    {
        Flush();
        return _rib.TakeOutbound(maxRoutesPerPeer, canTake);
    }

    /// <summary>What is waiting for one peer (its write loop pulls when it can send), or null.</summary>
    public OutboundUpdate? TakeOutbound(IpAddr peer, int maxRoutes)
    {
        Flush();
        return _rib.TakeOutbound(peer, maxRoutes);
    }

    public bool HasOutboundWork => _rib.HasOutboundWork();

    /// <summary>Whether a peer <paramref name="canTake"/> accepts has outbound changes waiting.</summary>
    public bool HasOutboundWorkFor(Predicate<IpAddr> canTake) => _rib.HasOutboundWork(canTake);

    public List<CoreAlert> TakeAlerts()
    {
        var taken = new List<CoreAlert>(_alerts);
        _alerts.Clear();
        return taken;
    }

    /// <summary>Runs best path on what changed and imports the changes into the MAC-VRFs.</summary>
    private void Process()
    {
        while (true)
        {
            _rib.ProcessChanges(_changes);
            if (_changes.Count == 0)
            {
                return;
            }
            foreach (var change in _changes)
            {
                Import(change);
            }
            // Import may change local routes (a MAC moved away is withdrawn): run best path again.
            _changes.Clear();
        }
    }

    public void Dispose() => Counters.Dispose();
}
