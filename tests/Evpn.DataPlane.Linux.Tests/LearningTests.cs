using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>Local learning from a real bridge: a host in another namespace sends traffic through a veth port.</summary>
public sealed class LearningTests
{
    private const uint Vni = 100;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>A data plane started in <paramref name="ns"/> that has reported the VNI up.</summary>
    private static async Task<LinuxDataPlane> StartedWithVniUpAsync(VtepNamespace ns)
    {
        var dataPlane = new LinuxDataPlane(ns.Options);
        try
        {
            await dataPlane.StartAsync(CancellationToken.None);
            await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
            return dataPlane;
        }
        catch
        {
            await dataPlane.DisposeAsync();
            throw;
        }
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_host_behind_a_bridge_port_is_learned_and_withdrawn_when_it_ages_out()
    {
        using var ns = new VtepNamespace(Vni);
        // Ageing time in centiseconds: entries of a silent host go after about 2 s.
        Shell.Ip(ns.Name, "link", "set", VtepNamespace.BridgeOf(Vni), "type", "bridge", "ageing_time", "200");
        using var host = ns.AddHost(Vni, "vethh1", "02:aa:00:00:00:01", "10.100.0.5");
        await using var dataPlane = await StartedWithVniUpAsync(ns);

        var mac = MacAddress.Parse("02:aa:00:00:00:01");
        host.Ping(VtepNamespace.SviAddressOf(Vni));

        var learned = await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacLearned>(e => e.Mac == mac, Wait);
        Assert.Equal(new DataPlaneEvent.LocalMacLearned(Vni, mac, false, "vethh1"), learned);
        var neighbor = await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalNeighborLearned>(e => e.Mac == mac, Wait);
        Assert.Equal(new DataPlaneEvent.LocalNeighborLearned(Vni, IpAddr.Parse("10.100.0.5"), mac), neighbor);

        await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacRemoved>(e => e.Mac == mac, Wait);
        Shell.Ip(ns.Name, "neigh", "flush", "dev", VtepNamespace.BridgeOf(Vni));
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalNeighborRemoved>(e => e.Ip == IpAddr.Parse("10.100.0.5"), Wait);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_remote_mac_appearing_locally_is_reported_as_local_and_own_entries_never_are()
    {
        using var ns = new VtepNamespace(Vni);
        using var host = ns.AddHost(Vni, "vethh2", "02:aa:00:00:00:02", "10.100.0.6");
        await using var dataPlane = await StartedWithVniUpAsync(ns);

        var mac = MacAddress.Parse("02:aa:00:00:00:02");
        var remote = new FdbEntry(Vni, mac, IpAddr.Parse("10.0.0.7"));
        var other = new FdbEntry(Vni, MacAddress.Parse("02:bb:00:00:00:01"), IpAddr.Parse("10.0.0.7"));
        var applied = await dataPlane.ApplyAsync(
            [new DataPlaneIntent.AddFdb(remote), new DataPlaneIntent.AddFdb(other), new DataPlaneIntent.AddNeighbor(new NeighborEntry(Vni, IpAddr.Parse("10.100.0.77"), other.Mac))],
            CancellationToken.None);
        Assert.Empty(applied.Failures);

        // The host with the remote MAC shows up here: the bridge takes the MAC over from the VXLAN port.
        host.Ping(VtepNamespace.SviAddressOf(Vni));
        var learned = await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacLearned>(e => e.Mac == mac, Wait);
        Assert.Equal("vethh2", learned.Port);

        // A static entry on a local port is sticky.
        var staticMac = MacAddress.Parse("02:aa:00:00:00:99");
        Shell.Bridge(ns.Name, "fdb", "add", staticMac.ToString(), "dev", "vethh2", "master", "static");
        var sticky = await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacLearned>(e => e.Mac == staticMac, Wait);
        Assert.True(sticky.Sticky);

        // Nothing evpnd installed came back as local: drain what is queued and look.
        var queued = new List<DataPlaneEvent>();
        while (dataPlane.Events.TryRead(out var e))
        {
            queued.Add(e);
        }
        Assert.DoesNotContain(queued, e => e is DataPlaneEvent.LocalMacLearned l && l.Mac == other.Mac);
        Assert.DoesNotContain(queued, e => e is DataPlaneEvent.LocalNeighborLearned n && n.Mac == other.Mac);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_local_mac_and_neighbor_replaced_by_remote_entries_are_reported_gone_and_learned_again_when_they_come_back()
    {
        using var ns = new VtepNamespace(Vni);
        using var host = ns.AddHost(Vni, "vethh3", "02:aa:00:00:00:03", "10.100.0.8");
        await using var dataPlane = await StartedWithVniUpAsync(ns);
        var mac = MacAddress.Parse("02:aa:00:00:00:03");
        var ip = IpAddr.Parse("10.100.0.8");
        host.Ping(VtepNamespace.SviAddressOf(Vni));
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacLearned>(e => e.Mac == mac, Wait);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalNeighborLearned>(e => e.Ip == ip, Wait);

        // The host moved to a remote VTEP (the core saw a route with a higher sequence): evpnd installs
        // remote entries over the local ones. Their notifications are filtered out in the kernel; the
        // watcher still reports the local entries gone.
        var applied = await dataPlane.ApplyAsync(
            [new DataPlaneIntent.AddFdb(new FdbEntry(Vni, mac, IpAddr.Parse("10.0.0.7"))), new DataPlaneIntent.AddNeighbor(new NeighborEntry(Vni, ip, mac))],
            CancellationToken.None);
        Assert.Empty(applied.Failures);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacRemoved>(e => e.Mac == mac, Wait);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalNeighborRemoved>(e => e.Ip == ip, Wait);

        // It comes back: the bridge takes the MAC over from the VXLAN port, and it is local again.
        host.Ping(VtepNamespace.SviAddressOf(Vni));
        var back = await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacLearned>(e => e.Mac == mac, Wait);
        Assert.Equal("vethh3", back.Port);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_restart_relearns_what_the_bridge_already_knows()
    {
        using var ns = new VtepNamespace(Vni);
        using var host = ns.AddHost(Vni, "vethh3", "02:aa:00:00:00:03", "10.100.0.7");
        host.Ping(VtepNamespace.SviAddressOf(Vni));
        var mac = MacAddress.Parse("02:aa:00:00:00:03");

        await using var dataPlane = new LinuxDataPlane(ns.Options);
        await dataPlane.StartAsync(CancellationToken.None);

        await dataPlane.Events.WaitForAsync<DataPlaneEvent.LocalMacLearned>(e => e.Mac == mac && e.Port == "vethh3", Wait);
    }
}
