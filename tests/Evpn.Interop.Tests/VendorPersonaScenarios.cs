using System.Globalization;
using System.Text.Json;
using Evpn.Api;
using Evpn.Interop.Tests.Harness;
using Xunit.Abstractions;
using static Evpn.Interop.Tests.Harness.EvpnWireBytes;

namespace Evpn.Interop.Tests;

/// <summary>The vendor personas of interop/personas/ (one README each: what the vendor sends, why, and the
/// documentation it follows) sent by ExaBGP in VTEP B's place (topology 5) to the speaker on VTEP A, whose kernel
/// (VNIs 100 and 200) is then read. Each persona ends with a sentinel: a plain FRR-style route for MAC
/// <see cref="Sentinel"/> in VNI 100, sent last, whose FDB entry is the evidence that everything before it was
/// processed. The evpnd and FRR 8.4 subclasses assert what each reaches; interop/README.md tabulates both.</summary>
public abstract class VendorPersonaScenarios(ITestOutputHelper output) : TopologyTest(output)
{
    protected const string A = "vtepa";
    protected const string B = "vtepb";
    protected const string Sentinel = "02:00:5e:00:00:ff";
    protected const string MacX = "02:00:5e:00:01:01";
    protected const string MacY = "02:00:5e:00:01:02";

    protected abstract Speaker SpeakerA { get; }

    protected override string TopologyName => "exabgp-peer";

    protected override IReadOnlyList<string> UpArguments => ["--a", SpeakerA.ScriptName()];

    private ExabgpInjector Exabgp => new(Lab, Topo, B, Topo.Ip(A));

    protected ushort AsB => ushort.Parse(Topo[B + ".asn"], CultureInfo.InvariantCulture);

    private int _carrier;

    /// <summary>Arista EOS `vlan-aware-bundle`: one RD and one RT for VNIs 100 and 200, the Ethernet Tag naming
    /// the VNI (RFC 8365 section 5.1.3). MAC X is in VNI 100, MAC Y in VNI 200.</summary>
    protected async Task SendAristaBundleAsync()
    {
        var rd = $"{Topo.Ip(B)}:1";
        var communities = RouteTarget(AsB, 1) + VxlanEncapsulation;
        await AnnounceAsync(communities, Type2(rd, MacX, 100, 100, null, null, null), Type2(rd, MacY, 200, 200, null, null, null));
        await AnnounceImetAsync(communities, rd, 100);
        await AnnounceImetAsync(communities, rd, 200);
    }

    /// <summary>Junos virtual-switch with `vrf-target auto`: one RD for the instance, per VNI the RFC 8365 RT
    /// (AS:0x10000000 + VNI), Ethernet Tag = VNI. MAC X in VNI 100, MAC Y in VNI 200.</summary>
    protected async Task SendJunosVirtualSwitchAsync()
    {
        var rd = $"{Topo.Ip(B)}:1";
        await AnnounceAsync(RouteTarget(AsB, 0x1000_0000 + 100) + VxlanEncapsulation, Type2(rd, MacX, 100, 100, null, null, null));
        await AnnounceAsync(RouteTarget(AsB, 0x1000_0000 + 200) + VxlanEncapsulation, Type2(rd, MacY, 200, 200, null, null, null));
        await AnnounceImetAsync(RouteTarget(AsB, 0x1000_0000 + 100) + VxlanEncapsulation, rd, 100);
    }

    /// <summary>NX-OS symmetric IRB: MAC+IP with label 1 = L2 VNI 100, label 2 = L3 VNI 4001, the L2 and L3 RTs
    /// (ASN:VNI) and its Router's MAC (RFC 9135 section 9.1.1).</summary>
    protected async Task SendNxosSymmetricIrbAsync()
    {
        var rd = $"{Topo.Ip(B)}:32867";
        await AnnounceAsync(RouteTarget(AsB, 100) + RouteTarget(AsB, 4001) + VxlanEncapsulation + RoutersMac(NxosRouterMac),
            Type2(rd, MacX, 100, 0, HostX, 4001, null));
    }

    protected const string NxosRouterMac = "52:54:00:4e:58:01";
    protected const string HostX = "10.100.0.77";

    /// <summary>Nokia SR OS / SR Linux: EVI 10 carries VNI 100, RD system-ip:10, RT ASN:10.</summary>
    protected async Task SendNokiaEviAsync()
    {
        var rd = $"{Topo.Ip(B)}:10";
        await AnnounceAsync(RouteTarget(AsB, 10) + VxlanEncapsulation, Type2(rd, MacX, 100, 0, null, null, null));
        await AnnounceImetAsync(RouteTarget(AsB, 10) + VxlanEncapsulation, rd, 0);
    }

    /// <summary>A Cisco-style peer: MAC X advertised with both the MPLS and the VXLAN encapsulation communities, MAC Y
    /// with an all-zero Router's MAC (an L2-only route of a box configured for IRB).</summary>
    protected async Task SendCiscoMixedAsync()
    {
        var rd = $"{Topo.Ip(B)}:100";
        await AnnounceAsync(RouteTarget(AsB, 100) + MplsEncapsulation + VxlanEncapsulation, Type2(rd, MacX, 100, 0, null, null, null));
        await AnnounceAsync(RouteTarget(AsB, 100) + VxlanEncapsulation + RoutersMac("00:00:00:00:00:00"), Type2(rd, MacY, 100, 0, null, null, null));
    }

    /// <summary>A peer leaking EVPN-MPLS routes: MAC X with the MPLS encapsulation only and an MPLS label (16, bottom
    /// of stack), MAC Y with no encapsulation community at all, both with the VNI's RT.</summary>
    protected async Task SendMplsLeakAsync()
    {
        var rd = $"{Topo.Ip(B)}:100";
        await AnnounceAsync(RouteTarget(AsB, 100) + MplsEncapsulation, Type2(rd, MacX, (16 << 4) | 1, 0, null, null, null));
        await AnnounceAsync(RouteTarget(AsB, 100), Type2(rd, MacY, 100, 0, null, null, null));
    }

    /// <summary>Sends the sentinel and waits for its FDB entry: everything sent before it has been processed.</summary>
    protected async Task<IReadOnlyList<KernelFdbEntry>> SentinelInstalledAsync()
    {
        await AnnounceAsync(RouteTarget(AsB, 100) + VxlanEncapsulation, Type2($"{Topo.Ip(B)}:999", Sentinel, 100));
        return await FdbWhenAsync(fdb => fdb.Any(e => e.Mac == Sentinel && e.Dst == Topo.Ip(B)), "the sentinel's FDB entry");
    }

    /// <summary>Waits until <paramref name="done"/> holds for A's FDB, then returns it (failing, with it, if never).</summary>
    protected async Task<IReadOnlyList<KernelFdbEntry>> FdbWhenAsync(Func<IReadOnlyList<KernelFdbEntry>, bool> done, string what)
    {
        IReadOnlyList<KernelFdbEntry> fdb = [];
        await Eventually.TrueWithinAsync(Checks.Convergence, async () => done(fdb = await Topo.Kernel(A).FdbAsync()));
        Assert.True(done(fdb), $"{A}: no {what}:\n{string.Join('\n', fdb)}");
        return fdb;
    }

    /// <summary>The VXLAN devices of A that hold an FDB entry for <paramref name="mac"/> toward B.</summary>
    protected string[] DevicesOf(IReadOnlyList<KernelFdbEntry> fdb, string mac) =>
        fdb.Where(e => e.Mac == mac && e.Dst == Topo.Ip(B)).Select(e => e.Device).Order().ToArray();

    protected bool Floods(IReadOnlyList<KernelFdbEntry> fdb, uint vni) => fdb.Any(e => e.IsFloodEntry && e.Device == $"vxlan{vni}" && e.Dst == Topo.Ip(B));

    /// <summary>evpnd on A: replaces the `evpn` section of its file and reloads (POST /v1/reload).</summary>
    protected async Task ReconfigureEvpndAsync(string evpnSection)
    {
        var path = Path.Combine(Path.GetDirectoryName(Topo[A + ".evpnd-socket"])!, "evpnd.yaml");
        var text = await File.ReadAllTextAsync(path);
        var start = text.IndexOf("\nevpn:\n", StringComparison.Ordinal) + 1;
        var end = text.IndexOf("\ndata-plane:", start, StringComparison.Ordinal) + 1;
        await File.WriteAllTextAsync(path, text[..start] + evpnSection + text[end..]);
        Lab.Log($"{path} evpn section now:\n{evpnSection}");
        using var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);
        var result = await client.PostAsync(ApiPaths.Reload);
        Assert.True(result.Ok, $"reload refused: {result.Message}");
    }

    /// <summary>evpnd's GET /v1/routes: the received paths for <paramref name="mac"/>.</summary>
    protected async Task<RouteEntry> EvpndRouteAsync(string mac)
    {
        using var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);
        var json = await client.GetJsonAsync(ApiPaths.Routes);
        var routes = JsonSerializer.Deserialize<IReadOnlyList<RouteEntry>>(json, ManagementClient.JsonOptions)!;
        var found = routes.Where(r => r.Mac?.Equals(mac, StringComparison.OrdinalIgnoreCase) == true && r.Source != "local").ToList();
        Lab.Log($"evpnd routes for {mac}: {JsonSerializer.Serialize<IReadOnlyList<RouteEntry>>(found, ManagementClient.JsonOptions)}");
        return Assert.Single(found);
    }

    private Task AnnounceAsync(string communities, params string[] routes) =>
        Exabgp.AnnounceAsync(NextCarrier(), (MpReachNlri, OptionalNonTransitive, MpReachEvpn(Topo.Ip(B), routes)),
            (ExtendedCommunities, OptionalTransitive, communities));

    private Task AnnounceImetAsync(string communities, string rd, uint tag) =>
        Exabgp.AnnounceAsync(NextCarrier(), (MpReachNlri, OptionalNonTransitive, MpReachEvpn(Topo.Ip(B), Type3(rd, Topo.Ip(B), tag))),
            (ExtendedCommunities, OptionalTransitive, communities), (PmsiTunnel, OptionalTransitive, PmsiIngressReplication(tag == 0 ? 100 : tag, Topo.Ip(B))));

    /// <summary>One IPv4 carrier prefix per UPDATE, so none replaces another in ExaBGP's Adj-RIB-Out.</summary>
    private string NextCarrier() => $"10.98.{++_carrier}.0/24";
}
