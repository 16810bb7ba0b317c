using System.Buffers;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Wire.Tests;

public class MrtTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 22, 3, 11, 0, TimeSpan.Zero);

    private static List<MrtRecord> ReadAll(byte[] file)
    {
        var records = new List<MrtRecord>();
        var offset = 0;
        while (offset < file.Length)
        {
            Assert.Equal(MrtReadStatus.Record, MrtReader.TryRead(file.AsSpan(offset), out var record, out var consumed, out var error));
            Assert.Null(error);
            records.Add(record!);
            offset += consumed;
        }
        return records;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Records_written_for_every_captured_message_read_back_with_their_peer_header(bool extendedTimestamp)
    {
        var messages = Fixtures.Names.Select(Fixtures.Load).ToList();
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < messages.Count; i++)
        {
            MrtWriter.WriteMessageAs4(output, Time.AddTicks(i * 1234560), 65002, 65001, IpAddr.Parse("10.0.0.2"), IpAddr.Parse("10.0.0.1"),
                messages[i], local: i % 2 == 0, extendedTimestamp);
        }

        var records = ReadAll(output.WrittenSpan.ToArray());

        Assert.Equal(messages.Count, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            Assert.Equal(extendedTimestamp ? MrtTypes.Bgp4MpEt : MrtTypes.Bgp4Mp, r.Type);
            Assert.Equal(i % 2 == 0 ? MrtTypes.MessageAs4Local : MrtTypes.MessageAs4, r.Subtype);
            var expectedTime = Time.AddTicks(i * 1234560);
            Assert.Equal(extendedTimestamp ? expectedTime : expectedTime.AddTicks(-(expectedTime.UtcTicks % TimeSpan.TicksPerSecond)), r.Timestamp);
            var entry = r.Bgp4Mp!;
            Assert.Equal((65002u, 65001u), (entry.PeerAs, entry.LocalAs));
            Assert.Equal((IpAddr.Parse("10.0.0.2"), IpAddr.Parse("10.0.0.1")), (entry.PeerIp, entry.LocalIp));
            Assert.Equal(i % 2 == 0, entry.Local);
            Assert.True(entry.FourOctetAs);
            Assert.Equal(messages[i], entry.Message.AsImmutableArray().ToArray());
            Assert.Empty(BgpDecoder.Decode(entry.Message.AsImmutableArray().AsSpan(), entry.DecodeContext).Errors);
        }
    }

    [Fact]
    public void A_hand_built_bgp4mp_et_record_with_ipv6_peers_is_read()
    {
        // RFC 6396 sections 2, 3 and 4.4.3: timestamp 0x69213d6c, type 17, subtype 4, length, microseconds 123456,
        // peer AS 4200000000, local AS 65001, ifindex 7, AFI 2, peer 2001:db8::2, local 2001:db8::1, KEEPALIVE.
        var record = Bytes.Hex(
            "69213d6c 0011 0004 00000043 0001e240" +
            "fa56ea00 0000fde9 0007 0002" +
            "20010db8000000000000000000000002 20010db8000000000000000000000001" +
            "ffffffffffffffffffffffffffffffff 0013 04");

        Assert.Equal(MrtReadStatus.Record, MrtReader.TryRead(record, out var read, out var consumed, out _));

        Assert.Equal(record.Length, consumed);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x69213d6c).AddTicks(1234560), read!.Timestamp);
        var entry = read.Bgp4Mp!;
        Assert.Equal(4200000000u, entry.PeerAs);
        Assert.Equal((ushort)7, entry.InterfaceIndex);
        Assert.Equal(IpAddr.Parse("2001:db8::2"), entry.PeerIp);
        Assert.Equal(IpAddr.Parse("2001:db8::1"), entry.LocalIp);
        Assert.IsType<KeepaliveMessage>(BgpDecoder.Decode(entry.Message.AsImmutableArray().AsSpan(), entry.DecodeContext).Message);
    }

    [Fact]
    public void Two_octet_as_messages_and_state_changes_are_read()
    {
        var message = Bytes.Hex("69213d6c 0010 0001 00000023 fdea fde9 0000 0001 0a000002 0a000001 ffffffffffffffffffffffffffffffff 0013 04");
        var state = Bytes.Hex("69213d6c 0010 0005 00000018 0000fdea 0000fde9 0000 0001 0a000002 0a000001 0005 0006");

        Assert.Equal(MrtReadStatus.Record, MrtReader.TryRead(message, out var m, out _, out _));
        Assert.Equal(MrtReadStatus.Record, MrtReader.TryRead(state, out var s, out _, out _));

        Assert.False(m!.Bgp4Mp!.FourOctetAs);
        Assert.Equal(65002u, m.Bgp4Mp.PeerAs);
        Assert.False(m.Bgp4Mp.DecodeContext.FourOctetAsn);
        Assert.True(s!.Bgp4Mp!.IsStateChange);
        Assert.Equal(((ushort)5, (ushort)6), (s.Bgp4Mp.OldState, s.Bgp4Mp.NewState));
    }

    [Fact]
    public void Other_record_types_are_kept_without_a_bgp4mp_view()
    {
        var tableDump = Bytes.Hex("69213d6c 000d 0001 00000002 abcd");

        Assert.Equal(MrtReadStatus.Record, MrtReader.TryRead(tableDump, out var record, out _, out _));

        Assert.Null(record!.Bgp4Mp);
        Assert.Equal(Bytes.Hex("abcd"), record.Body.AsImmutableArray().ToArray());
    }

    [Theory]
    [InlineData("69213d6c 0010 0004", MrtReadStatus.NeedMoreData)]
    [InlineData("69213d6c 0010 0004 00000010 0000", MrtReadStatus.NeedMoreData)]
    [InlineData("69213d6c 0010 0004 7fffffff", MrtReadStatus.Malformed)]
    [InlineData("69213d6c 0011 0004 00000002 0000", MrtReadStatus.Malformed)]
    [InlineData("69213d6c 0010 0004 00000006 0000fdea 0000", MrtReadStatus.Malformed)]
    [InlineData("69213d6c 0010 0004 00000014 0000fdea 0000fde9 0000 0009 0a000002 0a000001", MrtReadStatus.Malformed)]
    [InlineData("69213d6c 0010 0004 00000014 0000fdea 0000fde9 0000 0001 0a000002 0a000001", MrtReadStatus.Malformed)]
    public void Short_or_malformed_records_are_reported(string hex, MrtReadStatus expected)
    {
        Assert.Equal(expected, MrtReader.TryRead(Bytes.Hex(hex), out _, out _, out var error));
        Assert.Equal(expected == MrtReadStatus.Malformed, error is not null);
    }
}
