using System.Collections.Immutable;
using Evpn.Config.Options;

namespace Evpn.Config.Diff;

/// <summary>What a reload changes, computed from two validated files. The daemon applies it: sessions not
/// named here stay up.</summary>
/// <param name="RestartRequired">Changes a running speaker cannot take (local AS, router-id, VTEP address,
/// listener, data-plane kind, management socket, metrics address). A reload that has any is refused as a whole
/// and changes nothing: applying half of it would run the new neighbors under the old identity.</param>
/// <param name="NeighborsAdded">Start these sessions (or listen ranges).</param>
/// <param name="NeighborsRemoved">Stop these with Cease subcode 3, Peer De-configured (RFC 4486), and drop their routes.</param>
/// <param name="NeighborsChanged">Neighbors present in both files with different options, and what to do with each.
/// A change of router.graceful-restart shows here as a reset of every neighbor that negotiates graceful restart
/// (the capability is in the OPEN); neighbors with it disabled are not touched.</param>
/// <param name="Vnis">VNIs whose effective options differ.</param>
/// <param name="EvpnSettingsChanged">Section-wide evpn keys that differ (advertise-all-vni, duplicate-detection...).</param>
/// <param name="ReevaluateImports">rt-derivation or wildcard-import changed: the import decision of every VNI that
/// relies on derived route targets (including VNIs found in the kernel but not listed) must be re-evaluated.</param>
/// <param name="AppliedInPlace">Other keys that changed and apply without touching any session (logging, mrt-dump, data-plane.arp-suppression).</param>
public sealed record ConfigDiff(
    EquatableArray<string> RestartRequired,
    EquatableArray<NeighborOptions> NeighborsAdded,
    EquatableArray<NeighborOptions> NeighborsRemoved,
    EquatableArray<NeighborChange> NeighborsChanged,
    EquatableArray<VniChange> Vnis,
    EquatableArray<string> EvpnSettingsChanged,
    bool ReevaluateImports,
    EquatableArray<string> AppliedInPlace)
{
    public bool RequiresRestart => !RestartRequired.IsEmpty;

    public bool IsEmpty =>
        RestartRequired.IsEmpty && NeighborsAdded.IsEmpty && NeighborsRemoved.IsEmpty && NeighborsChanged.IsEmpty
        && Vnis.IsEmpty && EvpnSettingsChanged.IsEmpty && !ReevaluateImports && AppliedInPlace.IsEmpty;

    /// <summary>Keys of the neighbors whose sessions go down because of this reload (removed, reset or shut down).</summary>
    public IEnumerable<string> SessionsInterrupted =>
        NeighborsRemoved.Select(n => n.Key)
            .Concat(NeighborsChanged.Where(c => c.Action is NeighborAction.ResetSession or NeighborAction.Shutdown).Select(c => c.Key));

    public static ConfigDiff Compute(EvpnConfig old, EvpnConfig @new)
    {
        var routerGrChanged = old.Router.GracefulRestart != @new.Router.GracefulRestart;
        var (added, removed, changed) = NeighborDiff.Compute(old.Neighbors, @new.Neighbors, routerGrChanged);
        var (vnis, evpnKeys, reevaluate) = VniDiff.Compute(old.Evpn, @new.Evpn, @new.Router.Asn);
        return new ConfigDiff(
            RestartReasons(old, @new),
            added,
            removed,
            changed,
            vnis,
            evpnKeys,
            reevaluate,
            InPlace(old, @new));
    }

    /// <summary>One line per change, for `evpnctl reload` and the log.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var r in RestartRequired)
        {
            yield return $"needs a restart: {r}";
        }
        foreach (var n in NeighborsAdded)
        {
            yield return $"neighbor {n.Key}: added";
        }
        foreach (var n in NeighborsRemoved)
        {
            yield return $"neighbor {n.Key}: removed";
        }
        foreach (var c in NeighborsChanged)
        {
            var action = c.Action switch
            {
                NeighborAction.ResetSession => "session reset",
                NeighborAction.Shutdown => "shut down",
                NeighborAction.Start => "started",
                _ => c.ReadvertiseRequired ? "updated, routes re-sent" : "updated, session kept",
            };
            yield return $"neighbor {c.Key}: {action} ({string.Join(", ", c.ChangedKeys)})";
        }
        foreach (var v in Vnis)
        {
            var what = new List<string>();
            if (v.RdChanged)
            {
                what.Add("rd");
            }
            if (v.ImportRtsChanged)
            {
                what.Add("import route targets");
            }
            if (v.ExportRtsChanged)
            {
                what.Add("export route targets");
            }
            what.AddRange(v.SettingsChanged);
            yield return $"vni {v.Vni}: {v.Kind.ToString().ToLowerInvariant()}{(what.Count > 0 ? $" ({string.Join(", ", what)})" : string.Empty)}";
        }
        foreach (var k in EvpnSettingsChanged)
        {
            yield return $"evpn.{k}: changed";
        }
        if (ReevaluateImports)
        {
            yield return "imports re-evaluated for VNIs with derived route targets";
        }
        foreach (var k in AppliedInPlace)
        {
            yield return $"{k}: changed";
        }
    }

    private static EquatableArray<string> RestartReasons(EvpnConfig old, EvpnConfig @new)
    {
        var reasons = ImmutableArray.CreateBuilder<string>();
        void Check<T>(string key, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                reasons.Add($"{key} changed from {Show(a)} to {Show(b)}");
            }
        }
        // The AS and the BGP identifier are in every OPEN and in every route we originated (RD, RT, AS_PATH).
        Check("router.asn", old.Router.Asn, @new.Router.Asn);
        Check("router.router-id", old.Router.RouterId, @new.Router.RouterId);
        // The VTEP address is the next hop and PMSI originator of every local route and the kernel's VXLAN source.
        Check("router.local-vtep", old.Router.LocalVtep, @new.Router.LocalVtep);
        Check("router.listen-address", old.Router.ListenAddress, @new.Router.ListenAddress);
        Check("router.listen-port", old.Router.ListenPort, @new.Router.ListenPort);
        // Routes already accepted were checked against the old setting; a restart checks them all again.
        Check("router.allow-loopback-vteps", old.Router.AllowLoopbackVteps, @new.Router.AllowLoopbackVteps);
        // Each update group takes it when it is made; a restart gives every group the new one.
        Check("router.update-group-backlog", old.Router.UpdateGroupBacklog, @new.Router.UpdateGroupBacklog);
        Check("data-plane.kind", old.DataPlane.Kind, @new.DataPlane.Kind);
        Check("data-plane.namespace", old.DataPlane.Namespace, @new.DataPlane.Namespace);
        Check("data-plane.fdb-nexthops", old.DataPlane.FdbNexthops, @new.DataPlane.FdbNexthops);
        Check("management.socket", old.Management.SocketPath, @new.Management.SocketPath);
        Check("management.socket-group", old.Management.SocketGroup, @new.Management.SocketGroup);
        Check("metrics", old.Metrics, @new.Metrics);
        Check("logging.format", old.Logging.Format, @new.Logging.Format);
        // The file is a sink of the logger built at start.
        Check("logging.file", old.Logging.File, @new.Logging.File);
        return reasons.ToImmutable();
    }

    private static EquatableArray<string> InPlace(EvpnConfig old, EvpnConfig @new)
    {
        var keys = ImmutableArray.CreateBuilder<string>();
        if (old.Logging.Level != @new.Logging.Level)
        {
            keys.Add("logging.level");
        }
        if (old.MrtDump != @new.MrtDump)
        {
            keys.Add("mrt-dump");
        }
        if (old.DataPlane.ArpSuppression != @new.DataPlane.ArpSuppression)
        {
            keys.Add("data-plane.arp-suppression");
        }
        return keys.ToImmutable();
    }

    private static string Show<T>(T value) => value?.ToString() switch
    {
        null or "" => "(default)",
        var s => s,
    };
}
