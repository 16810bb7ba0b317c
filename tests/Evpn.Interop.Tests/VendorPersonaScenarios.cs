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
/// <see cref="Sentinel"/> in VNI 100 toward <see cref="RemoteVtep"/>, sent last, whose FDB entry is the evidence that
/// everything before it was processed. The evpnd and FRR 8.4 subclasses assert what each reaches; interop/README.md
/// tabulates both.</summary>
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

    protected ExabgpInjector Exabgp => new(Lab, Topo, B, Topo.Ip(A));

    protected ushort AsB => ushort.Parse(Topo[B + ".asn"], CultureInfo.InvariantCulture);

    /// <summary>A's VTEP IP: IPv6 with evpnd on `--underlay dual`, else A's IPv4 address.</summary>
    protected string LocalVtep => Topo[A + ".vtep-ip"];

    /// <summary>B's address in the family of A's VTEP: where A's tunnels toward B end.</summary>
    protected string RemoteVtep => LocalVtep.Contains(':', StringComparison.Ordinal) ? Topo[B + ".vtep-ip"] : Topo.Ip(B);

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

    /// <summary>An IPv6 VTEP (B at 2001:db8::2; its IPv4 address is B's session address), type-2 routes in VNI 100:
    /// host hb100's MAC and IP with a 16-octet next hop, MAC X with a 32-octet one (B's IPv6 address, then a
    /// link-local address: RFC 2545 section 3), MAC Y with B's IPv4 address as a v4-mapped IPv6 next hop
    /// (::ffff:a.b.c.d, RFC 4291 section 2.5.5.2), MAC Z with a 4-octet IPv4 next hop; and a type-3 for VNI 200
    /// from B's IPv4 address (IPv4 originator, 4-octet PMSI tunnel identifier).</summary>
    protected async Task SendIpv6VtepRoutesAsync()
    {
        var (v6, v4) = (Topo[B + ".vtep-ip"], Topo.Ip(B));
        var host = Topo.Hosts.Single(h => h.Vtep == B && h.Vni == 100);
        var communities = RouteTarget(AsB, 100) + VxlanEncapsulation;
        await AnnounceViaAsync(Ip(v6), communities, Type2($"{v4}:100", host.Mac, 100, 0, host.Ip, null, null));
        await AnnounceViaAsync(Ip(v6) + Ip(LinkLocalOfB), communities, Type2($"{v4}:100", MacX, 100));
        await AnnounceViaAsync(Ip("::ffff:" + v4), communities, Type2($"{v4}:100", MacY, 100));
        await AnnounceViaAsync(Ip(v4), communities, Type2($"{v4}:100", MacZ, 100));
        await AnnounceImetViaAsync(v4, RouteTarget(AsB, 200) + VxlanEncapsulation, Type3($"{v4}:200", v4), PmsiIngressReplication(200, v4));
    }

    /// <summary>The IPv6 VTEP's type-3 for VNI 100: IPv6 originator (IP length 128), 16-octet PMSI tunnel identifier
    /// and next hop, all B's IPv6 address.</summary>
    protected Task SendIpv6VtepImetAsync() => SendImetFormAsync(Ipv6, Ipv6);

    /// <summary>A type-3 for VNI 100 whose originator and PMSI tunnel identifier (and next hop, the same as the
    /// identifier) are B's address of the given family: each of the four combinations one form.</summary>
    protected Task SendImetFormAsync(string originatorFamily, string pmsiFamily)
    {
        string Of(string family) => family == Ipv6 ? Topo[B + ".vtep-ip"] : Topo.Ip(B);
        return AnnounceImetViaAsync(Of(pmsiFamily), RouteTarget(AsB, 100) + VxlanEncapsulation,
            Type3($"{Topo.Ip(B)}:100", Of(originatorFamily)), PmsiIngressReplication(100, Of(pmsiFamily)));
    }

    protected const string Ipv4 = "IPv4";
    protected const string Ipv6 = "IPv6";

    protected const string MacZ = "02:00:5e:00:01:03";
    protected const string LinkLocalOfB = "fe80::2";

    /// <summary>A Junos-style peer with a multihomed host and an IRB (interop/personas/multihomed-gateway.md): its all-active
    /// Ethernet Segment <see cref="SegmentId"/> as a type-1 (per ES) and a type-4, MAC X behind that ES (type-2 with the
    /// ESI), the IRB's MAC Y+IP with the Default Gateway community, and MAC Z, static, with the sticky MAC Mobility
    /// community.</summary>
    protected async Task SendMultihomedGatewayAsync()
    {
        var rd = $"{Topo.Ip(B)}:100";
        var communities = RouteTarget(AsB, 100) + VxlanEncapsulation;
        await AnnounceAsync(communities + EsiLabelAllActive, Type1($"{Topo.Ip(B)}:1", SegmentId, 0xffff_ffff, 0));
        await AnnounceAsync(EsImport(SegmentMac) + VxlanEncapsulation, Type4($"{Topo.Ip(B)}:1", SegmentId, Topo.Ip(B)));
        await AnnounceAsync(communities, Type2(rd, MacX, 100, 0, null, null, SegmentId));
        await AnnounceAsync(communities + DefaultGateway, Type2(rd, MacY, 100, 0, GatewayIp, null, null));
        await AnnounceAsync(communities + MacMobility(0, sticky: true), Type2(rd, MacZ, 100));
    }

    /// <summary>A type-0 (operator-configured) ESI, RFC 7432 section 5, whose octets 2-7 are <see cref="SegmentMac"/>.</summary>
    protected const string SegmentId = "0000112233445566778a";
    protected const string SegmentMac = "00:11:22:33:44:55";
    protected const string GatewayIp = "10.100.0.1";

    /// <summary>Downstream-assigned VNI (RFC 8365 section 5.1.3: the label is the VNI the sender wants in the VXLAN
    /// header, which need not be the receiver's): MAC X and a type-3 with VNI 100's route target and label 5100, a
    /// VNI A does not have.</summary>
    protected async Task SendDownstreamVniAsync()
    {
        var rd = $"{Topo.Ip(B)}:100";
        var communities = RouteTarget(AsB, 100) + VxlanEncapsulation;
        await AnnounceAsync(communities, Type2(rd, MacX, DownstreamVni));
        await AnnounceImetViaAsync(Topo.Ip(B), communities, Type3(rd, Topo.Ip(B)), PmsiIngressReplication(DownstreamVni, Topo.Ip(B)));
    }

    protected const uint DownstreamVni = 5100;

    /// <summary>Sends the sentinel and waits for its FDB entry: everything sent before it has been processed.</summary>
    protected async Task<IReadOnlyList<KernelFdbEntry>> SentinelInstalledAsync()
    {
        await AnnounceSentinelAsync();
        return await FdbWhenAsync(fdb => fdb.Any(e => e.Mac == Sentinel && e.Dst == RemoteVtep), "the sentinel's FDB entry");
    }

    protected Task AnnounceSentinelAsync() =>
        AnnounceViaAsync(Ip(RemoteVtep), RouteTarget(AsB, 100) + VxlanEncapsulation, Type2($"{Topo.Ip(B)}:999", Sentinel, 100));

    /// <summary>Waits until <paramref name="done"/> holds for A's FDB, then returns it (failing, with it, if never).</summary>
    protected async Task<IReadOnlyList<KernelFdbEntry>> FdbWhenAsync(Func<IReadOnlyList<KernelFdbEntry>, bool> done, string what)
    {
        IReadOnlyList<KernelFdbEntry> fdb = [];
        await Eventually.TrueWithinAsync(Checks.Convergence, async () => done(fdb = await Topo.Kernel(A).FdbAsync()));
        Assert.True(done(fdb), $"{A}: no {what}:\n{string.Join('\n', fdb)}");
        return fdb;
    }

    /// <summary>The VXLAN devices of A that hold an FDB entry for <paramref name="mac"/> toward B's
    /// <see cref="RemoteVtep"/>.</summary>
    protected string[] DevicesOf(IReadOnlyList<KernelFdbEntry> fdb, string mac) =>
        fdb.Where(e => e.Mac == mac && e.Dst == RemoteVtep).Select(e => e.Device).Order().ToArray();

    /// <summary>A's VXLAN entries for <paramref name="mac"/>, toward any VTEP.</summary>
    protected static KernelFdbEntry[] TunnelEntriesOf(IReadOnlyList<KernelFdbEntry> fdb, string mac) =>
        fdb.Where(e => e.Mac == mac && e.Dst is not null).ToArray();

    protected bool Floods(IReadOnlyList<KernelFdbEntry> fdb, uint vni) => fdb.Any(e => e.IsFloodEntry && e.Device == $"vxlan{vni}" && e.Dst == RemoteVtep);

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

    /// <summary>evpnd's GET /v1/routes: the received path for <paramref name="mac"/>.</summary>
    protected Task<RouteEntry> EvpndRouteAsync(string mac) =>
        EvpndReceivedRouteAsync($"MAC {mac}", r => r.Mac?.Equals(mac, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>evpnd's GET /v1/routes: the one received path that <paramref name="match"/> picks.</summary>
    protected async Task<RouteEntry> EvpndReceivedRouteAsync(string what, Func<RouteEntry, bool> match)
    {
        using var client = new ManagementClient(Topo[A + ".evpnd-socket"], Lab.QueryTimeout);
        var json = await client.GetJsonAsync(ApiPaths.Routes);
        var routes = JsonSerializer.Deserialize<IReadOnlyList<RouteEntry>>(json, ManagementClient.JsonOptions)!;
        var found = routes.Where(r => match(r) && r.Source != "local").ToList();
        Lab.Log($"evpnd routes for {what}: {JsonSerializer.Serialize<IReadOnlyList<RouteEntry>>(found, ManagementClient.JsonOptions)}");
        return Assert.Single(found);
    }

    private Task AnnounceAsync(string communities, params string[] routes) => AnnounceViaAsync(Ip(Topo.Ip(B)), communities, routes);

    /// <summary>One UPDATE whose MP_REACH_NLRI next hop field is <paramref name="nextHopHex"/> (4, 16 or 32 octets).</summary>
    protected Task AnnounceViaAsync(string nextHopHex, string communities, params string[] routes) =>
        Exabgp.AnnounceAsync(NextCarrier(), (MpReachNlri, OptionalNonTransitive, MpReachEvpnNextHopField(nextHopHex, routes)),
            (ExtendedCommunities, OptionalTransitive, communities));

    private Task AnnounceImetAsync(string communities, string rd, uint tag) =>
        AnnounceImetViaAsync(Topo.Ip(B), communities, Type3(rd, Topo.Ip(B), tag), PmsiIngressReplication(tag == 0 ? 100 : tag, Topo.Ip(B)));

    /// <summary>One type-3 route with the given PMSI tunnel attribute, next hop <paramref name="nextHop"/>.</summary>
    protected Task AnnounceImetViaAsync(string nextHop, string communities, string type3, string pmsi) =>
        Exabgp.AnnounceAsync(NextCarrier(), (MpReachNlri, OptionalNonTransitive, MpReachEvpn(nextHop, type3)),
            (ExtendedCommunities, OptionalTransitive, communities), (PmsiTunnel, OptionalTransitive, pmsi));

    /// <summary>One IPv4 carrier prefix per UPDATE, so none replaces another in ExaBGP's Adj-RIB-Out.</summary>
    private string NextCarrier() => $"10.98.{++_carrier}.0/24";
}
