using Evpn.DataPlane;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core.Tests;

/// <summary>A core at VTEP 10.0.0.1 (AS 65000) with helpers to play remote VTEPs and local events.</summary>
internal sealed class Lab
{
    public const uint As = 65000;
    public static readonly IpAddr Self = IpAddr.Parse("10.0.0.1");

    public Lab(CoreOptions? options = null)
    {
        Core = new EvpnCore(options ?? Options(), Time);
    }

    public FakeTimeProvider Time { get; } = new();
    public EvpnCore Core { get; }

    public static CoreOptions Options() => new(As, Self, Self);

    /// <summary>VNI 100 up and the remote VTEPs 10.0.0.2 and 10.0.0.3 peering, with the outputs of that
    /// taken: what the import tests start from.</summary>
    public static Lab WithVniAndTwoVteps(CoreOptions? options = null)
    {
        var lab = new Lab(options);
        lab.VniUp(100);
        lab.PeerUp("10.0.0.2");
        lab.PeerUp("10.0.0.3");
        lab.Intents();
        lab.Outbound();
        return lab;
    }

    public static IpAddr Ip(string text) => IpAddr.Parse(text);
    public static MacAddress Mac(string text) => MacAddress.Parse(text);

    public static VniInfo Vni(uint vni, string? svi = null) => new(vni, $"vxlan{vni}", "br0", Self, 4789, false, svi);

    public void VniUp(uint vni, string? svi = null) => Core.Apply(new DataPlaneEvent.VniUp(Vni(vni, svi)));

    /// <summary>An iBGP peer (a remote VTEP, or a route reflector when <paramref name="address"/> is not the VTEP).</summary>
    public void PeerUp(string address, bool client = false) =>
        Core.PeerUp(new PeerSession(Ip(address), As, Ip(address), true, [AfiSafi.L2vpnEvpn], client));

    public static PathAttributes RemoteAttributes(uint vni, uint? sequence = null, bool sticky = false, uint asn = As, bool gateway = false)
    {
        var communities = new List<ExtendedCommunity> { VniIdentity.RouteTarget(DerivationMode.Frr, asn, vni, vni), ExtendedCommunity.VxlanEncapsulation };
        if (sequence is not null || sticky)
        {
            communities.Add(ExtendedCommunity.MacMobility(sequence ?? 0, sticky));
        }
        if (gateway)
        {
            communities.Add(ExtendedCommunity.DefaultGateway);
        }
        return new PathAttributes { Origin = Origin.Igp, AsPath = AsPath.Empty, LocalPref = 100, ExtendedCommunities = communities.ToArray() };
    }

    public static MacIpAdvertisementRoute Type2(string vtep, uint vni, string mac, string? ip = null) =>
        EvpnRoutes.Mac(RouteDistinguisher.Parse($"{vtep}:{vni % 1000}"), vni, Mac(mac), ip is null ? null : Ip(ip));

    /// <summary>Remote VTEP <paramref name="vtep"/> (also the peer) advertises a MAC (and IP).</summary>
    public void Advertise(string vtep, uint vni, string mac, string? ip = null, uint? sequence = null, bool sticky = false, string? via = null) =>
        Core.UpdateReceived(Ip(via ?? vtep), [Type2(vtep, vni, mac, ip)], RemoteAttributes(vni, sequence, sticky), Ip(vtep), []);

    public void Withdraw(string vtep, uint vni, string mac, string? ip = null, string? via = null) =>
        Core.UpdateReceived(Ip(via ?? vtep), [], PathAttributes.Empty, default, [Type2(vtep, vni, mac, ip)]);

    public void AdvertiseImet(string vtep, uint vni, string? via = null) =>
        Core.UpdateReceived(Ip(via ?? vtep), [new InclusiveMulticastRoute(RouteDistinguisher.Parse($"{vtep}:{vni % 1000}"), 0, Ip(vtep))],
            RemoteAttributes(vni) with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(Ip(vtep), vni) }, Ip(vtep), []);

    public void WithdrawImet(string vtep, uint vni, string? via = null) =>
        Core.UpdateReceived(Ip(via ?? vtep), [], PathAttributes.Empty, default,
            [new InclusiveMulticastRoute(RouteDistinguisher.Parse($"{vtep}:{vni % 1000}"), 0, Ip(vtep))]);

    public void LearnLocal(uint vni, string mac, bool sticky = false, string port = "eth1") =>
        Core.Apply(new DataPlaneEvent.LocalMacLearned(vni, Mac(mac), sticky, port));

    public void RemoveLocal(uint vni, string mac) => Core.Apply(new DataPlaneEvent.LocalMacRemoved(vni, Mac(mac)));

    public void LearnNeighbor(uint vni, string ip, string mac) => Core.Apply(new DataPlaneEvent.LocalNeighborLearned(vni, Ip(ip), Mac(mac)));

    public List<DataPlaneIntent> Intents() => Core.TakeIntents();

    /// <summary>Every announced route (with attributes) and withdrawn route across peers, deduplicated by route.</summary>
    public (List<(EvpnRoute Route, PathAttributes Attributes, IpAddr NextHop)> Announced, List<EvpnRoute> Withdrawn, List<OutboundUpdate> Raw) Outbound()
    {
        var raw = Core.TakeOutbound();
        var announced = raw.SelectMany(u => u.Announcements.SelectMany(g => g.Routes.Select(r => (r, g.Attributes, g.NextHop))))
            .DistinctBy(x => x.r).ToList();
        var withdrawn = raw.SelectMany(u => u.Withdrawals).Distinct().ToList();
        return (announced, withdrawn, raw);
    }

    public static DataPlaneIntent AddFdb(uint vni, string mac, string vtep, bool sticky = false, uint remoteVni = 0) =>
        new DataPlaneIntent.AddFdb(new FdbEntry(vni, Mac(mac), Ip(vtep), sticky, remoteVni));
    public static DataPlaneIntent RemoveFdb(uint vni, string mac, string vtep, bool sticky = false, uint remoteVni = 0) =>
        new DataPlaneIntent.RemoveFdb(new FdbEntry(vni, Mac(mac), Ip(vtep), sticky, remoteVni));
    public static DataPlaneIntent AddNeighbor(uint vni, string ip, string mac) => new DataPlaneIntent.AddNeighbor(new NeighborEntry(vni, Ip(ip), Mac(mac)));
    public static DataPlaneIntent RemoveNeighbor(uint vni, string ip, string mac) => new DataPlaneIntent.RemoveNeighbor(new NeighborEntry(vni, Ip(ip), Mac(mac)));
    public static DataPlaneIntent AddFlood(uint vni, string vtep, uint remoteVni = 0) => new DataPlaneIntent.AddFlood(new FloodEntry(vni, Ip(vtep), remoteVni));
    public static DataPlaneIntent RemoveFlood(uint vni, string vtep, uint remoteVni = 0) => new DataPlaneIntent.RemoveFlood(new FloodEntry(vni, Ip(vtep), remoteVni));
}
