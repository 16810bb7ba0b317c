using System.Buffers.Binary;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>The VXLAN attributes of a link (IFLA_INFO_DATA of kind "vxlan").</summary>
/// <param name="External">collect_metadata: the device carries many VNIs (metadata or vnifilter mode).</param>
internal sealed record VxlanAttributes(uint Vni, IpAddr? Local, ushort Port, bool Learning, bool External, bool VniFilter);

/// <summary>What evpnd needs to know of one network interface (RTM_NEWLINK).</summary>
internal sealed record LinkRecord(
    int Index,
    string Name,
    bool AdminUp,
    int Master,
    string? Kind,
    string? SlaveKind,
    MacAddress Mac,
    VxlanAttributes? Vxlan,
    bool NeighSuppress)
{
    /// <summary>IFF_LOWER_UP: the link has carrier (a veth whose peer is up, a cable plugged in).</summary>
    public bool LowerUp { get; init; }

    public bool IsBridge => Kind == "bridge";
    public bool IsVxlan => Kind == "vxlan";

    /// <summary>Parses RTM_NEWLINK/RTM_DELLINK of family AF_UNSPEC; false for anything else (the bridge
    /// also sends AF_BRIDGE link messages about its ports, which carry no link kind).</summary>
    public static bool TryParse(in NetlinkMessage message, out LinkRecord record)
    {
        record = null!;
        var payload = message.Payload;
        if (payload.Length < Rtnl.IfInfoMsgLength || payload[0] != Rtnl.AF_UNSPEC)
        {
            return false;
        }
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        string name = "";
        var master = 0;
        string? kind = null;
        string? slaveKind = null;
        var mac = MacAddress.Zero;
        VxlanAttributes? vxlan = null;
        var neighSuppress = false;
        foreach (var attribute in new AttributeReader(payload[Rtnl.IfInfoMsgLength..]))
        {
            switch (attribute.Type)
            {
                case Rtnl.IFLA_IFNAME:
                    name = attribute.String;
                    break;
                case Rtnl.IFLA_MASTER:
                    master = (int)attribute.U32;
                    break;
                case Rtnl.IFLA_ADDRESS when attribute.Payload.Length == MacAddress.Length:
                    mac = MacAddress.Read(attribute.Payload);
                    break;
                case Rtnl.IFLA_LINKINFO:
                    ParseLinkInfo(attribute.Payload, ref kind, ref slaveKind, ref vxlan, ref neighSuppress);
                    break;
            }
        }
        record = new LinkRecord(index, name, (flags & Rtnl.IFF_UP) != 0, master, kind, slaveKind, mac, vxlan, neighSuppress)
        {
            LowerUp = (flags & Rtnl.IFF_LOWER_UP) != 0,
        };
        return true;
    }

    /// <summary>The kernel sends one IFLA_LINKINFO; of several, the last one wins whole, so the VXLAN data of one
    /// never stays beside the kind of another.</summary>
    private static void ParseLinkInfo(ReadOnlySpan<byte> linkInfo, ref string? kind, ref string? slaveKind, ref VxlanAttributes? vxlan, ref bool neighSuppress)
    {
        kind = null;
        slaveKind = null;
        vxlan = null;
        neighSuppress = false;
        foreach (var attribute in new AttributeReader(linkInfo))
        {
            switch (attribute.Type)
            {
                case Rtnl.IFLA_INFO_KIND:
                    kind = attribute.String;
                    break;
                case Rtnl.IFLA_INFO_SLAVE_KIND:
                    slaveKind = attribute.String;
                    break;
            }
        }
        foreach (var attribute in new AttributeReader(linkInfo))
        {
            if (attribute.Type == Rtnl.IFLA_INFO_DATA && kind == "vxlan")
            {
                vxlan = ParseVxlan(attribute.Payload);
            }
            else if (attribute.Type == Rtnl.IFLA_INFO_SLAVE_DATA && slaveKind == "bridge")
            {
                foreach (var port in new AttributeReader(attribute.Payload))
                {
                    if (port.Type == Rtnl.IFLA_BRPORT_NEIGH_SUPPRESS)
                    {
                        neighSuppress = port.U8 != 0;
                    }
                }
            }
        }
    }

    private static VxlanAttributes ParseVxlan(ReadOnlySpan<byte> data)
    {
        uint vni = 0;
        IpAddr? local = null;
        ushort port = 4789;
        var learning = true;
        var external = false;
        var vniFilter = false;
        foreach (var attribute in new AttributeReader(data))
        {
            switch (attribute.Type)
            {
                case Rtnl.IFLA_VXLAN_ID:
                    vni = attribute.U32;
                    break;
                case Rtnl.IFLA_VXLAN_LOCAL when attribute.Payload.Length == 4:
                case Rtnl.IFLA_VXLAN_LOCAL6 when attribute.Payload.Length == 16:
                    local = IpAddr.Read(attribute.Payload);
                    break;
                case Rtnl.IFLA_VXLAN_PORT:
                    // The only big-endian attribute of the set: the UDP port as it goes on the wire.
                    port = attribute.U16BigEndian;
                    break;
                case Rtnl.IFLA_VXLAN_LEARNING:
                    learning = attribute.U8 != 0;
                    break;
                case Rtnl.IFLA_VXLAN_COLLECT_METADATA:
                    external = attribute.U8 != 0;
                    break;
                case Rtnl.IFLA_VXLAN_VNIFILTER:
                    vniFilter = attribute.U8 != 0;
                    break;
            }
        }
        return new VxlanAttributes(vni, local, port, learning, external, vniFilter);
    }
}
