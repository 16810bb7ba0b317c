using Evpn.Api;
using Evpn.Config.Diff;
using Evpn.Config.Options;
using Evpn.Daemon.Hosting;
using Evpn.DataPlane.InMemory;
using Evpn.Session.Speaker;
using Evpn.Wire.Model;
using Microsoft.Extensions.Logging;
using Serilog.Core;

namespace Evpn.Daemon.Speaker;

/// <summary>SIGHUP and `evpnctl reload`: reads and validates the file first (a bad file changes nothing and
/// says why), then applies the difference on the speaker loop. Sessions the difference does not name stay up.</summary>
public sealed class ConfigReloader(DaemonState state, LoggingLevelSwitch minimumLevel, ILogger<ConfigReloader> log)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<ActionResult> ReloadAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var plan = ReloadPlanner.Prepare(state.Config, state.ConfigPath);
            if (plan.Verdict == ReloadVerdict.Rejected)
            {
                log.LogWarning("reload of {Path} rejected, nothing changed: {Reasons}", state.ConfigPath, string.Join("; ", plan.Reasons));
                return new ActionResult(false, $"reload of {state.ConfigPath} rejected; nothing changed", plan.Reasons.ToList());
            }
            if (plan.Verdict == ReloadVerdict.Unchanged || plan.Diff is not { } diff)
            {
                log.LogInformation("reload of {Path}: configuration unchanged", state.ConfigPath);
                return new ActionResult(true, "configuration unchanged", []);
            }
            if (RangeChanges(diff) is { Count: > 0 } ranges)
            {
                return new ActionResult(false, "reload rejected; nothing changed", ranges);
            }
            var parts = state.Parts;
            var described = diff.Describe().ToList();
            var old = state.Config;
            // Checked and applied in one turn of the loop: the live state cannot change in between.
            var conflicts = await parts.Bgp.InvokeAsync(bgp =>
            {
                var found = LiveConflicts(bgp, diff);
                if (found.Count == 0)
                {
                    Apply(bgp, parts.Evpn, plan.Config, diff);
                }
                return found;
            }).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (conflicts.Count > 0)
            {
                log.LogWarning("reload of {Path} rejected, nothing changed: {Reasons}", state.ConfigPath, string.Join("; ", conflicts));
                return new ActionResult(false, $"reload of {state.ConfigPath} rejected; nothing changed", conflicts);
            }
            minimumLevel.MinimumLevel = Logging.Level(plan.Config.Logging.Level);
            if (parts.DataPlane is InMemoryDataPlane memory)
            {
                UpdateMemoryVnis(memory, old, plan.Config);
            }
            log.LogInformation("reloaded {Path}: {Changes}", state.ConfigPath, string.Join("; ", described));
            return new ActionResult(true, $"reloaded {state.ConfigPath}", described);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Listen ranges are part of the listener's set-up (TCP-MD5 keys by prefix, templates), interface
    /// neighbors of the link-local discovery's: they change only with a restart, and a reload that changes one is
    /// refused whole.</summary>
    private static List<string> RangeChanges(ConfigDiff diff) =>
        diff.NeighborsAdded.Concat(diff.NeighborsRemoved).Concat(diff.NeighborsChanged.Select(c => c.New))
            .Where(n => n.IsListenRange || n.IsInterface)
            .Select(n => n.IsListenRange
                ? $"listen range {n.Key}: changing a listen range needs a restart of evpnd"
                : $"interface neighbor {n.Key}: adding, removing or changing an interface neighbor needs a restart of evpnd (its interface is watched from the start)")
            .ToList();

    /// <summary>What in the running speaker would stop <see cref="Apply"/> part-way; checked on the speaker loop
    /// before anything is applied, so that a reload is applied whole or not at all. A neighbor added at the
    /// address of a connected dynamic peer would need that peer's place: the operator ends that session first.</summary>
    private static List<string> LiveConflicts(BgpSpeaker bgp, ConfigDiff diff)
    {
        var conflicts = new List<string>();
        foreach (var added in diff.NeighborsAdded)
        {
            if (Find(bgp, added) is { IsDynamic: true } dynamic)
            {
                conflicts.Add($"neighbor {added.Key}: the address is in use by a dynamic peer from a listen range ({dynamic.State}); "
                    + $"end that session first (evpnctl neighbor {added.Key} shutdown), then reload");
            }
        }
        return conflicts;
    }

    /// <summary>Runs on the speaker loop, after <see cref="LiveConflicts"/> found nothing.</summary>
    private static void Apply(BgpSpeaker bgp, EvpnSpeaker evpn, EvpnConfig config, ConfigDiff diff)
    {
        foreach (var removed in diff.NeighborsRemoved)
        {
            if (Find(bgp, removed) is { } peer)
            {
                bgp.RemovePeer(peer);
            }
        }
        foreach (var change in diff.NeighborsChanged)
        {
            var peer = Find(bgp, change.Old);
            switch (change.Action)
            {
                case NeighborAction.Shutdown when peer is not null:
                    bgp.Shutdown(peer, change.New.ShutdownMessage);
                    break;
                case NeighborAction.ResetSession or NeighborAction.Start:
                    // Peer options are fixed for the life of a peer: the new ones take a new peer.
                    if (peer is not null)
                    {
                        bgp.RemovePeer(peer);
                    }
                    bgp.AddPeer(OptionsMapping.Peer(change.New, change.New.Address!.Value, config));
                    break;
            }
        }
        foreach (var added in diff.NeighborsAdded)
        {
            bgp.AddPeer(OptionsMapping.Peer(added, added.Address!.Value, config));
        }
        evpn.Reconfigure(bgp, config, OptionsMapping.Core(config));
    }

    /// <summary>Without a kernel the configured VNIs are the devices (see SpeakerService): a VNI added to the
    /// file appears, one removed goes away, as a VXLAN device created or deleted would on Linux.</summary>
    private static void UpdateMemoryVnis(InMemoryDataPlane memory, EvpnConfig old, EvpnConfig config)
    {
        foreach (var removed in old.Evpn.Vnis.Where(v => config.Evpn.Vnis.All(n => n.Vni != v.Vni)))
        {
            memory.RemoveVni(removed.Vni);
        }
        foreach (var added in config.Evpn.Vnis.Where(v => old.Evpn.Vnis.All(o => o.Vni != v.Vni)))
        {
            memory.AddVni(SpeakerService.MemoryVni(config, added));
        }
    }

    private static BgpPeer? Find(BgpSpeaker bgp, NeighborOptions neighbor) =>
        neighbor.Address is { } address ? bgp.FindPeer(address) : null;
}
