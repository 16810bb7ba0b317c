using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>VNIs appear and disappear with their VXLAN devices (advertise-all-vni).</summary>
public sealed class DiscoveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly VniInfo Vni100 = new(100, "vx100", "br100", IpAddr.Parse("10.0.0.1"), 4789, false, "br100")
    {
        SviAddresses = new[] { IpAddr.Parse("10.100.0.1") },
    };

    [RequiresFact(Requirement.Root)]
    public async Task A_vni_is_up_while_its_device_exists_and_is_up()
    {
        using var ns = new VtepNamespace(100);
        await using var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);

        var up = await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == 100, Wait);
        Assert.Equal(Vni100, up.Info);

        // A new SVI address re-announces the VNI with it.
        Shell.Ip(ns.Name, "addr", "add", "fd00:100::1/64", "dev", "br100");
        var readdressed = await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == 100, Wait);
        Assert.Equal([IpAddr.Parse("10.100.0.1"), IpAddr.Parse("fd00:100::1")], readdressed.Info.SviAddresses);

        ns.AddVni(300, up: false);
        Shell.Ip(ns.Name, "link", "set", "vx300", "up");
        Assert.Equal("vx300", (await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == 300, Wait)).Info.VxlanDevice);
        Shell.Ip(ns.Name, "link", "set", "vx300", "down");
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniDown>(e => e.Vni == 300, Wait);
        Shell.Ip(ns.Name, "link", "set", "vx300", "up");
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == 300, Wait);
        Shell.Ip(ns.Name, "link", "del", "vx300");
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniDown>(e => e.Vni == 300, Wait);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Only_configured_vnis_are_reported_and_those_without_a_device_as_missing()
    {
        using var ns = new VtepNamespace(100, 101);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { ConfiguredVnis = new HashSet<uint> { 100, 400 } });
        await dataPlane.StartAsync(CancellationToken.None);

        var initial = await dataPlane.Events.CollectUntilAsync(e => e is DataPlaneEvent.ConfiguredVniMissing, Wait);
        Assert.Equal(
            [new DataPlaneEvent.VniUp(Vni100),
             new DataPlaneEvent.ConfiguredVniMissing(400, "no VXLAN device with this VNI")],
            initial);
        ns.AddVni(400);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == 400, Wait);
        Shell.Ip(ns.Name, "link", "del", "vx400");
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniDown>(e => e.Vni == 400, Wait);
        Assert.Equal(400u, (await dataPlane.Events.WaitForAsync<DataPlaneEvent.ConfiguredVniMissing>(_ => true, Wait)).Vni);
    }

    [RequiresFact(Requirement.Root)]
    public async Task Arp_nd_suppression_turns_on_neigh_suppress_on_the_vxlan_port()
    {
        using var ns = new VtepNamespace(100);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { ArpNdSuppression = true });
        await dataPlane.StartAsync(CancellationToken.None);

        Assert.Contains("neigh_suppress on", Shell.Ip(ns.Name, "-d", "link", "show", "vx100"));
    }
}
