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

    /// <summary>Found by AFL++: an NLMSG_ERROR whose payload is shorter than its errno threw from the reader
    /// (the kernel watcher, a dump and the intent executor all read it). It now reads as EIO.</summary>
    [Fact]
    public void A_netlink_error_message_shorter_than_its_errno_does_not_throw()
    {
        // nlmsghdr: length 18, type NLMSG_ERROR, no flags, sequence 1, port 0; then two octets, not four.
        byte[] datagram = [18, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xEA, 0xFF];
        Assert.Null(Replay.Failure(FuzzTargets.Find("netlink")!, datagram));
    }
}
