using Evpn.Api;
using Evpn.LoadGen;
using Evpn.Testing.EndToEnd;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>`/v1/macs` of one VNI larger than a slice (<see cref="Management.ManagementView.MacSlice"/>) is read a
/// slice per loop turn: the answer must still hold every MAC once, in MAC order across the slices.</summary>
[Collection(EvpndCollection.Name)]
public sealed class MacTableStreamingTests
{
    private const int Routes = 5_000;
    private const uint Vni = 1000;

    [RequiresFact(Requirement.Root)]
    public async Task A_vni_of_several_slices_is_answered_whole_and_in_mac_order()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = limit.Token;
        using var folder = new TempFolder();
        var address = LoopbackAddresses.Next();
        var socket = folder.File("evpnd.sock");
        File.WriteAllText(folder.File("evpnd.yaml"), $"""
            {DaemonConfig.LoadGeneratorRouter(address)}
            evpn:
              vnis: [{"{"}vni: {Vni}{"}"}]
            {DaemonConfig.TestServices(address, socket)}

            """);
        await using var evpnd = EvpndProcess.Start("macs", "--config", folder.File("evpnd.yaml"));
        await evpnd.WaitForApiAsync(socket);
        var options = new LoadOptions
        {
            Peer = IpAddr.Parse(address), LocalAsn = 65100, RtAsn = 65001, Routes = Routes, Vnis = 1, Vteps = 4, MacIpFraction = 0, Seed = 1,
        };
        await using var peer = await BgpConnection.EstablishAsync(options, TimeSpan.FromSeconds(30), ct);
        await peer.SendAsync(new RouteEncoding(options, external: true).Announcements(LoadPlan.Build(options).Initial, withType3: true, peer.Context), ct);

        using var client = new ManagementClient(socket, TimeSpan.FromSeconds(30));
        IReadOnlyList<MacAddressEntry> macs = [];
        await Eventually.UntilAsync(async () => (macs = await client.GetAsync<IReadOnlyList<MacAddressEntry>>($"{ApiPaths.Macs}?vni={Vni}", ct)).Count >= Routes,
            $"{Routes} MACs in VNI {Vni}", () => $"{macs.Count} so far\n{evpnd.Describe()}", TimeSpan.FromMinutes(2));

        Assert.Equal(Routes, macs.Count);
        Assert.All(macs, m => Assert.Equal(("remote", Vni), (m.Type, m.Vni)));
        var addresses = macs.Select(m => MacAddress.Parse(m.Mac)).ToList();
        Assert.Equal(addresses.Order(), addresses);
        Assert.Equal(Routes, addresses.Distinct().Count());
    }
}
