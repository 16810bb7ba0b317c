using Evpn.DataPlane.Linux.Tests;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>RFC 8365 sections 5.1.2/5.1.3 on a running evpnd with the Linux data plane: VNIs 1303 and 1304 form a
/// VLAN-aware bundle (one RD, one route target) in a namespace; GoBGP sends MACs under that one route target,
/// VLAN-based (tag 0, the label chooses) and VLAN-aware (the Ethernet Tag chooses). Each VXLAN device's FDB must
/// hold only its own VNI's MACs, GoBGP must see evpnd's routes tagged per VNI, and evpnctl explains the decisions.</summary>
[Collection(EvpndCollection.Name)]
public sealed class VniSelectionEndToEndTests
{
    private const string Rt = "65003:1300";
    private const string LabelOf1303 = "52:54:00:13:03:01";
    private const string LabelOf1304 = "52:54:00:13:04:01";
    private const string TagOf1303 = "52:54:00:13:03:02";
    private const string TagOf1304 = "52:54:00:13:04:02";
    private const string TagOfNone = "52:54:00:13:05:02";

    [RequiresFact(Requirement.Root, Requirement.GoBgp)]
    public async Task Macs_sharing_a_route_target_land_only_in_the_fdb_of_the_vni_their_label_or_tag_names()
    {
        using var folder = new TempFolder();
        using var vtep = new VtepNamespace(1303, 1304);
        var evpndAddress = LoopbackAddresses.Next();
        var gobgpAddress = LoopbackAddresses.Next();
        var socket = folder.File("evpnd.sock");
        File.WriteAllText(folder.File("evpnd.yaml"), Config(evpndAddress, gobgpAddress, vtep.Name, socket));
        await using var gobgp = await GoBgp.StartAsync(folder, gobgpAddress, evpndAddress);
        await using var evpnd = EvpndProcess.Start("vni-select", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);
        string Context() => $"{evpnd.Describe()}\n--- gobgp rib ---\n{gobgp.Cli(allowFailure: true, "global", "rib", "-a", "evpn")}";

        // evpnd's own bundle routes reach GoBGP with Ethernet Tag = VNI under the bundle's one RD.
        await Eventually.UntilAsync(() => Task.FromResult(gobgp.Cli(allowFailure: true, "global", "rib", "-a", "evpn") is var rib &&
                rib.Contains($"[rd:{evpndAddress}:1300][etag:1303]", StringComparison.Ordinal) &&
                rib.Contains($"[rd:{evpndAddress}:1300][etag:1304]", StringComparison.Ordinal)),
            "GoBGP to receive evpnd's type-3 routes tagged 1303 and 1304", Context);

        // VLAN-based: tag 0, two RDs, the label names the VNI. VLAN-aware: one RD, the Ethernet Tag names it.
        gobgp.AddMac(LabelOf1303, tag: 0, label: 1303, rd: $"{gobgpAddress}:3");
        gobgp.AddMac(LabelOf1304, tag: 0, label: 1304, rd: $"{gobgpAddress}:4");
        gobgp.AddMac(TagOf1303, tag: 1303, label: 1303, rd: $"{gobgpAddress}:1300");
        gobgp.AddMac(TagOf1304, tag: 1304, label: 1304, rd: $"{gobgpAddress}:1300");
        gobgp.AddMac(TagOfNone, tag: 1305, label: 1305, rd: $"{gobgpAddress}:1300");

        await Eventually.UntilAsync(() => Task.FromResult(Fdb(vtep, 1303, gobgpAddress).Count == 2 && Fdb(vtep, 1304, gobgpAddress).Count == 2),
            "two MACs in each VNI's FDB", () => $"{Context()}\n--- fdb ---\n{Shell.Ip(vtep.Name, "-d", "link", "show")}{Shell.Run("ip", "netns", "exec", vtep.Name, "bridge", "fdb", "show")}");
        // The route naming no local VNI was received and refused: evpnctl says so (positive evidence it was processed).
        var refused = await Evpnctl.RunAsync(socket, "explain", "route", "--mac", TagOfNone);
        Assert.True(refused.ExitCode == 0, refused.ToString());
        Assert.Contains("not imported", refused.Output);
        Assert.Contains("the Ethernet Tag 1305 names another VNI", refused.Output);

        Assert.Equal([LabelOf1303, TagOf1303], Fdb(vtep, 1303, gobgpAddress));
        Assert.Equal([LabelOf1304, TagOf1304], Fdb(vtep, 1304, gobgpAddress));

        var byLabel = await Evpnctl.RunAsync(socket, "explain", "route", "--mac", LabelOf1304, "--vni", "1303");
        Assert.Contains("imported into VNI 1304: the label is its VNI 1304", byLabel.Output);
        var mac = await Evpnctl.RunAsync(socket, "explain", "mac", TagOf1303, "--vni", "1303");
        Assert.Contains("the Ethernet Tag 1303 names it (VLAN-aware bundle)", mac.Output);
    }

    /// <summary>The remote MACs of a VNI's VXLAN device toward <paramref name="vtep"/>, sorted.</summary>
    private static List<string> Fdb(VtepNamespace ns, uint vni, string vtep) =>
        Shell.Run("ip", "netns", "exec", ns.Name, "bridge", "fdb", "show", "dev", VtepNamespace.VxlanOf(vni)).Split('\n')
            .Where(l => l.Contains($"dst {vtep}", StringComparison.Ordinal) && !l.StartsWith("00:00:00:00:00:00", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal).ToList();

    private static string Config(string address, string peer, string ns, string socket) => $"""
        router:
          asn: 65001
          local-vtep: {address}
          listen-address: {address}
          allow-loopback-vteps: true
        neighbors:
          - address: {peer}
            remote-as: 65003
            source-address: {address}
            timers: {"{"}hold-time: 9, keepalive: 3, connect-retry: 1s{"}"}
        evpn:
          advertise-all-vni: false
          vnis:
            - vni: 1303
              bundle: tenant
              rd: {address}:1300
              import-rts: {Rt}
              export-rts: {Rt}
            - vni: 1304
              bundle: tenant
        {DaemonConfig.LinuxServices(ns, socket)}

        """;

    /// <summary>gobgpd on its own loopback address (BGP and API), AS 65003, peering with evpnd for L2VPN EVPN.</summary>
    private sealed class GoBgp : IAsyncDisposable
    {
        private readonly GoBgpd _gobgpd;

        private GoBgp(GoBgpd gobgpd) => _gobgpd = gobgpd;

        public static async Task<GoBgp> StartAsync(TempFolder folder, string address, string evpnd) =>
            new(await GoBgpd.StartAsync(folder, "gobgpd", address, GoBgpd.Global(65003, address) + GoBgpd.Neighbor(address, evpnd, 65001)));

        public string Cli(bool allowFailure, params string[] arguments) => _gobgpd.Cli(allowFailure, arguments);

        public void AddMac(string mac, uint tag, uint label, string rd) =>
            Cli(false, "global", "rib", "-a", "evpn", "add", "macadv", mac, "0.0.0.0", "etag", $"{tag}", "label", $"{label}",
                "rd", rd, "rt", Rt, "encap", "vxlan", "nexthop", _gobgpd.Address);

        public ValueTask DisposeAsync() => _gobgpd.DisposeAsync();
    }
}
