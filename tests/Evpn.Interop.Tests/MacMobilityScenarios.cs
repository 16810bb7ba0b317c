using System.Globalization;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace Evpn.Interop.Tests;

/// <summary>MAC mobility (RFC 7432 section 15) on topology 1 (interop/topo/leaf-pair): the host behind VTEP B in
/// VNI 100 (hb100) moves to VTEP A and back. A move is what a VM migration looks like to the VTEPs: the host appears
/// on a new port of the other VTEP's bridge, with the same MAC and IP, and sends traffic, while the old port is still
/// up and its VTEP still has the MAC in its FDB; the old port goes away once the move is done.
///
/// The departing host goes quiet first (no ARP, no IPv6), because two live hosts with one MAC make both bridges learn
/// it in turn: the new host's IPv6 duplicate address detection is answered by the old one, and each answer is
/// another move. The quiet old port keeps its FDB entry, so the new VTEP learns the MAC while the old VTEP's route is
/// still there: that is the case in which section 15.1 asks for a higher sequence number. (Deleting the old port
/// first would make the old VTEP withdraw at once, and the new VTEP would advertise afresh with sequence 0.)</summary>
public abstract class MacMobilityScenarios(ITestOutputHelper output) : TopologyTest(output)
{
    protected const string A = "vtepa";
    protected const string B = "vtepb";
    protected const uint Vni = 100;

    /// <summary>A host that stays behind VTEP B in VNI 100 (next to the topology's ha100 behind VTEP A), so that
    /// every position of the moving host is pinged both across the overlay and within one bridge.</summary>
    private const string FixedHostB = "hx100";
    private const string FixedHostBIp = "192.168.100.22";
    private const string FixedHostBMac = "02:00:02:00:01:64";

    private int _hosts;

    protected abstract Speaker SpeakerA { get; }
    protected abstract Speaker SpeakerB { get; }

    protected override string TopologyName => "leaf-pair";

    protected override IReadOnlyList<string> UpArguments => ["--a", SpeakerA.ScriptName(), "--b", SpeakerB.ScriptName()];

    /// <summary>The moving host: the topology's hb100 (MAC 02:00:02:00:00:64, 192.168.100.12).</summary>
    protected HostInfo Mover => Topo.Hosts.Single(h => h.Vtep == B && h.Vni == Vni);

    private HostInfo FixedHostA => Topo.Hosts.Single(h => h.Vtep == A && h.Vni == Vni);

    protected Speaker SpeakerOf(string vtep) => vtep == A ? SpeakerA : SpeakerB;

    protected IMacTable Macs(string vtep) => SpeakerOf(vtep).MacTable(Lab, Topo, vtep);

    protected static string Other(string vtep) => vtep == A ? B : A;

    /// <summary>Where the moving host is: its host node, that node's port on the VTEP's bridge, and the sequence
    /// number both speakers agreed on for that location.</summary>
    protected sealed record Place(string Host, string Vtep, uint Sequence);

    /// <summary>The move and the move back, each checked on both speakers, both kernels and with pings.</summary>
    [RequiresFact(Requirement.Root, Requirement.Frr)]
    public async Task A_host_moving_to_the_other_vtep_and_back_is_followed_with_higher_sequence_numbers()
    {
        await AddFixedHostOnBAsync();
        var start = await SettledAtStartAsync();

        var atA = await MoveAsync(start, A);
        Assert.True(atA.Sequence > start.Sequence, $"the move to {A} kept sequence {atA.Sequence} (was {start.Sequence})");
        await MovedMacRouteCarriesSequenceAsync(atA);
        await KernelsFollowAsync(atA);
        await FixedHostsReachTheMoverAsync(atA);

        var backAtB = await MoveAsync(atA, B);
        Assert.True(backAtB.Sequence > atA.Sequence, $"the move back to {B} kept sequence {backAtB.Sequence} (was {atA.Sequence})");
        await MovedMacRouteCarriesSequenceAsync(backAtB);
        await KernelsFollowAsync(backAtB);
        await FixedHostsReachTheMoverAsync(backAtB);
    }

    /// <summary>Both speakers know the mover where the topology put it: local on B, remote toward B on A.</summary>
    protected async Task<Place> SettledAtStartAsync()
    {
        var (atB, atA) = await BothViewsAsync(B, m => m.Local && m.Port == Mover.Node, m => !m.Local && m.RemoteVtep == Topo.Ip(B));
        Assert.True(atB is { Local: true }, $"{B} does not have {Mover.Mac} as local on {Mover.Node}: {atB}");
        Assert.True(atA is { Local: false } && atA.RemoteVtep == Topo.Ip(B), $"{A} does not have {Mover.Mac} toward {B}: {atA}");
        Assert.Equal(atB!.Sequence, atA!.Sequence);
        return new Place(Mover.Node, B, atB.Sequence);
    }

    /// <summary>One move: the old host goes quiet, a new host with the same MAC and IP comes up on
    /// <paramref name="to"/>'s bridge and sends an ARP request (the bridge learns the MAC from it), both speakers
    /// agree on the new location with a higher sequence number, then the old host and its port are deleted.</summary>
    protected async Task<Place> MoveAsync(Place from, string to)
    {
        var host = await ArriveAsync(from, to);
        var (there, elsewhere) = await BothViewsAsync(
            to,
            m => m.Local && m.Port == host && m.Sequence > from.Sequence,
            m => !m.Local && m.RemoteVtep == Topo.Ip(to) && m.Sequence > from.Sequence);
        Assert.True(there is { Local: true } && there.Port == host && there.Sequence > from.Sequence,
            $"{to} did not learn {Mover.Mac} on {host} with a sequence above {from.Sequence}: {there}");
        Assert.True(elsewhere is { Local: false } && elsewhere.RemoteVtep == Topo.Ip(to),
            $"{Other(to)} does not point {Mover.Mac} at {to} ({Topo.Ip(to)}): {elsewhere}");
        Assert.Equal(there.Sequence, elsewhere!.Sequence);
        await LeaveAsync(from);
        return new Place(host, to, there.Sequence);
    }

    /// <summary>The old host stops talking (ARP off, IPv6 off) with its port still up; the new one appears on
    /// <paramref name="to"/>'s bridge and sends an ARP request. Returns the new host's node (and port) name.</summary>
    protected async Task<string> ArriveAsync(Place from, string to)
    {
        await Lab.ExecAsync(Topo.Run, from.Host, "ip", "link", "set", "eth0", "arp", "off");
        await Lab.ExecAsync(Topo.Run, from.Host, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        var host = "hm" + (++_hosts).ToString(CultureInfo.InvariantCulture);
        await Lab.RunAsync(LabPaths.LabCli, ["host-add", Topo.Run, to, Vni.ToString(CultureInfo.InvariantCulture), host, Mover.Ip + "/24", Mover.Mac],
            Lab.QueryTimeout);
        // The reply does not matter here (the other VTEP may still point the MAC at the old port); the request does.
        await Lab.TryExecAsync(Topo.Run, host, "ping", "-c", "1", "-W", "0.2", FixedHostA.Ip);
        return host;
    }

    /// <summary>The old host's namespace goes, and with it its veth and the port on the old VTEP's bridge.</summary>
    protected Task LeaveAsync(Place from) =>
        Lab.RunAsync(LabPaths.LabCli, ["host-del", Topo.Run, from.Host], Lab.QueryTimeout);

    /// <summary>Waits (bounded) until <paramref name="vtep"/>'s speaker shows the mover as <paramref name="here"/>
    /// and the other VTEP's as <paramref name="there"/>; returns the last entries seen.</summary>
    protected async Task<(SpeakerMac? Here, SpeakerMac? There)> BothViewsAsync(
        string vtep, Func<SpeakerMac, bool> here, Func<SpeakerMac, bool> there)
    {
        SpeakerMac? a = null, b = null;
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            a = await MoverIn(vtep);
            b = await MoverIn(Other(vtep));
            return a is not null && here(a) && b is not null && there(b);
        });
        return (a, b);
    }

    protected async Task<SpeakerMac?> MoverIn(string vtep) =>
        (await Macs(vtep).MacsAsync(Vni)).FirstOrDefault(m => string.Equals(m.Mac, Mover.Mac, StringComparison.OrdinalIgnoreCase));

    /// <summary>RFC 7432 section 7.7: the type-2 route the other VTEP received for the mover carries the MAC
    /// Mobility extended community with the new sequence number.</summary>
    private async Task MovedMacRouteCarriesSequenceAsync(Place place)
    {
        var observer = Other(place.Vtep);
        var routes = await SpeakerOf(observer).View(Lab, Topo, observer).RoutesAsync();
        var route = routes.FirstOrDefault(r => r.RouteType == 2 && r.Mac == Mover.Mac && r.NextHop == Topo.Ip(place.Vtep) && !r.Local);
        Assert.True(route is not null, $"{observer} has no type-2 route for {Mover.Mac} from {place.Vtep}:\n{string.Join('\n', routes)}");
        Assert.True(route.HasCommunity($"MM:{place.Sequence}"), $"{observer}: the route for {Mover.Mac} lacks MM:{place.Sequence}: {route}");
    }

    /// <summary>After a move to <paramref name="place"/>: on its VTEP the bridge has the MAC on the new port and
    /// nowhere else; on the other VTEP the MAC is only on the VXLAN device, toward the new VTEP (the entry on the old
    /// port, or toward the old VTEP, is gone).
    /// FRR 8.4 leaves one entry behind when a remote MAC becomes local: the VXLAN device's own (`self`) entry toward
    /// the VTEP the MAC came from. The bridge's entry, which decides forwarding, is on the local port, so that leftover
    /// carries no traffic; the check on a VTEP run by FRR therefore looks at bridge entries only.</summary>
    private async Task KernelsFollowAsync(Place place)
    {
        var other = Other(place.Vtep);
        var device = $"vxlan{Vni}";
        IReadOnlyList<KernelFdbEntry> here = [], there = [];
        bool HereOk() =>
            here.Any(e => e.Device == place.Host && e.Master == $"br{Vni}")
            && here.All(e => e.Device == place.Host || (e.Device == device && e.Dst is not null && SpeakerOf(place.Vtep) == Speaker.Frr));
        bool ThereOk() => there.Any(e => e.Device == device && e.Dst == Topo.Ip(place.Vtep))
                          && there.All(e => e.Device == device && (e.Dst is null || e.Dst == Topo.Ip(place.Vtep)));
        await Eventually.TrueWithinAsync(Checks.Convergence, async () =>
        {
            here = await MoverFdbAsync(place.Vtep);
            there = await MoverFdbAsync(other);
            return HereOk() && ThereOk();
        });
        Assert.True(HereOk(), $"{place.Vtep}: {Mover.Mac} should be on port {place.Host} only:\n{string.Join('\n', here)}");
        Assert.True(ThereOk(), $"{other}: {Mover.Mac} should be on {device} toward {Topo.Ip(place.Vtep)} only:\n{string.Join('\n', there)}");
    }

    private async Task<IReadOnlyList<KernelFdbEntry>> MoverFdbAsync(string vtep) =>
        (await Topo.Kernel(vtep).FdbAsync()).Where(e => string.Equals(e.Mac, Mover.Mac, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>Pings from the host that stays behind each VTEP to the mover: one crosses the overlay, one does not.</summary>
    protected async Task FixedHostsReachTheMoverAsync(Place place)
    {
        foreach (var fixedHost in new[] { FixedHostA.Node, FixedHostB })
        {
            Assert.True(await Eventually.TrueWithinAsync(Checks.Convergence, () => Topo.PingAsync(fixedHost, Mover.Ip)),
                $"{fixedHost} cannot reach the moved host {place.Host} ({Mover.Ip}) behind {place.Vtep}");
        }
    }

    protected Task AddFixedHostOnBAsync() =>
        Lab.RunAsync(LabPaths.LabCli,
            ["host-add", Topo.Run, B, Vni.ToString(CultureInfo.InvariantCulture), FixedHostB, FixedHostBIp + "/24", FixedHostBMac], Lab.QueryTimeout);
}

/// <summary>The lab's control: FRR on both VTEPs. When this fails, the lab is broken, not evpnd.</summary>
public sealed class FrrFrrMacMobilityTests(ITestOutputHelper output) : MacMobilityScenarios(output)
{
    protected override Speaker SpeakerA => Speaker.Frr;
    protected override Speaker SpeakerB => Speaker.Frr;
}
