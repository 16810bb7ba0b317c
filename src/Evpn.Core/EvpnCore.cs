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
///   This class is the front: it runs best path and hands each event to the part that owns it.
///   <see cref="MacVrfRegistry"/> holds the MAC-VRFs and their identity, <see cref="MacVrfLifecycle"/> creates,
///   re-targets and deletes them, <see cref="ImportSelection"/> decides which MAC-VRFs a path goes into,
///   <see cref="RemoteImporter"/> and <see cref="LocalLearning"/> change MAC entries through
///   <see cref="MacReconciler"/>, which installs the winner, counts moves for <see cref="DuplicateDetector"/> and
///   has <see cref="Origination"/> advertise local MACs; <see cref="CoreQueries"/> answers show and explain.
/// </remarks>
public sealed class EvpnCore : IDisposable
{
    private CoreOptions _options;
    private readonly Rib.Rib _rib;
    private readonly List<BestPathChange> _changes = new();
    private readonly CoreOutputs _outputs;
    private readonly DuplicateDetector _duplicates;
    private readonly MacReconciler _reconciler;
    private readonly RemoteImporter _importer;
    private readonly LocalLearning _local;
    private readonly MacVrfLifecycle _vrfs;

    public EvpnCore(CoreOptions options, TimeProvider time)
    {
        _options = options;
        _rib = new Rib.Rib(new RibOptions(options.LocalAsn, options.RouterId, options.IsRouteReflector, options.ClusterId, options.KeepPrePolicy, options.UpdateGroupBacklog));
        Func<CoreOptions> current = () => _options;
        _outputs = new CoreOutputs(time, Counters);
        var registry = new MacVrfRegistry(current);
        var selection = new ImportSelection(current);
        var origination = new Origination(current, _rib, registry);
        _duplicates = new DuplicateDetector(current, time, Counters, _outputs);
        _reconciler = new MacReconciler(current, origination, _duplicates, _outputs);
        _importer = new RemoteImporter(current, Counters, _outputs, selection, _reconciler);
        _local = new LocalLearning(registry, _reconciler, origination, _outputs);
        _vrfs = new MacVrfLifecycle(current, _rib, Counters, _outputs, registry, selection, origination, _reconciler, _importer, _duplicates);
        Queries = new CoreQueries(current, _rib, registry, selection, _duplicates, new ImportExplainer(_rib, registry, selection, _importer), Flush);
        foreach (var config in options.Vnis)
        {
            _vrfs.CreateVrf(config.Vni, config);
        }
        Process();
    }

    public CoreOptions Options => _options;
    public CoreCounters Counters { get; } = new();

    /// <summary>Read-only queries for show and explain.</summary>
    public CoreQueries Queries { get; }

    // ---- BGP session events ----

    /// <summary>A session reached Established; our routes are staged to it, then End-of-RIB.</summary>
    public void PeerUp(PeerSession session)
    {
        Flush();
        _rib.PeerUp(session);
    }

    /// <summary>The EVPN routes of one received UPDATE: <paramref name="withdrawn"/> from MP_UNREACH_NLRI,
    /// <paramref name="announced"/> from MP_REACH_NLRI with its next hop and the message's attributes; each with the
    /// path identifier it came with (RFC 7911, 0 from a peer without add-path).</summary>
    public void UpdateReceived(PeerAddress peer, IReadOnlyList<Nlri> announced, PathAttributes attributes, IpAddr nextHop, IReadOnlyList<Nlri> withdrawn)
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

    /// <summary>RFC 4724 section 4.1, restarting: until <see cref="EndSelectionDeferral"/> peers are sent only our
    /// own routes (see <see cref="Rib.Rib.HoldLearnedRoutes"/>).</summary>
    public void DeferSelection() => _rib.HoldLearnedRoutes();

    /// <summary>Every peer sent End-of-RIB (or the deferral timer ran out): learned routes go out, then End-of-RIB.</summary>
    public void EndSelectionDeferral()
    {
        Flush();
        _rib.ReleaseLearnedRoutes();
    }

    /// <summary>The session went down; with <paramref name="retainStale"/> (graceful restart) its routes
    /// stay, marked stale, until End-of-RIB or the restart timer.</summary>
    public void PeerDown(PeerAddress peer, bool retainStale)
    {
        Flush();
        _rib.PeerDown(peer, retainStale);
        Process();
    }

    /// <summary>RFC 4724: End-of-RIB from a peer: its routes still stale are removed.</summary>
    public void EndOfRibReceived(PeerAddress peer, AfiSafi family)
    {
        Flush();
        if (family == AfiSafi.L2vpnEvpn)
        {
            _rib.SweepStale(peer);
            Process();
        }
    }

    /// <summary>RFC 4724 restart (or stale path) timer expired: remove the peer's stale routes.</summary>
    public void RestartTimerExpired(PeerAddress peer)
    {
        Flush();
        _rib.SweepStale(peer);
        Process();
    }

    /// <summary>RFC 2918 ROUTE-REFRESH: our Adj-RIB-Out to that peer is sent again.</summary>
    public void RefreshRequested(PeerAddress peer, AfiSafi family)
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
        var taken = new List<DataPlaneIntent>();
        TakeIntents(taken);
        return taken;
    }

    /// <summary>Moves the pending intents into <paramref name="into"/> (no allocation on the hot path).</summary>
    public void TakeIntents(List<DataPlaneIntent> into)
    {
        Flush();
        _outputs.TakeIntents(into);
    }

    /// <summary>Per-peer outbound changes: withdrawals, announcements grouped by attribute set (for the
    /// codec's UPDATE packer), and End-of-RIB after the initial dump. At most
    /// <paramref name="maxRoutesPerPeer"/> routes per peer, and nothing for a peer <paramref name="canTake"/>
    /// refuses; the rest keep coalescing.</summary>
    public List<OutboundUpdate> TakeOutbound(int maxRoutesPerPeer = int.MaxValue, Predicate<PeerAddress>? canTake = null)
    {
        Flush();
        return _rib.TakeOutbound(maxRoutesPerPeer, canTake);
    }

    /// <summary>Whether a peer <paramref name="canTake"/> accepts has outbound changes waiting.</summary>
    public bool HasOutboundWorkFor(Predicate<PeerAddress> canTake) => _rib.HasOutboundWork(canTake);

    public List<CoreAlert> TakeAlerts() => _outputs.TakeAlerts();

    // ---- configuration and data plane ----

    /// <summary>Applies a new configuration: VNIs added or removed, RD/RT or format changes. Imports
    /// are re-evaluated and local routes re-advertised where their identity changed. The router id,
    /// AS and VTEP address are fixed for the life of the core.</summary>
    public void Reconfigure(CoreOptions options)
    {
        if (options.LocalAsn != _options.LocalAsn || options.RouterId != _options.RouterId || options.LocalVtep != _options.LocalVtep ||
            options.IsRouteReflector != _options.IsRouteReflector || options.ClusterId != _options.ClusterId)
        {
            throw new ArgumentException("the AS, router id, VTEP address and route-reflector role need a restart of evpnd", nameof(options));
        }
        var wildcardChanged = options.WildcardImport != _options.WildcardImport;
        _options = options;
        _vrfs.Reconfigure(options, wildcardChanged);
        Process();
    }

    /// <summary>An event from the data plane: VNIs appearing or going, local MACs and neighbors.</summary>
    public void Apply(DataPlaneEvent e)
    {
        switch (e)
        {
            case DataPlaneEvent.VniUp up:
                _vrfs.VniUp(up.Info);
                Process();
                return;
            case DataPlaneEvent.VniDown down:
                _vrfs.VniDown(down.Vni);
                Process();
                return;
        }
        Flush();
        _local.Apply(e);
        Process();
    }

    // ---- duplicate MACs ----

    /// <summary>Timer tick from the speaker loop: releases duplicate MACs whose freeze time has passed.</summary>
    public void Tick()
    {
        Flush();
        _reconciler.Release(_duplicates.DueForRelease(), "freeze time ended");
        Process();
    }

    /// <summary>Operator action, FRR's <c>clear evpn dup-addr vni &lt;N|all&gt; [mac M]</c>: releases the duplicate MACs
    /// of <paramref name="vni"/> (every VNI when null), only <paramref name="mac"/> when given, as the end of the freeze
    /// time would: a frozen MAC is installed and advertised again (with the sequence number it reached), its move
    /// history restarts so the next moves are counted afresh. Returns what was released, ordered by VNI and MAC;
    /// empty when nothing matched a duplicate (a no-op).</summary>
    public IReadOnlyList<ClearedDuplicate> ClearDuplicates(uint? vni, MacAddress? mac)
    {
        Flush();
        var matching = _duplicates.Matching(vni, mac);
        _reconciler.Release(matching.Select(m => (m.Vrf, m.Entry)), "cleared by operator");
        Process();
        return matching.Select(m => new ClearedDuplicate(m.DuplicateSince, m.Frozen, Queries.View(m.Vrf, m.Entry))).ToList();
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
                _importer.Import(change);
            }
            // Import may change local routes (a MAC moved away is withdrawn): run best path again.
            _changes.Clear();
        }
    }

    /// <summary>Brings the core up to date before an event or a query: best path on what changed, and
    /// imports from the Loc-RIB into MAC-VRFs created or re-targeted since the last call.</summary>
    private void Flush()
    {
        Process();
        if (_vrfs.RescanPending())
        {
            Process();
        }
    }

    public void Dispose() => Counters.Dispose();
}
