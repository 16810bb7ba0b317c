using System.Diagnostics;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 1 (interop/topo/leaf-pair) when things break: VTEP A and VTEP B over eBGP, VNIs 100 and 200, one
/// host per VTEP per VNI. Hold time 9 s, keepalive 3 s on both sides (evpnd: interop/lib/evpnd.sh; FRR:
/// `frr defaults datacenter`). This class holds what failure tests share; the scenarios are in
/// <see cref="LeafPairLinkFailureScenarios"/> and <see cref="EvpndFrrSpeakerFailureTests"/>.</summary>
public abstract class LeafPairFailureTest(ITestOutputHelper output) : TopologyTest(output)
{
    protected const string A = "vtepa";
    protected const string B = "vtepb";
    protected static readonly uint[] Vnis = [100, 200];

    /// <summary>The lab's hold time. A session whose peer went silent ends within it (RFC 4271 section 6.5).</summary>
    protected static readonly TimeSpan HoldTime = TimeSpan.FromSeconds(9);

    protected abstract Speaker SpeakerA { get; }
    protected abstract Speaker SpeakerB { get; }

    protected override string TopologyName => "leaf-pair";

    /// <summary>Both speakers as graceful restart speakers (RFC 4724) rather than FRR's default helper-only mode.</summary>
    protected virtual bool GracefulRestart => false;

    protected override IReadOnlyList<string> UpArguments =>
        ["--a", SpeakerA.ScriptName(), "--b", SpeakerB.ScriptName(), .. GracefulRestart ? new[] { "--graceful-restart" } : []];

    protected ISpeakerView View(string node) => (node == A ? SpeakerA : SpeakerB).View(Lab, Topo, node);

    protected static string Other(string node) => node == A ? B : A;

    protected HostInfo Host(string vtep, uint vni) => Topo.Hosts.Single(h => h.Vtep == vtep && h.Vni == vni);

    protected IReadOnlyList<HostInfo> HostsOf(string vtep) => Topo.Hosts.Where(h => h.Vtep == vtep).ToArray();

    /// <summary>Both VTEPs have each other's flood and FDB entries: the starting point of every failure.</summary>
    protected async Task BothSidesConvergedAsync()
    {
        foreach (var node in new[] { A, B })
        {
            await Checks.FloodAndFdbTowardAsync(Topo.Kernel(node), node, Topo.Ip(Other(node)), Vnis, HostsOf(Other(node)));
        }
    }

    /// <summary>The flood entry per VNI and the FDB entry per host of <paramref name="hosts"/>, toward <paramref name="vtep"/>.</summary>
    protected static IEnumerable<(string Mac, string Device, string Dst)> EntriesToward(string vtep, IEnumerable<HostInfo> hosts) =>
        Vnis.Select(v => (KernelFdbEntry.FloodMac, $"vxlan{v}", vtep))
            .Concat(hosts.Select(h => (h.Mac, $"vxlan{h.Vni}", vtep)));
}

/// <summary>A VTEP cut off from the other: the same scenario for every pairing of speakers that program the kernel.</summary>
public abstract class LeafPairLinkFailureScenarios(ITestOutputHelper output) : LeafPairFailureTest(output)
{
    /// <summary>A locally administered MAC no node of the lab has.</summary>
    private const string NobodysMac = "02:00:00:00:00:fe";

    /// <summary>A cut veth: the VTEP's underlay link goes down inside its namespace, and the other end loses carrier.</summary>
    public const string CarrierLoss = "carrier-loss";

    /// <summary>A silent cut: carrier, addresses and routes stay up, but each VTEP's ARP entry for the other now
    /// names a MAC nobody has, so the other veth's stack drops every frame (BGP and VXLAN alike) as not its own:
    /// a failure in the path between them that only the hold timer finds.</summary>
    public const string Silence = "silence";

    /// <summary>The lab's keepalive interval: the last keepalive before a cut is at most this old.</summary>
    protected static readonly TimeSpan Keepalive = TimeSpan.FromSeconds(3);

    /// <summary>The other VTEP is cut off. Within the hold time the observer's speaker ends the session, drops every
    /// route learned from it and removes every flood and FDB entry toward it from its kernel. On carrier loss FRR
    /// drops an eBGP session on the directly connected interface at once (fast-external-failover); evpnd does not
    /// watch the underlay carrier and waits for its hold timer, as both do for a silent cut. No graceful restart is
    /// configured here: FRR in its default helper-only mode lists no family in its capability, so evpnd keeps nothing
    /// (RFC 4724 section 4.2); with `--graceful-restart` evpnd would rightly keep FRR's routes stale for the restart
    /// time after the hold timer expired (RFC 8538 section 4, N bit).</summary>
    [RequiresTheory(Requirement.Root, Requirement.Frr)]
    [InlineData(A, CarrierLoss)]
    [InlineData(B, CarrierLoss)]
    [InlineData(A, Silence)]
    [InlineData(B, Silence)]
    public async Task When_the_link_to_the_other_vtep_is_cut_every_entry_toward_it_goes_within_the_hold_time(string observer, string cut)
    {
        var actor = Other(observer);
        var vtep = Topo.Ip(actor);
        var kernel = Topo.Kernel(observer);
        await Checks.FloodAndFdbTowardAsync(kernel, observer, vtep, Vnis, HostsOf(actor));
        Assert.True(await View(observer).IsEstablishedAsync(vtep), $"{observer}: no session with {actor} before the cut");

        var clock = Stopwatch.StartNew();
        if (cut == CarrierLoss)
        {
            await Lab.ExecAsync(Topo.Run, actor, "ip", "link", "set", "eth0", "down");
        }
        else
        {
            foreach (var node in new[] { actor, observer })
            {
                await Lab.ExecAsync(Topo.Run, node, "ip", "neigh", "replace", Topo.Ip(Other(node)), "lladdr", NobodysMac, "dev", "eth0", "nud", "permanent");
            }
        }

        var bound = HoldTime + TimeSpan.FromSeconds(10);
        IReadOnlyList<KernelFdbEntry> left = [];
        var gone = await Eventually.TrueWithinAsync(bound, async () =>
        {
            left = (await kernel.FdbAsync()).Where(e => e.Dst == vtep).ToArray();
            return left.Count == 0;
        });
        var elapsed = clock.Elapsed;
        Lab.Log($"{cut} between {observer} and {actor}: {observer} removed every entry toward {vtep} after {elapsed.TotalSeconds:F1} s (bound {bound.TotalSeconds:F0} s)");
        Assert.True(gone, $"{observer} still has entries toward {vtep} {bound.TotalSeconds:F0} s after the cut:\n{string.Join('\n', left)}");
        if (cut == Silence)
        {
            // Nothing but the hold timer can notice silence, and it was last restarted at most a keepalive before the cut.
            Assert.True(elapsed >= HoldTime - Keepalive, $"{observer} removed the entries {elapsed.TotalSeconds:F1} s after a silent cut, before its hold timer could expire");
        }

        Assert.False(await View(observer).IsEstablishedAsync(vtep), $"{observer}: the session with {actor} is still Established");
        var routes = await View(observer).RoutesAsync();
        var kept = routes.Where(r => r.ReceivedFrom == vtep || (!r.Local && r.NextHop == vtep)).ToArray();
        Assert.True(kept.Length == 0, $"{observer} kept routes from {actor} after the cut:\n{string.Join('\n', kept)}");
    }
}

/// <summary>Topology 1 with evpnd on VTEP A and FRR on VTEP B: a cut link seen from each side.</summary>
public sealed class EvpndFrrLinkFailureTests(ITestOutputHelper output) : LeafPairLinkFailureScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Frr;
}
