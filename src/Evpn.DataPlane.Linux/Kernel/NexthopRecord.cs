using System.Buffers.Binary;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>One nexthop object (RTM_NEWNEXTHOP): a single nexthop with a gateway, or a group of other
/// nexthops' ids. <see cref="IsFdb"/> marks the kind VXLAN FDB entries may point to (NHA_FDB).</summary>
internal sealed record NexthopRecord(uint Id, byte Protocol, bool IsFdb, IpAddr? Gateway, IReadOnlyList<uint> Members)
{
    public bool IsGroup => Members.Count > 0;

    public static bool TryParse(in NetlinkMessage message, out NexthopRecord record)
    {
        record = null!;
        var payload = message.Payload;
        if (payload.Length < Rtnl.NhMsgLength)
        {
            return false;
        }
        uint id = 0;
        var fdb = false;
        IpAddr? gateway = null;
        var members = new List<uint>();
        foreach (var attribute in new AttributeReader(payload[Rtnl.NhMsgLength..]))
        {
            switch (attribute.Type)
            {
                case Rtnl.NHA_ID:
                    id = attribute.U32;
                    break;
                case Rtnl.NHA_FDB:
                    fdb = true;
                    break;
                case Rtnl.NHA_GATEWAY when attribute.Payload.Length is 4 or 16:
                    gateway = IpAddr.Read(attribute.Payload);
                    break;
                case Rtnl.NHA_GROUP:
                    for (var entry = attribute.Payload; entry.Length >= Rtnl.NexthopGroupEntryLength; entry = entry[Rtnl.NexthopGroupEntryLength..])
                    {
                        members.Add(BinaryPrimitives.ReadUInt32LittleEndian(entry));
                    }
                    break;
            }
        }
        if (id == 0)
        {
            return false;
        }
        record = new NexthopRecord(id, payload[2], fdb, gateway, members);
        return true;
    }

    /// <summary>The FDB nexthop groups that lead to one VTEP each (a group of one FDB nexthop with a gateway),
    /// by group id: what an FDB entry's NDA_NH_ID means. Groups of several (EVPN multihoming) have no single VTEP.</summary>
    public static Dictionary<uint, IpAddr> VtepsByGroup(IReadOnlyDictionary<uint, NexthopRecord> nexthops)
    {
        var vteps = new Dictionary<uint, IpAddr>();
        foreach (var group in nexthops.Values)
        {
            if (VtepOf(group, nexthops.GetValueOrDefault) is { } vtep)
            {
                vteps[group.Id] = vtep;
            }
        }
        return vteps;
    }

    /// <summary>The VTEP behind <paramref name="group"/> when it is a group of one FDB nexthop with a gateway
    /// (the member looked up by <paramref name="member"/>); null for anything else.</summary>
    public static IpAddr? VtepOf(NexthopRecord group, Func<uint, NexthopRecord?> member) =>
        group is { IsFdb: true, Members: [var id] } && member(id) is { IsFdb: true, IsGroup: false, Gateway: { } vtep } ? vtep : null;

    /// <summary>RTM_GETNEXTHOP for one id: the object, or null with the kernel's errno in
    /// <paramref name="error"/> (ENOENT: there is none).</summary>
    public static NexthopRecord? Get(NetlinkSocket socket, ref uint sequence, uint id, out int error)
    {
        var request = new NetlinkWriter(64);
        var seq = ++sequence;
        request.BeginMessage(Rtnl.RTM_GETNEXTHOP, Rtnl.NLM_F_REQUEST, seq);
        request.WriteNhMsg(Rtnl.AF_UNSPEC, 0);
        request.WriteAttributeU32(Rtnl.NHA_ID, id);
        request.EndMessage();
        socket.Send(request.Written);
        Span<byte> buffer = stackalloc byte[8192];
        while (true)
        {
            var length = socket.Receive(buffer);
            foreach (var message in new NetlinkReader(buffer[..length]))
            {
                if (message.Sequence != seq)
                {
                    continue;
                }
                error = message.Type == Rtnl.NLMSG_ERROR ? -message.ErrorCode : 0;
                return message.Type == Rtnl.RTM_NEWNEXTHOP && TryParse(message, out var record) ? record : null;
            }
        }
    }

    /// <summary>Every nexthop object in the namespace, by id (a dump run again sees an object twice).</summary>
    public static Dictionary<uint, NexthopRecord> Dump(NetlinkSocket socket, ref uint sequence)
    {
        var nexthops = new Dictionary<uint, NexthopRecord>();
        NetlinkDump.Nexthops(socket, ref sequence, (in NetlinkMessage m) =>
        {
            if (m.Type == Rtnl.RTM_NEWNEXTHOP && TryParse(m, out var r))
            {
                nexthops[r.Id] = r;
            }
        });
        return nexthops;
    }
}
