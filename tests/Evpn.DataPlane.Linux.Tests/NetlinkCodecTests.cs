using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>The rtnetlink encoding and decoding, without a kernel.</summary>
public sealed class NetlinkCodecTests
{
    private static VniTopology TopologyWithVni100()
    {
        var bridge = new LinkRecord(5, "br100", true, 0, "bridge", null, MacAddress.Zero, null, false);
        var vxlan = new LinkRecord(6, "vx100", true, 5, "vxlan", "bridge", MacAddress.Zero,
            new VxlanAttributes(100, IpAddr.Parse("10.0.0.1"), 4789, false, false, false), false);
        return VniTopology.Build([bridge, vxlan], new Dictionary<int, SortedSet<IpAddr>>());
    }

    /// <summary>Found by the netlink fuzz target (corpus/netlink/regression-bridge-kind-after-vxlan-data): a second
    /// IFLA_LINKINFO naming a bridge left the first one's VXLAN data on a link of kind bridge.</summary>
    [Fact]
    public void Of_two_link_infos_the_last_wins_whole_and_keeps_no_vxlan_data_of_the_first()
    {
        var writer = new NetlinkWriter();
        writer.BeginMessage(Rtnl.RTM_NEWLINK, 0, 1);
        writer.WriteIfInfoMsg(Rtnl.AF_UNSPEC, 7);
        var vxlanInfo = writer.BeginNested(Rtnl.IFLA_LINKINFO);
        writer.WriteAttribute(Rtnl.IFLA_INFO_KIND, "vxlan\0"u8);
        var data = writer.BeginNested(Rtnl.IFLA_INFO_DATA);
        writer.WriteAttributeU32(Rtnl.IFLA_VXLAN_ID, 100);
        writer.EndNested(data);
        writer.EndNested(vxlanInfo);
        var bridgeInfo = writer.BeginNested(Rtnl.IFLA_LINKINFO);
        writer.WriteAttribute(Rtnl.IFLA_INFO_KIND, "bridge\0"u8);
        writer.EndNested(bridgeInfo);
        writer.EndMessage();

        var links = new List<LinkRecord>();
        foreach (var message in new NetlinkReader(writer.Written))
        {
            Assert.True(LinkRecord.TryParse(message, out var link));
            links.Add(link);
        }
        var parsed = Assert.Single(links);
        Assert.True(parsed.IsBridge);
        Assert.Null(parsed.Vxlan);
    }

    [Fact]
    public void A_remote_mac_becomes_one_newneigh_on_the_vxlan_device_with_self_master_and_extern_learn()
    {
        var writer = new NetlinkWriter();
        uint sequence = 41;
        var entry = new FdbEntry(100, MacAddress.Parse("02:00:00:00:00:07"), IpAddr.Parse("10.0.0.9"));

        var count = IntentEncoder.Write(writer, new DataPlaneIntent.AddFdb(entry), TopologyWithVni100(), default, ref sequence, out _);

        Assert.Equal(1, count);
        var messages = new List<(ushort Type, ushort Flags, uint Sequence, NeighborRecord Record)>();
        foreach (var message in new NetlinkReader(writer.Written))
        {
            Assert.True(NeighborRecord.TryParse(message, out var record));
            messages.Add((message.Type, message.Flags, message.Sequence, record));
        }
        var (type, flags, seq, r) = Assert.Single(messages);
        Assert.Equal(Rtnl.RTM_NEWNEIGH, type);
        Assert.Equal(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE, flags);
        Assert.Equal(42u, seq);
        Assert.Equal(new NeighborRecord(Rtnl.AF_BRIDGE, 6, Rtnl.NUD_REACHABLE | Rtnl.NUD_NOARP,
            Rtnl.NTF_SELF | Rtnl.NTF_MASTER | Rtnl.NTF_EXT_LEARNED, entry.Mac, entry.Vtep, null, 0, null), r);
    }

    [Fact]
    public void A_remote_mac_toward_a_nexthop_group_names_the_group_and_no_destination()
    {
        var writer = new NetlinkWriter();
        uint sequence = 0;
        var entry = new FdbEntry(100, MacAddress.Parse("02:00:00:00:00:07"), IpAddr.Parse("10.0.0.9"));

        var count = IntentEncoder.Write(writer, new DataPlaneIntent.AddFdb(entry), TopologyWithVni100(), new IntentEncoder.FdbTarget(0xEE00_0001, DeleteFirst: false), ref sequence, out _);

        Assert.Equal(1, count);
        var records = Records(writer);
        var (type, r) = Assert.Single(records);
        Assert.Equal(Rtnl.RTM_NEWNEIGH, type);
        Assert.Equal(0xEE00_0001u, r.NexthopId);
        Assert.Null(r.Destination);
        Assert.Equal(Rtnl.NTF_SELF | Rtnl.NTF_MASTER | Rtnl.NTF_EXT_LEARNED, r.Flags);
    }

    [Fact]
    public void An_install_over_an_entry_of_the_other_form_deletes_the_vxlan_entry_first_whatever_it_points_to()
    {
        var writer = new NetlinkWriter();
        uint sequence = 0;
        var entry = new FdbEntry(100, MacAddress.Parse("02:00:00:00:00:07"), IpAddr.Parse("10.0.0.9"));

        var count = IntentEncoder.Write(writer, new DataPlaneIntent.AddFdb(entry), TopologyWithVni100(), new IntentEncoder.FdbTarget(5, DeleteFirst: true), ref sequence, out _);

        Assert.Equal(2, count);
        var records = Records(writer);
        Assert.Equal([Rtnl.RTM_DELNEIGH, Rtnl.RTM_NEWNEIGH], records.Select(m => m.Type));
        Assert.Equal(Rtnl.NTF_SELF, records[0].Record.Flags);
        Assert.Null(records[0].Record.Destination);
        Assert.Equal(5u, records[1].Record.NexthopId);
    }

    [Fact]
    public void A_removal_names_no_destination_so_the_entry_goes_whatever_it_points_to()
    {
        var writer = new NetlinkWriter();
        uint sequence = 0;
        var entry = new FdbEntry(100, MacAddress.Parse("02:00:00:00:00:07"), IpAddr.Parse("10.0.0.9"));

        IntentEncoder.Write(writer, new DataPlaneIntent.RemoveFdb(entry), TopologyWithVni100(), default, ref sequence, out _);

        Assert.All(Records(writer), m => Assert.Null(m.Record.Destination));
    }

    [Fact]
    public void Nexthop_dump_records_give_each_single_vtep_fdb_group_its_vtep()
    {
        var writer = new NetlinkWriter();
        WriteNexthop(writer, 10, Rtnl.AF_INET, IpAddr.Parse("10.0.0.9"), group: null, fdb: true);
        WriteNexthop(writer, 11, Rtnl.AF_UNSPEC, null, group: [10], fdb: true);
        WriteNexthop(writer, 20, Rtnl.AF_INET, IpAddr.Parse("10.0.0.8"), group: null, fdb: true);
        WriteNexthop(writer, 21, Rtnl.AF_UNSPEC, null, group: [10, 20], fdb: true);
        WriteNexthop(writer, 30, Rtnl.AF_INET, IpAddr.Parse("10.0.0.7"), group: null, fdb: false);
        WriteNexthop(writer, 31, Rtnl.AF_UNSPEC, null, group: [30], fdb: false);
        var nexthops = new Dictionary<uint, NexthopRecord>();
        foreach (var message in new NetlinkReader(writer.Written))
        {
            Assert.True(NexthopRecord.TryParse(message, out var record));
            nexthops[record.Id] = record;
        }

        Assert.Equal([10u, 20u], nexthops[21].Members);
        Assert.Equal(VtepNexthops.Protocol, nexthops[11].Protocol);
        // The multihoming group (two VTEPs) and the routing (non-fdb) group have no single VTEP.
        Assert.Equal(new Dictionary<uint, IpAddr> { [11] = IpAddr.Parse("10.0.0.9") }, NexthopRecord.VtepsByGroup(nexthops));
    }

    private static void WriteNexthop(NetlinkWriter writer, uint id, byte family, IpAddr? gateway, uint[]? group, bool fdb)
    {
        writer.BeginMessage(Rtnl.RTM_NEWNEXTHOP, 0, 1);
        writer.WriteNhMsg(family, VtepNexthops.Protocol);
        writer.WriteAttributeU32(Rtnl.NHA_ID, id);
        if (gateway is { } address)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.Write(bytes);
            writer.WriteAttribute(Rtnl.NHA_GATEWAY, bytes[..address.ByteLength]);
        }
        if (group is not null)
        {
            var entries = new byte[group.Length * Rtnl.NexthopGroupEntryLength];
            for (var i = 0; i < group.Length; i++)
            {
                BitConverter.TryWriteBytes(entries.AsSpan(i * Rtnl.NexthopGroupEntryLength), group[i]);
            }
            writer.WriteAttribute(Rtnl.NHA_GROUP, entries);
        }
        if (fdb)
        {
            writer.WriteAttribute(Rtnl.NHA_FDB, []);
        }
        writer.EndMessage();
    }

    private static List<(ushort Type, NeighborRecord Record)> Records(NetlinkWriter writer)
    {
        var records = new List<(ushort, NeighborRecord)>();
        foreach (var message in new NetlinkReader(writer.Written))
        {
            Assert.True(NeighborRecord.TryParse(message, out var record));
            records.Add((message.Type, record));
        }
        return records;
    }

    [Fact]
    public void A_withdrawn_mac_becomes_two_requests_so_a_local_takeover_cannot_block_the_vxlan_delete()
    {
        var writer = new NetlinkWriter();
        uint sequence = 0;
        var entry = new FdbEntry(100, MacAddress.Parse("02:00:00:00:00:07"), IpAddr.Parse("10.0.0.9"));

        Assert.Equal(2, IntentEncoder.Write(writer, new DataPlaneIntent.RemoveFdb(entry), TopologyWithVni100(), default, ref sequence, out _));

        var flags = new List<byte>();
        foreach (var message in new NetlinkReader(writer.Written))
        {
            Assert.Equal(Rtnl.RTM_DELNEIGH, message.Type);
            Assert.True(NeighborRecord.TryParse(message, out var record));
            flags.Add(record.Flags);
        }
        Assert.Equal([Rtnl.NTF_SELF, Rtnl.NTF_MASTER], flags);
    }

    [Fact]
    public void An_entry_for_an_unknown_vni_writes_nothing_and_says_why_unless_it_is_a_removal()
    {
        var writer = new NetlinkWriter();
        uint sequence = 0;
        var entry = new FdbEntry(999, MacAddress.Parse("02:00:00:00:00:07"), IpAddr.Parse("10.0.0.9"));

        Assert.Equal(0, IntentEncoder.Write(writer, new DataPlaneIntent.AddFdb(entry), TopologyWithVni100(), default, ref sequence, out var addFailure));
        Assert.Equal(Errno.ENODEV, addFailure.ErrorCode);
        Assert.Equal(0, IntentEncoder.Write(writer, new DataPlaneIntent.RemoveFdb(entry), TopologyWithVni100(), default, ref sequence, out var removeFailure));
        Assert.True(removeFailure.Succeeded);
        Assert.Equal(0, writer.Length);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 4, 0, 0, 0, 28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Malformed_datagrams_end_the_walk_without_an_exception(byte[] datagram)
    {
        var count = 0;
        foreach (var _ in new NetlinkReader(datagram))
        {
            count++;
        }
        Assert.Equal(0, count);
    }

    [Fact]
    public void A_truncated_attribute_ends_the_attribute_walk()
    {
        byte[] attributes = [8, 0, 1, 0, 1, 2, 3, 4, 40, 0, 2, 0, 9];
        var seen = new List<ushort>();
        foreach (var attribute in new AttributeReader(attributes))
        {
            seen.Add(attribute.Type);
        }
        Assert.Equal([(ushort)1], seen);
    }

    [Theory]
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_BRIDGE, Rtnl.NTF_SELF | Rtnl.NTF_EXT_LEARNED, false)]
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_BRIDGE, Rtnl.NTF_SELF | Rtnl.NTF_EXT_LEARNED | Rtnl.NTF_STICKY, false)]
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_BRIDGE, Rtnl.NTF_EXT_LEARNED, false)]
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_BRIDGE, Rtnl.NTF_EXT_LEARNED | Rtnl.NTF_STICKY, false)]
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_INET, Rtnl.NTF_EXT_LEARNED, false)]
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_INET6, Rtnl.NTF_EXT_LEARNED, false)]
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_BRIDGE, Rtnl.NTF_SELF, true)]
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_BRIDGE, Rtnl.NTF_STICKY, true)]
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_BRIDGE, 0, true)]
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_INET, 0, true)]
    [InlineData(Rtnl.RTM_NEWLINK, Rtnl.AF_BRIDGE, Rtnl.NTF_SELF | Rtnl.NTF_EXT_LEARNED, true)]
    public void The_notification_filter_drops_only_extern_learn_entries(ushort type, byte family, byte flags, bool accepted)
    {
        Assert.Equal(accepted, RunClassicBpf(OwnEntryFilter.Program(RequestsPortId), Notification(type, family, Rtnl.NUD_NOARP, flags, portId: 0)) != 0);
    }

    private const uint RequestsPortId = 0x8000_1234;

    [Theory]
    // A removal evpnd asked for: the entry goes FAILED (notified with evpnd's port id), then is deleted (by the kernel).
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_INET, Rtnl.NUD_FAILED, RequestsPortId, false)]
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_INET, Rtnl.NUD_FAILED, 0u, false)]
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_INET6, Rtnl.NUD_FAILED, 0u, false)]
    // Someone else's removal, and a local host that stopped answering: the FAILED update says the IP is gone.
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_INET, Rtnl.NUD_FAILED, 4242u, true)]
    [InlineData(Rtnl.RTM_NEWNEIGH, Rtnl.AF_INET6, Rtnl.NUD_FAILED, 0u, true)]
    // A local entry deleted while still valid (garbage collected, or its device went down).
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_INET, Rtnl.NUD_STALE, 0u, true)]
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_INET, Rtnl.NUD_NOARP, 4242u, true)]
    // FDB entries are not ARP/ND entries: a bridge entry's deletion always passes.
    [InlineData(Rtnl.RTM_DELNEIGH, Rtnl.AF_BRIDGE, Rtnl.NUD_FAILED, 0u, true)]
    public void The_notification_filter_drops_the_notifications_of_a_neighbor_removal_evpnd_asked_for(ushort type, byte family, ushort state, uint portId, bool accepted)
    {
        Assert.Equal(accepted, RunClassicBpf(OwnEntryFilter.Program(RequestsPortId), Notification(type, family, state, 0, portId)) != 0);
    }

    [Fact]
    public void Without_a_requests_socket_the_filter_keeps_the_kernels_own_notifications()
    {
        Assert.NotEqual(0u, RunClassicBpf(OwnEntryFilter.Program(0), Notification(Rtnl.RTM_NEWNEIGH, Rtnl.AF_INET, Rtnl.NUD_FAILED, 0, portId: 0)));
    }

    /// <summary>A neighbor notification as the kernel sends it: nlmsg_pid is the port id of the socket whose
    /// request caused it, 0 for the kernel's own changes.</summary>
    private static byte[] Notification(ushort type, byte family, ushort state, byte flags, uint portId)
    {
        var writer = new NetlinkWriter();
        writer.BeginMessage(type, 0, 1);
        writer.WriteNdMsg(family, 6, state, flags);
        writer.EndMessage();
        var message = writer.Written.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), portId);
        return message;
    }

    /// <summary>The part of classic BPF the filter uses (absolute byte/half/word loads, AND, JEQ, RET), with the
    /// kernel's semantics: loads are big-endian.</summary>
    private static uint RunClassicBpf(LibC.SockFilter[] program, ReadOnlySpan<byte> packet)
    {
        uint a = 0;
        for (var pc = 0; pc < program.Length; pc++)
        {
            var i = program[pc];
            switch (i.Code)
            {
                case 0x20: a = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet[(int)i.K..]); break;
                case 0x30: a = packet[(int)i.K]; break;
                case 0x28: a = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(packet[(int)i.K..]); break;
                case 0x54: a &= i.K; break;
                case 0x15: pc += a == i.K ? i.JumpTrue : i.JumpFalse; break;
                case 0x06: return i.K;
                default: throw new InvalidOperationException($"opcode {i.Code:x} not modelled");
            }
        }
        throw new InvalidOperationException("the program fell off its end");
    }
}
