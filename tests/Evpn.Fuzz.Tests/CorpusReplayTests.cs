using Evpn.Fuzz.Targets;

namespace Evpn.Fuzz.Tests;

/// <summary>The committed corpus (seeds and what AFL++ found that reached new code) and every regression input
/// pass the harness's checks: run by `tests/run-all.sh` so a fix that comes undone fails the suite.</summary>
public class CorpusReplayTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_committed_input_passes_the_targets_checks(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var inputs = Replay.Inputs([Path.Combine(Corpus, name)]).ToList();
        Assert.NotEmpty(inputs);
        var log = new StringWriter();
        Assert.True(Replay.Run(target, inputs, log) == 0, log.ToString());
    }
}
