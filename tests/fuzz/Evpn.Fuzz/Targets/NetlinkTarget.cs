using System.Buffers.Binary;
using System.Text;
using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Targets;

/// <summary>One datagram from an rtnetlink socket, walked as the kernel watcher, the dumps and the intent
/// executor walk it: notifications and multi-part dump answers of links, addresses, neighbors and nexthops,
/// NLMSG_DONE and NLMSG_ERROR (with extended ack). A link, neighbor or nexthop record written back as the
/// kernel would send it parses to the same record.</summary>
public sealed class NetlinkTarget : IFuzzTarget
{
    public string Name => "netlink";

    public void Run(ReadOnlySpan<byte> input)
    {
        foreach (var message in new NetlinkReader(input))
        {
            switch (message.Type)
            {
                case Rtnl.NLMSG_ERROR:
                    _ = message.ErrorCode;
                    _ = message.ExtendedAckMessage();
                    break;
                case Rtnl.RTM_NEWLINK or Rtnl.RTM_DELLINK when LinkRecord.TryParse(message, out var link):
                    if (Fits(link.Name, link.Kind, link.SlaveKind))
                    {
                        CheckSame(link, Reparse<LinkRecord>(Write(link), LinkRecord.TryParse), "link");
                    }
                    break;
                case Rtnl.RTM_NEWADDR or Rtnl.RTM_DELADDR:
                    AddressRecord.TryParse(message, out _);
                    break;
                case Rtnl.RTM_NEWNEIGH or Rtnl.RTM_DELNEIGH when NeighborRecord.TryParse(message, out var neighbor):
                    CheckSame(neighbor, Reparse<NeighborRecord>(Write(neighbor), NeighborRecord.TryParse), "neighbor");
                    break;
                case Rtnl.RTM_NEWNEXTHOP or Rtnl.RTM_DELNEXTHOP when NexthopRecord.TryParse(message, out var nexthop)
                    && nexthop.Members.Count * Rtnl.NexthopGroupEntryLength < MaxWrittenAttribute:
                    var (parsed, again) = Reparse<NexthopRecord>(Write(nexthop), NexthopRecord.TryParse);
                    PropertyViolation.Unless(parsed && again.Id == nexthop.Id && again.Protocol == nexthop.Protocol
                        && again.IsFdb == nexthop.IsFdb && Equals(again.Gateway, nexthop.Gateway) && again.Members.SequenceEqual(nexthop.Members),
                        $"nexthop {nexthop} written back parses as {again}");
                    break;
            }
        }
    }

    /// <summary>Written back, a record must fit one attribute length field: several attributes of the input may
    /// have added up to more (NHA_GROUP entries), and bytes that are not UTF-8 grow when written back as text.</summary>
    private const int MaxWrittenAttribute = 60_000;

    private static bool Fits(params string?[] texts) => texts.Sum(t => Encoding.UTF8.GetByteCount(t ?? "")) < MaxWrittenAttribute;

    private delegate bool Parser<T>(in NetlinkMessage message, out T record);

    private static (bool Parsed, T Record) Reparse<T>(byte[] datagram, Parser<T> parse)
    {
        foreach (var message in new NetlinkReader(datagram))
        {
            var parsed = parse(message, out var record);
            return (parsed, record);
        }
        return (false, default!);
    }

    private static void CheckSame<T>(T record, (bool Parsed, T Record) again, string what) =>
        PropertyViolation.Unless(again.Parsed && Equals(record, again.Record), $"{what} {record} written back parses as {again.Record}");

    private static byte[] Write(LinkRecord link)
    {
        var w = new NetlinkWriter(256);
        w.BeginMessage(Rtnl.RTM_NEWLINK, 0, 1);
        w.WriteIfInfoMsg(Rtnl.AF_UNSPEC, link.Index);
        w.WriteAttribute(Rtnl.IFLA_IFNAME, Encoding.UTF8.GetBytes(link.Name + "\0"));
        w.WriteAttributeU32(Rtnl.IFLA_MASTER, (uint)link.Master);
        Span<byte> mac = stackalloc byte[MacAddress.Length];
        link.Mac.Write(mac);
        w.WriteAttribute(Rtnl.IFLA_ADDRESS, mac);
        var info = w.BeginNested(Rtnl.IFLA_LINKINFO);
        if (link.Kind is { } kind)
        {
            w.WriteAttribute(Rtnl.IFLA_INFO_KIND, Encoding.UTF8.GetBytes(kind + "\0"));
        }
        if (link.Vxlan is { } vxlan)
        {
            var data = w.BeginNested(Rtnl.IFLA_INFO_DATA);
            w.WriteAttributeU32(Rtnl.IFLA_VXLAN_ID, vxlan.Vni);
            if (vxlan.Local is { } local)
            {
                Span<byte> address = stackalloc byte[local.ByteLength];
                local.Write(address);
                w.WriteAttribute(local.IsV6 ? Rtnl.IFLA_VXLAN_LOCAL6 : Rtnl.IFLA_VXLAN_LOCAL, address);
            }
            Span<byte> port = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(port, vxlan.Port);
            w.WriteAttribute(Rtnl.IFLA_VXLAN_PORT, port);
            w.WriteAttributeU8(Rtnl.IFLA_VXLAN_LEARNING, vxlan.Learning ? (byte)1 : (byte)0);
            w.WriteAttributeU8(Rtnl.IFLA_VXLAN_COLLECT_METADATA, vxlan.External ? (byte)1 : (byte)0);
            w.WriteAttributeU8(Rtnl.IFLA_VXLAN_VNIFILTER, vxlan.VniFilter ? (byte)1 : (byte)0);
            w.EndNested(data);
        }
        if (link.SlaveKind is { } slaveKind)
        {
            w.WriteAttribute(Rtnl.IFLA_INFO_SLAVE_KIND, Encoding.UTF8.GetBytes(slaveKind + "\0"));
            var port = w.BeginNested(Rtnl.IFLA_INFO_SLAVE_DATA);
            w.WriteAttributeU8(Rtnl.IFLA_BRPORT_NEIGH_SUPPRESS, link.NeighSuppress ? (byte)1 : (byte)0);
            w.EndNested(port);
        }
        w.EndNested(info);
        w.EndMessage();
        var bytes = w.Written.ToArray();
        // ifi_flags: only IFF_UP is read back.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Rtnl.NlMsgHdrLength + 8), (link.AdminUp ? Rtnl.IFF_UP : 0) | (link.LowerUp ? Rtnl.IFF_LOWER_UP : 0));
        return bytes;
    }

    private static byte[] Write(NeighborRecord neighbor)
    {
        var w = new NetlinkWriter(128);
        w.BeginMessage(Rtnl.RTM_NEWNEIGH, 0, 1);
        w.WriteNdMsg(neighbor.Family, neighbor.IfIndex, neighbor.State, neighbor.Flags);
        if (neighbor.Mac is { } mac)
        {
            Span<byte> bytes = stackalloc byte[MacAddress.Length];
            mac.Write(bytes);
            w.WriteAttribute(Rtnl.NDA_LLADDR, bytes);
        }
        if (neighbor.Destination is { } destination)
        {
            Span<byte> bytes = stackalloc byte[destination.ByteLength];
            destination.Write(bytes);
            w.WriteAttribute(Rtnl.NDA_DST, bytes);
        }
        if (neighbor.Vni is { } vni)
        {
            w.WriteAttributeU32(Rtnl.NDA_VNI, vni);
        }
        w.WriteAttributeU32(Rtnl.NDA_MASTER, (uint)neighbor.Master);
        if (neighbor.NexthopId is { } nexthop)
        {
            w.WriteAttributeU32(Rtnl.NDA_NH_ID, nexthop);
        }
        w.EndMessage();
        return w.Written.ToArray();
    }

    private static byte[] Write(NexthopRecord nexthop)
    {
        var w = new NetlinkWriter(128);
        w.BeginMessage(Rtnl.RTM_NEWNEXTHOP, 0, 1);
        w.WriteNhMsg(Rtnl.AF_UNSPEC, nexthop.Protocol);
        w.WriteAttributeU32(Rtnl.NHA_ID, nexthop.Id);
        if (nexthop.IsFdb)
        {
            w.WriteAttribute(Rtnl.NHA_FDB, []);
        }
        if (nexthop.Gateway is { } gateway)
        {
            Span<byte> bytes = stackalloc byte[gateway.ByteLength];
            gateway.Write(bytes);
            w.WriteAttribute(Rtnl.NHA_GATEWAY, bytes);
        }
        if (nexthop.IsGroup)
        {
            var group = new byte[nexthop.Members.Count * Rtnl.NexthopGroupEntryLength];
            for (var i = 0; i < nexthop.Members.Count; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(group.AsSpan(i * Rtnl.NexthopGroupEntryLength), nexthop.Members[i]);
            }
            w.WriteAttribute(Rtnl.NHA_GROUP, group);
        }
        w.EndMessage();
        return w.Written.ToArray();
    }
}
