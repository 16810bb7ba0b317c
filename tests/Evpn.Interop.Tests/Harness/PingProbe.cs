using System.Globalization;
using System.Text.RegularExpressions;

namespace Evpn.Interop.Tests.Harness;

/// <summary>What a steady ping saw, split by direction: <see cref="RequestsArrived"/> counts the echo requests the
/// target's kernel received (its ICMP InEchos counter), so a loss on the way there (through the sender's VTEP)
/// is told apart from a loss on the way back (through the target's VTEP).</summary>
public sealed record PingOutcome(int Sent, int RequestsArrived, int RepliesReceived)
{
    public int LostOnTheWayThere => Sent - RequestsArrived;

    public int LostOnTheWayBack => RequestsArrived - RepliesReceived;

    public int LostRoundTrip => Sent - RepliesReceived;

    public override string ToString() =>
        $"{LostRoundTrip}/{Sent} pings lost round trip; {LostOnTheWayThere}/{Sent} requests lost on the way there, "
        + $"{LostOnTheWayBack}/{RequestsArrived} replies lost on the way back";
}

/// <summary>A ping every 100 ms from one host to another, running while a test breaks and mends something.
/// The hosts' ARP entries for each other are pinned first: ARP timing is the hosts' business, the probe measures
/// the VXLAN data plane between the VTEPs.</summary>
public sealed partial class PingProbe
{
    private readonly Lab _lab;
    private readonly Topology _topo;
    private readonly HostInfo _from;
    private readonly HostInfo _to;
    private readonly Task<CommandResult> _ping;
    private readonly long _echosBefore;

    private PingProbe(Lab lab, Topology topo, HostInfo from, HostInfo to, long echosBefore, Task<CommandResult> ping)
    {
        _lab = lab;
        _topo = topo;
        _from = from;
        _to = to;
        _echosBefore = echosBefore;
        _ping = ping;
    }

    /// <summary>Starts <paramref name="count"/> pings at 100 ms intervals (each given 1 s for its reply).</summary>
    public static async Task<PingProbe> StartAsync(Lab lab, Topology topo, HostInfo from, HostInfo to, int count)
    {
        await lab.ExecAsync(topo.Run, from.Node, "ip", "neigh", "replace", to.Ip, "lladdr", to.Mac, "dev", "eth0", "nud", "permanent");
        await lab.ExecAsync(topo.Run, to.Node, "ip", "neigh", "replace", from.Ip, "lladdr", from.Mac, "dev", "eth0", "nud", "permanent");
        var before = await KernelCounters.InEchosAsync(lab, topo.Run, to.Node);
        var timeout = TimeSpan.FromSeconds(count / 10.0 + 15);
        var ping = lab.TryRunAsync(
            LabPaths.LabCli,
            ["exec", topo.Run, from.Node, "ping", "-i", "0.1", "-W", "1", "-c", count.ToString(CultureInfo.InvariantCulture), to.Ip],
            timeout);
        return new PingProbe(lab, topo, from, to, before, ping);
    }

    /// <summary>Waits until echo requests arrive at the target: the evidence that the probe runs before a test breaks something.</summary>
    public Task ArrivingAsync() => Eventually.UntilAsync(
        async () => await KernelCounters.InEchosAsync(_lab, _topo.Run, _to.Node) - _echosBefore >= 3,
        $"echo requests from {_from.Node} arriving at {_to.Node}");

    /// <summary>Waits for the last ping and reads the target's counter.</summary>
    public async Task<PingOutcome> FinishAsync()
    {
        var result = await _ping;
        var summary = SummaryPattern().Match(result.StandardOutput);
        Assert.True(summary.Success, $"no ping summary from {_from.Node}:\n{result.Transcript}");
        var arrived = await KernelCounters.InEchosAsync(_lab, _topo.Run, _to.Node) - _echosBefore;
        return new PingOutcome(
            int.Parse(summary.Groups["sent"].Value, CultureInfo.InvariantCulture),
            (int)arrived,
            int.Parse(summary.Groups["received"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(?<sent>\d+) packets transmitted, (?<received>\d+) received")]
    private static partial Regex SummaryPattern();
}
