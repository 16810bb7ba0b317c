namespace Evpn.LoadGen.Tests;

/// <summary>The reflector benchmark in quick mode, as a smoke test: evpnd, FRR 8.4 and GoBGP each reflect the
/// same small load among 20 real client sessions in their own namespace, once with every client reading and
/// once with 2 that stop reading, and every reading client must converge in the load and the churn phase with
/// the right ORIGINATOR_ID and CLUSTER_LIST. No time is asserted. Needs root, FRR and GoBGP; the script removes
/// its namespaces on exit. Other tests' namespaces may exist while this one runs, so it measures with
/// --allow-dirty.</summary>
public class ReflectorSmokeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(300);

    [RequiresFact(Requirement.Root, Requirement.Frr, Requirement.GoBgp)]
    public async Task Every_client_converges_through_every_reflector_in_quick_mode()
    {
        var (exitCode, output) = await BenchHarness.RunAsync("interop/bench/reflector.sh", Limit,
            "--quick", "--no-build", "--allow-dirty", "--csv", Path.Combine(Path.GetTempPath(), $"rfbench-{Environment.ProcessId}.csv"));

        Assert.True(exitCode == 0, $"reflector.sh --quick failed or ran over {Limit}:\n{output}");
        Assert.Contains("every client converged with every reflector in every run", output);
        foreach (var reflector in new[] { "evpnd", "frr", "gobgp" })
        {
            foreach (var slow in new[] { 0, 2 })
            {
                Assert.Matches($@"\| 20 x 1000 \| {reflector} \| {slow} \| 1/1 \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \|", output);
            }
            Assert.Matches($@"\| 20 x 1000 \| {reflector} \| 2 \| [+-]\d+ ms \| [+-]\d+ ms \| [+-]\d+ ms \|", output);
        }
        Assert.Matches(@"\| 20 x 1000 \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \|", output);
    }
}
