using Evpn.Config.Diff;
using Evpn.Config.Loading;
using Evpn.Config.Options;

namespace Evpn.Config.Tests;

public class ReloadPlannerTests
{
    private const string Current = "router:\n  asn: 65001\n  local-vtep: 10.0.0.1\nneighbors:\n  - address: 10.0.1.2\n    remote-as: external\n";

    private static readonly EvpnConfig Running = EvpnConfigLoader.Parse(Current, "evpnd.yaml").Config!;

    [Fact]
    public void Bad_file_changes_nothing_and_says_why()
    {
        var plan = ReloadPlanner.Prepare(Running, EvpnConfigLoader.Parse(Current.Replace("external", "extrnal"), "evpnd.yaml"));

        Assert.Equal(ReloadVerdict.Rejected, plan.Verdict);
        Assert.Same(Running, plan.Config);
        Assert.Null(plan.Diff);
        Assert.Equal(["evpnd.yaml:6:5: neighbors[0].remote-as: expected an AS number 1..4294967295 or 'internal'/'external', found 'extrnal'"], plan.Reasons);
    }

    [Fact]
    public void Restart_only_change_is_refused_as_a_whole()
    {
        var changed = Current.Replace("65001", "65009") + "  - address: 10.0.1.6\n    remote-as: external\n";

        var plan = ReloadPlanner.Prepare(Running, EvpnConfigLoader.Parse(changed, "evpnd.yaml"));

        Assert.Equal(ReloadVerdict.Rejected, plan.Verdict);
        Assert.Same(Running, plan.Config);
        Assert.Equal(["router.asn changed from 65001 to 65009: restart evpnd to apply it"], plan.Reasons);
    }

    [Fact]
    public void Same_meaning_is_unchanged_even_when_the_text_differs()
    {
        var plan = ReloadPlanner.Prepare(Running, EvpnConfigLoader.Parse("# comment\n" + Current + "    timers:\n      hold-time: 90\n      keepalive: 30\n", "evpnd.yaml"));

        Assert.Equal(ReloadVerdict.Unchanged, plan.Verdict);
        Assert.Same(Running, plan.Config);
    }

    [Fact]
    public void Valid_change_is_applied_from_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"evpnd-config-{Environment.ProcessId}-reload.yaml");
        try
        {
            File.WriteAllText(path, Current + "  - address: 10.0.1.6\n    remote-as: external\n");

            var plan = ReloadPlanner.Prepare(Running, path);

            Assert.Equal(ReloadVerdict.Apply, plan.Verdict);
            Assert.Equal(2, plan.Config.Neighbors.Count);
            Assert.Equal(["neighbor 10.0.1.6: added"], plan.Diff!.Describe());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
