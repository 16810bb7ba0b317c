using System.Collections.Immutable;
using Evpn.Config.Loading;
using Evpn.Config.Options;

namespace Evpn.Config.Diff;

public enum ReloadVerdict
{
    /// <summary>The new file is valid and differs: apply <see cref="ReloadPlan.Diff"/> and switch to <see cref="ReloadPlan.Config"/>.</summary>
    Apply,

    /// <summary>The new file is valid and means the same thing: nothing to do.</summary>
    Unchanged,

    /// <summary>The new file is invalid, or changes keys that need a restart: nothing changes, <see cref="ReloadPlan.Reasons"/> says why.</summary>
    Rejected,
}

/// <summary>The outcome of preparing a reload (SIGHUP or `evpnctl reload`).</summary>
/// <param name="Config">The configuration to run with afterwards: the new one when applied, the current one otherwise.</param>
/// <param name="Diff">What to apply; null when the new file did not validate.</param>
/// <param name="Reasons">Why a reload was rejected: every validation error, or every restart-only change.</param>
public sealed record ReloadPlan(ReloadVerdict Verdict, EvpnConfig Config, ConfigDiff? Diff, EquatableArray<string> Reasons);

/// <summary>Validates a new file against the running configuration before anything is touched.</summary>
public static class ReloadPlanner
{
    public static ReloadPlan Prepare(EvpnConfig current, string path) => Prepare(current, EvpnConfigLoader.Load(path));

    public static ReloadPlan Prepare(EvpnConfig current, ConfigResult loaded)
    {
        if (!loaded.IsValid)
        {
            return new ReloadPlan(ReloadVerdict.Rejected, current, null, loaded.Errors.Select(e => e.ToString()).ToImmutableArray());
        }
        var diff = ConfigDiff.Compute(current, loaded.Config);
        if (diff.RequiresRestart)
        {
            return new ReloadPlan(ReloadVerdict.Rejected, current, diff, diff.RestartRequired.Select(r => $"{r}: restart evpnd to apply it").ToImmutableArray());
        }
        return diff.IsEmpty
            ? new ReloadPlan(ReloadVerdict.Unchanged, current, diff, EquatableArray<string>.Empty)
            : new ReloadPlan(ReloadVerdict.Apply, loaded.Config, diff, EquatableArray<string>.Empty);
    }
}
