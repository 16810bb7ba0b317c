using System.Buffers.Binary;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>One neighbor-table or FDB entry (RTM_NEWNEIGH/RTM_DELNEIGH): family AF_BRIDGE for FDB
/// entries (of the bridge, flag NTF_MASTER, or of a VXLAN device, flag NTF_SELF), AF_INET/AF_INET6 for
/// ARP/ND entries. A VXLAN FDB entry names its VTEP as <see cref="Destination"/> or points to a nexthop
/// group (<see cref="NexthopId"/>).</summary>
internal readonly record struct NeighborRecord(
    byte Family,
    int IfIndex,
    ushort State,
    byte Flags,
    MacAddress? Mac,
    IpAddr? Destination,
    uint? Vni,
    int Master,
    uint? NexthopId)
{
    public bool IsExternLearned => (Flags & Rtnl.NTF_EXT_LEARNED) != 0;
    public bool IsSelf => (Flags & Rtnl.NTF_SELF) != 0;

    public static bool TryParse(in NetlinkMessage message, out NeighborRecord record)
    {
        record = default;
        var payload = message.Payload;
        if (payload.Length < Rtnl.NdMsgLength)
        {
            return false;
        }
        MacAddress? mac = null;
        IpAddr? destination = null;
        uint? vni = null;
        uint? nexthop = null;
        var master = 0;
        foreach (var attribute in new AttributeReader(payload[Rtnl.NdMsgLength..]))
        {
            switch (attribute.Type)
            {
                case Rtnl.NDA_LLADDR when attribute.Payload.Length == MacAddress.Length:
                    mac = MacAddress.Read(attribute.Payload);
                    break;
                case Rtnl.NDA_DST when attribute.Payload.Length is 4 or 16:
                    destination = IpAddr.Read(attribute.Payload);
                    break;
                case Rtnl.NDA_VNI:
                    vni = attribute.U32;
                    break;
                case Rtnl.NDA_MASTER:
                    master = (int)attribute.U32;
                    break;
                case Rtnl.NDA_NH_ID:
                    nexthop = attribute.U32;
                    break;
            }
        }
        record = new NeighborRecord(
            payload[0],
            BinaryPrimitives.ReadInt32LittleEndian(payload[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]),
            payload[10],
            mac,
            destination,
            vni,
            master,
            nexthop);
        return true;
    }
}
