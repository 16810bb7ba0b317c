using Evpn.Api;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>The unnumbered leaf pair (leaf-pair --unnumbered) with its session protected: evpnd's interface neighbor
/// and FRR 8.4's `neighbor eth0 interface` configured alike, the protection checked by changing FRR's side alone and
/// watching the kernel's counters of the segments it drops.</summary>
public abstract class UnnumberedSessionProtection(ITestOutputHelper output) : TopologyTest(output)
{
    protected const string A = "vtepa";
    protected const string B = "vtepb";
    protected const string Interface = "eth0";

    protected override string TopologyName => "leaf-pair";

    /// <summary>FRR's commands under `router bgp` (one vtysh call in configuration mode).</summary>
    protected async Task ConfigureFrrAsync(params string[] commands) =>
        await Lab.RunAsync(LabPaths.LabCli, ["vtysh", Topo.Run, B, "configure terminal", $"router bgp {Topo[B + ".asn"]}", .. commands], Lab.QueryTimeout);

    protected Task<bool> EvpndEstablishedAsync() => Speaker.Evpnd.View(Lab, Topo, A).IsEstablishedAsync(Interface);

    protected Task<bool> FrrEstablishedAsync() => Speaker.Frr.View(Lab, Topo, B).IsEstablishedAsync(Interface);

    /// <summary>After FRR's side changed: evpnd's session leaves Established, then the kernel of <paramref name="node"/>
    /// drops segments of at least two further connection attempts (counted in <paramref name="counter"/>), and evpnd's
    /// session is still down.</summary>
    protected async Task SessionStaysDownWhileTheKernelDropsAsync(string node, string counter)
    {
        Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence, async () => !await EvpndEstablishedAsync()),
            "the session stayed up after FRR's side changed");
        var before = await KernelCounters.TcpExtAsync(Lab, Topo.Run, node, counter);
        var dropped = before;
        var counted = await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
            (dropped = await KernelCounters.TcpExtAsync(Lab, Topo.Run, node, counter)) >= before + 2);
        Lab.Log($"{node}: TcpExt {counter} {before} -> {dropped}");
        Assert.True(counted, $"{node}'s kernel dropped no segments of the session ({counter} stayed at {dropped})");
        Assert.False(await EvpndEstablishedAsync(), "evpnd's session came up anyway");
    }

    /// <summary>Both sides start the session afresh (FRR `clear bgp eth0`, `evpnctl neighbor eth0 clear`), and it comes
    /// up. Both clear: a connection of the failed attempts can be left in OpenSent, whose hold time is 4 minutes
    /// (RFC 4271 section 8.2.2), because the other side's FIN and RST were dropped as the failed segments were.</summary>
    protected async Task SessionComesBackAsync(string why)
    {
        await Lab.VtyshAsync(Topo.Run, B, $"clear bgp {Interface}");
        using (var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout))
        {
            var cleared = await client.PostAsync(ApiPaths.NeighborAction(Interface, "clear"));
            Assert.True(cleared.Ok, cleared.Message);
        }
        Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence, async () => await EvpndEstablishedAsync() && await FrrEstablishedAsync()),
            $"the session did not come back {why}");
    }
}

/// <summary>TCP-MD5 (RFC 2385) on the interface neighbor: evpnd keys the discovered link-local address of the peer
/// (on its connecting socket and its listener), FRR `neighbor eth0 password`.</summary>
public sealed class EvpndFrrUnnumberedMd5Tests(ITestOutputHelper output) : UnnumberedSessionProtection(output)
{
    private const string Key = "unnumbered-key";

    protected override IReadOnlyList<string> UpArguments => ["--a", "evpnd", "--b", "frr", "--unnumbered", "--password", Key];

    /// <summary>Up with the same key on both sides (the topology waited for Established); with another key on FRR's side
    /// each side's kernel drops the other's signed segments (TCPMD5Failure) and the session stays down; the right key
    /// brings it back.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task The_session_comes_up_with_the_right_key_and_stays_down_with_a_wrong_one()
    {
        Assert.True(await EvpndEstablishedAsync(), "the session is not up with the same key on both sides");

        await ConfigureFrrAsync($"neighbor {Interface} password wrong-{Key}");
        await SessionStaysDownWhileTheKernelDropsAsync(B, "TCPMD5Failure");
        Assert.False(await FrrEstablishedAsync(), "FRR's session came up with another key");
        Lab.Log($"{A}: TcpExt TCPMD5Failure {await KernelCounters.TcpExtAsync(Lab, Topo.Run, A, "TCPMD5Failure")}");

        await ConfigureFrrAsync($"neighbor {Interface} password {Key}");
        await SessionComesBackAsync("with the right key");
    }
}

/// <summary>GTSM (RFC 5082) on the interface neighbor: evpnd `ttl-security: 1` (IPV6_MINHOPCOUNT 255 and hop limit 255
/// on its sockets), FRR `neighbor eth0 ttl-security hops 1`.</summary>
public sealed class EvpndFrrUnnumberedGtsmTests(ITestOutputHelper output) : UnnumberedSessionProtection(output)
{
    protected override IReadOnlyList<string> UpArguments => ["--a", "evpnd", "--b", "frr", "--unnumbered", "--ttl-security", "1"];

    /// <summary>Up with GTSM on both sides, every segment of the session on the wire with hop limit 255; FRR without GTSM (from its next connection)
    /// sends with the eBGP hop limit of 1, and evpnd's kernel drops those segments (TCPMinTTLDrop) so the session stays
    /// down; GTSM on FRR again brings it back.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task The_session_comes_up_with_gtsm_on_both_sides_and_evpnd_drops_a_peer_sending_below_hop_limit_255()
    {
        Assert.True(await EvpndEstablishedAsync(), "the session is not up with GTSM on both sides");
        // Keepalives go every 3 s each way: a few of them, with their sources and hop limits. Resets are left out: the
        // kernel answers for a connection closed by collision resolution with its default hop limit, outside the session.
        var capture = await Lab.RunAsync(LabPaths.LabCli,
            ["exec", Topo.Run, A, "tshark", "-i", Interface, "-f", "tcp port 179 and ip6[53] & 4 == 0", "-c", "4", "-a", "duration:30", "-T", "fields", "-e", "ipv6.src", "-e", "ipv6.hlim"],
            Lab.QueryTimeout * 3);
        var segments = capture.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToArray();
        Assert.True(segments.Select(s => s[0]).Distinct().Count() == 2, $"not both sides of the session in the capture:\n{capture.StandardOutput}");
        Assert.All(segments, s => Assert.Equal("255", s[1]));

        // FRR applies the change to its next connection.
        await ConfigureFrrAsync($"no neighbor {Interface} ttl-security hops 1");
        await Lab.VtyshAsync(Topo.Run, B, $"clear bgp {Interface}");
        // FRR itself may reach Established for a moment: its OPEN can leave before its socket's hop limit drops to 1, and
        // evpnd answers it; evpnd then never hears FRR's KEEPALIVE and its hold timer ends that connection.
        await SessionStaysDownWhileTheKernelDropsAsync(A, "TCPMinTTLDrop");

        await ConfigureFrrAsync($"neighbor {Interface} ttl-security hops 1");
        await SessionComesBackAsync("with GTSM on both sides again");
    }
}
