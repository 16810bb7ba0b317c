using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>Encodes intents into netlink requests exactly as <see cref="NetlinkIntentExecutor"/> does, against
/// made-up devices, and sends nothing: it compiles the encoding before the first table load needs it.</summary>
internal static class EncodingRehearsal
{
    /// <summary>Flushed (cleared) at this size, as the executor sends in datagrams of bounded size.</summary>
    private const int BufferBytes = 256 * 1024;

    /// <summary>FDB entries as the executor writes them by default: toward a (made-up) nexthop group.</summary>
    private static readonly IntentEncoder.FdbTarget MadeUpTarget = new(NexthopGroup: 1, AnyDestination: true, DeleteFirst: false);

    /// <returns>Requests encoded.</returns>
    public static int Run(IReadOnlyList<DataPlaneIntent> intents)
    {
        var topology = MadeUpTopology(intents);
        var writer = new NetlinkWriter(BufferBytes);
        uint sequence = 0;
        var requests = 0;
        foreach (var intent in intents)
        {
            if (writer.Length > BufferBytes / 2)
            {
                writer.Clear();
            }
            requests += IntentEncoder.Write(writer, intent, topology, MadeUpTarget, ref sequence, out _);
        }
        return requests;
    }

    /// <summary>A VXLAN device enslaved to a bridge with ARP/ND suppression for every VNI the intents name.</summary>
    private static VniTopology MadeUpTopology(IReadOnlyList<DataPlaneIntent> intents)
    {
        var links = new List<LinkRecord>();
        var index = 1000;
        foreach (var vni in intents.Select(i => i.Vni()).Distinct())
        {
            var bridge = new LinkRecord(++index, $"br{vni}", AdminUp: true, Master: 0, "bridge", null, MacAddress.Zero, null, NeighSuppress: false);
            var vxlan = new LinkRecord(++index, $"vxlan{vni}", AdminUp: true, Master: bridge.Index, "vxlan", "bridge", MacAddress.Zero,
                new VxlanAttributes(vni, IpAddr.FromV4(0x7F00_0001), 4789, Learning: false, External: false, VniFilter: false), NeighSuppress: true);
            links.Add(bridge);
            links.Add(vxlan);
        }
        return VniTopology.Build(links, new Dictionary<int, SortedSet<IpAddr>>());
    }
}
