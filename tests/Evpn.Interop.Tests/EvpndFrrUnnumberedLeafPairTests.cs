using System.Diagnostics;
using System.Net;
using Evpn.Api;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>Topology 1 wired as FRR fabrics are (leaf-pair --unnumbered): eth0 carries only IPv6 link-local
/// addresses, the VTEPs are IPv4 loopbacks, and both sides peer as interface neighbors on eth0 (evpnd
/// `interface: eth0`, FRR `neighbor eth0 interface remote-as external`). Every leaf-pair scenario runs on it
/// (routes carry the VTEP as next hop, entries go toward the VTEP, hosts on both VNIs ping), plus what is
/// particular to an interface neighbor: the discovered address, link down and up, and commands by name.</summary>
public sealed class EvpndFrrUnnumberedLeafPairTests(ITestOutputHelper output) : LeafPairScenarios(output)
{
    private const string Interface = "eth0";

    /// <summary>The lab's hold time (interop/lib/evpnd.sh EVPND_LAB_TIMERS); link down must act well before it.</summary>
    private static readonly TimeSpan HoldTime = TimeSpan.FromSeconds(9);

    protected override Speaker SpeakerA => Speaker.Evpnd;
    protected override Speaker SpeakerB => Speaker.Frr;

    protected override IReadOnlyList<string> UpArguments => [.. base.UpArguments, "--unnumbered"];

    protected override string SessionPeer(string node) => Interface;

    private ManagementClient Evpnd() => new(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);

    private async Task<NeighborDetail> NeighborAsync()
    {
        using var client = Evpnd();
        var detail = await client.GetAsync<NeighborDetail>(ApiPaths.Neighbor(Interface));
        Lab.Log($"GET {ApiPaths.Neighbor(Interface)}: {detail.State}, {detail.InterfacePeer}, last error {detail.LastError}");
        return detail;
    }

    /// <summary>evpnd names the neighbor by its interface and shows the link-local address it found, which is FRR's
    /// own address on the other end of eth0.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Show_neighbors_gives_the_interface_and_the_discovered_link_local_address()
    {
        var frrAddress = (await Lab.ExecAsync(Topo.Run, B, "ip", "-6", "-o", "addr", "show", "dev", Interface, "scope", "link")).StandardOutput
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "inet6").ElementAt(1).Split('/')[0];

        var detail = await NeighborAsync();

        Assert.Equal((Interface, Interface, "Established", 65002u), (detail.Neighbor, detail.Interface, detail.State, detail.RemoteAs));
        Assert.NotNull(detail.InterfacePeer);
        var shown = detail.InterfacePeer.Split(' ')[0];
        Assert.True(IPAddress.TryParse(shown, out var address) && address.IsIPv6LinkLocal, $"not a link-local address: {detail.InterfacePeer}");
        Assert.Equal(IPAddress.Parse(frrAddress), new IPAddress(address.GetAddressBytes()));
    }

    /// <summary>Link down ends the session at once (not after the hold time) and the other VTEP's entries go; link up
    /// finds the peer again and the hosts reach each other once more.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Link_down_ends_the_session_at_once_and_link_up_brings_it_back()
    {
        await Checks.FloodAndFdbTowardAsync(Topo.Kernel(A), A, Topo.Ip(B), [100, 200], Topo.Hosts.Where(h => h.Vtep == B));

        var down = Stopwatch.StartNew();
        await Lab.ExecAsync(Topo.Run, B, "ip", "link", "set", Interface, "down");
        await Checks.NoEntriesTowardAsync(Topo.Kernel(A), A, Topo.Ip(B), [100, 200]);
        var gone = down.Elapsed;
        Lab.Log($"entries toward {Topo.Ip(B)} gone {gone.TotalSeconds:F2} s after link down");
        Assert.True(gone < HoldTime / 3, $"the entries went only after {gone.TotalSeconds:F1} s: the session waited for its hold timer");
        var detail = await NeighborAsync();
        Assert.Equal("Idle", detail.State);
        Assert.Contains("down", detail.LastError, StringComparison.Ordinal);

        await Lab.ExecAsync(Topo.Run, B, "ip", "link", "set", Interface, "up");
        // Link down flushed vtepb's static route to evpnd's loopback VTEP; in a fabric the underlay's routing puts it back.
        await Lab.ExecAsync(Topo.Run, B, "ip", "route", "replace", Topo.Ip(A) + "/32", "dev", Interface, "src", Topo.Ip(B));
        Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence, () => Speaker.Evpnd.View(Lab, Topo, A).IsEstablishedAsync(Interface)),
            "the session did not come back after link up");
        await Checks.HostsReachEachOtherAsync(Topo, Host(A, 100), Host(B, 100));
    }

    /// <summary>`evpnctl neighbor eth0 clear` and `shutdown`/`enable` act on the interface neighbor by name.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task Neighbor_commands_work_by_interface_name()
    {
        using var client = Evpnd();
        var cleared = await client.PostAsync(ApiPaths.NeighborAction(Interface, "clear"));
        Assert.True(cleared.Ok, cleared.Message);
        Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence, () => Speaker.Evpnd.View(Lab, Topo, A).IsEstablishedAsync(Interface)),
            "the session did not come back after clear");

        var shut = await client.PostAsync(ApiPaths.NeighborAction(Interface, "shutdown"));
        Assert.True(shut.Ok, shut.Message);
        Assert.Equal("Idle (Admin)", (await NeighborAsync()).State);
        await Checks.NoEntriesTowardAsync(Topo.Kernel(A), A, Topo.Ip(B), [100, 200]);

        var enabled = await client.PostAsync(ApiPaths.NeighborAction(Interface, "enable"));
        Assert.True(enabled.Ok, enabled.Message);
        Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence, () => Speaker.Evpnd.View(Lab, Topo, A).IsEstablishedAsync(Interface)),
            "the session did not come back after enable");
    }
}
