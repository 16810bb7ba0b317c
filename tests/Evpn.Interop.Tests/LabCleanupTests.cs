using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>The lab cleans up after itself: `down` leaves no namespace and no process of the run, and the sweep
/// removes runs whose owner died while keeping runs whose owner is alive.</summary>
[Collection(LabCollection.Name)]
public sealed class LabCleanupTests(ITestOutputHelper output)
{
    private readonly Lab _lab = new(output);

    [RequiresFact(Requirement.Root)]
    public async Task Down_stops_every_process_and_deletes_every_namespace_of_the_run()
    {
        var topology = await Topology.UpAsync(_lab, "leaf-pair", "--a", "frr", "--b", "frr");
        string[] namespaces;
        int[] pids;
        try
        {
            namespaces = await NamespacesOfAsync(topology.Run);
            Assert.Equal(6, namespaces.Length);
            pids = await ProcessesInAsync(namespaces);
            Assert.True(pids.Length >= 4, $"expected zebra and bgpd on each VTEP, found processes {string.Join(',', pids)}");
        }
        finally
        {
            await topology.DisposeAsync();
        }
        Assert.Empty(await NamespacesOfAsync(topology.Run));
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"process {pid} of run {topology.Run} survived down"));
    }

    [RequiresFact(Requirement.Root)]
    public async Task Sweep_removes_runs_whose_owner_is_gone_and_keeps_runs_whose_owner_lives()
    {
        var orphan = RunNames.Next();
        var owned = RunNames.Next();
        var deadPid = await ExitedProcessIdAsync();
        try
        {
            await MakeRunAsync(orphan, deadPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await MakeRunAsync(owned, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

            await _lab.RunAsync(LabPaths.LabCli, ["sweep"], Lab.TopologyTimeout);

            Assert.Empty(await NamespacesOfAsync(orphan));
            Assert.Single(await NamespacesOfAsync(owned));
        }
        finally
        {
            await _lab.TryRunAsync(LabPaths.LabCli, ["down", orphan], Lab.TopologyTimeout);
            await _lab.TryRunAsync(LabPaths.LabCli, ["down", owned], Lab.TopologyTimeout);
        }
    }

    /// <summary>A run with one namespace and the given owner, made with the lab's own functions.</summary>
    private Task MakeRunAsync(string run, string owner) =>
        _lab.RunAsync("bash", ["-c", $". '{Path.Combine(LabPaths.Interop, "lib", "lab.sh")}' && LAB_OWNER={owner} lab_claim_run {run} && ns_create {run} node"], Lab.QueryTimeout);

    private async Task<string[]> NamespacesOfAsync(string run)
    {
        var list = await _lab.RunAsync("ip", ["netns", "list"], Lab.QueryTimeout);
        return list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .Where(ns => ns.StartsWith($"evlab-{run}-", StringComparison.Ordinal))
            .ToArray();
    }

    private async Task<int[]> ProcessesInAsync(IEnumerable<string> namespaces)
    {
        var pids = new List<int>();
        foreach (var ns in namespaces)
        {
            var result = await _lab.RunAsync("ip", ["netns", "pids", ns], Lab.QueryTimeout);
            pids.AddRange(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
        }
        return [.. pids];
    }

    /// <summary>The id of a process that has exited: the owner of an abandoned run.</summary>
    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = System.Diagnostics.Process.Start("true");
        await process.WaitForExitAsync();
        return process.Id;
    }

    /// <summary>Alive and not a zombie waiting for its parent (the sandbox's init reaps daemons late).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadLines($"/proc/{pid}/status")
                .Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains("zombie", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false; // no /proc entry: the process is gone
        }
    }
}
