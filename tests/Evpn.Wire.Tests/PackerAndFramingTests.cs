using System.Buffers;
using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

public class UpdatePackerTests
{
    private static readonly PathAttributes Attributes = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.Empty.Prepend(65001),
        ExtendedCommunities = new[] { ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.RouteTargetAs2(65001, 100) },
    };

    private static Nlri[] MacIpRoutes(int count) => Enumerable.Range(0, count)
        .Select(i => (Nlri)new MacIpAdvertisementRoute(RouteDistinguisher.FromIPv4(0x0A000001, 1), EthernetSegmentId.Zero, 0,
            new MacAddress(0x5254_0000_0000UL + (ulong)i), IpAddr.FromV4(0x0A010000u + (uint)i), EvpnLabel.FromVni(100)))
        .ToArray();

    [Theory]
    [InlineData(false, 4096)]
    [InlineData(true, 65535)]
    public void Announcements_fill_each_update_up_to_the_maximum_and_lose_nothing(bool extended, int max)
    {
        var context = DecodeContext.FourOctetAs with { ExtendedMessage = extended };
        var routes = MacIpRoutes(5000);

        var updates = UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, Attributes, IpAddr.Parse("10.0.0.1"), routes, context).Updates;

        var sizes = updates.Select(u => BgpEncoder.Encode(u, context).Length).ToList();
        Assert.All(sizes, s => Assert.True(s <= max));
        // Every UPDATE but the last is full: one more type-2 MAC+IPv4 route (39 octets) would not fit.
        Assert.All(sizes.SkipLast(1), s => Assert.True(s + 39 > max, $"{s} octets leaves room for another route"));
        var decoded = updates.SelectMany(u => ((UpdateMessage)BgpDecoder.Decode(BgpEncoder.Encode(u, context), context).Message!).MpReach!.Nlri);
        Assert.Equal(routes, decoded);
        Assert.All(updates, u => Assert.Equal(Attributes, u.Attributes));
    }

    [Fact]
    public void A_route_too_large_for_4096_octets_is_withheld_not_thrown_and_the_others_are_packed()
    {
        // About 1,000 communities: the attributes alone take more than 4,000 octets.
        var large = Attributes with { Communities = Enumerable.Range(0, 1000).Select(i => 0xFDE8_0000u + (uint)i).ToArray() };
        var routes = MacIpRoutes(3);
        var plain = DecodeContext.FourOctetAs;
        var extended = plain with { ExtendedMessage = true };

        var toPlain = UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, large, IpAddr.Parse("10.0.0.1"), routes, plain);
        var toExtended = UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, large, IpAddr.Parse("10.0.0.1"), routes, extended);

        Assert.Empty(toPlain.Updates);
        Assert.Equal(routes, toPlain.Withheld);
        Assert.Empty(toExtended.Withheld);
        var single = Assert.Single(toExtended.Updates);
        Assert.InRange(BgpEncoder.Encode(single, extended).Length, 4097, 65535);
        Assert.Equal(routes, single.MpReach!.Nlri);
    }

    [Fact]
    public void A_route_whose_update_alone_takes_exactly_4096_octets_is_sent_and_one_octet_more_is_withheld()
    {
        // A type-2 route with an IPv6 address and attributes that leave it exactly room: its MP_REACH_NLRI is short
        // enough for the 3-octet attribute header, which the packed UPDATEs' extended-length header would exceed by one.
        var route = (Nlri)new MacIpAdvertisementRoute(RouteDistinguisher.FromIPv4(0x0A000001, 1), EthernetSegmentId.Zero, 0,
            new MacAddress(0x5254_0000_0001UL), IpAddr.Parse("2001:db8::1"), EvpnLabel.FromVni(100));
        var context = DecodeContext.Default;
        var nextHop = IpAddr.Parse("10.0.0.1");
        PathAttributes WithPadding(int octets) => Attributes with { Unrecognized = new[] { new RawAttribute(0xC0, 0xF1, new byte[octets]) } };
        int AloneLength(int octets) =>
            BgpEncoder.Encode(UpdateMessage.Announce(AfiSafi.L2vpnEvpn, nextHop, WithPadding(octets), new[] { route }), context with { ExtendedMessage = true }).Length;
        var padding = 3000 + (4096 - AloneLength(3000));
        Assert.Equal(4096, AloneLength(padding));

        var fits = UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, WithPadding(padding), nextHop, [route], context);
        var tooLarge = UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, WithPadding(padding + 1), nextHop, [route], context);

        Assert.Empty(fits.Withheld);
        var bytes = BgpEncoder.Encode(Assert.Single(fits.Updates), context);
        Assert.Equal(4096, bytes.Length);
        var decoded = BgpDecoder.Decode(bytes, context);
        Assert.True(decoded.Errors.IsEmpty);
        Assert.Equal([route], ((UpdateMessage)decoded.Message!).MpReach!.Nlri);
        Assert.Empty(tooLarge.Updates);
        Assert.Equal([route], tooLarge.Withheld);
    }

    [Fact]
    public void Withdrawals_are_packed_too_for_evpn_and_ipv4()
    {
        var context = DecodeContext.FourOctetAs;
        var routes = MacIpRoutes(500);
        var prefixes = Enumerable.Range(0, 2000).Select(i => (Nlri)new IpPrefix(IpAddr.FromV4(0x0A000000u + ((uint)i << 8)), 24)).ToArray();

        var evpn = UpdatePacker.PackWithdrawals(AfiSafi.L2vpnEvpn, routes, context);
        var ipv4 = UpdatePacker.PackWithdrawals(AfiSafi.Ipv4Unicast, prefixes, context);

        Assert.True(evpn.Count > 1);
        Assert.Equal(routes, evpn.SelectMany(u => u.MpUnreach!.Nlri));
        Assert.Equal(prefixes, ipv4.SelectMany(u => u.Withdrawn));
        Assert.All(evpn.Concat(ipv4), u => Assert.True(BgpEncoder.Encode(u, context).Length <= 4096));
        Assert.Empty(UpdatePacker.PackWithdrawals(AfiSafi.L2vpnEvpn, [], context));
    }

    [Fact]
    public void Ipv4_announcements_go_in_the_nlri_field_with_next_hop()
    {
        var context = DecodeContext.FourOctetAs with { AddPathSend = new[] { AfiSafi.Ipv4Unicast } };
        var prefixes = Enumerable.Range(0, 1500).Select(i => Nlri.ForPrefix(new IpPrefix(IpAddr.FromV4(0x0A000000u + ((uint)i << 8)), 24), (uint)i)).ToArray();

        var updates = UpdatePacker.PackAnnouncements(AfiSafi.Ipv4Unicast, Attributes, IpAddr.Parse("10.0.0.1"), prefixes, context).Updates;

        Assert.Equal(prefixes, updates.SelectMany(u => u.Nlri));
        Assert.All(updates, u => Assert.Equal(IpAddr.Parse("10.0.0.1"), u.Attributes.NextHop));
        Assert.All(updates, u => Assert.True(BgpEncoder.Encode(u, context).Length <= 4096));
    }
}

public class FramingTests
{
    private static readonly byte[] Stream = Fixtures.Names.SelectMany(Fixtures.Load).ToArray();

    /// <summary>A sequence made of segments of the given sizes, as a pipe hands them out.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        var chunks = bytes.Chunk(segmentSize).ToList();
        var first = new Segment(chunks[0], 0);
        var last = first;
        foreach (var chunk in chunks.Skip(1))
        {
            last = last.Append(chunk);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(19)]
    [InlineData(100)]
    [InlineData(100000)]
    public void Messages_are_framed_whatever_the_segment_boundaries(int segmentSize)
    {
        var buffer = Segmented(Stream, segmentSize);
        var messages = new List<byte[]>();

        while (BgpFraming.TryReadMessage(ref buffer, Fixtures.Context, out var frame))
        {
            Assert.Null(frame.Error);
            var result = BgpDecoder.Decode(frame.Message, Fixtures.Context);
            Assert.Empty(result.Errors);
            messages.Add(frame.Message.ToArray());
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal(Fixtures.Names.Select(Fixtures.Load), messages);
    }

    [Fact]
    public void A_partial_header_or_body_needs_more_data_and_consumes_nothing()
    {
        var open = Fixtures.Load("frame-004-1-open");
        foreach (var cut in new[] { 0, 1, 18, 19, open.Length - 1 })
        {
            var buffer = new ReadOnlySequence<byte>(open, 0, cut);
            Assert.False(BgpFraming.TryReadMessage(ref buffer, Fixtures.Context, out _));
            Assert.Equal(cut, buffer.Length);
        }
    }

    [Theory]
    [InlineData("fffffffffffffffffffffffffffffffe 0013 04", MessageHeaderErrorSubcode.ConnectionNotSynchronized)]
    [InlineData("ffffffffffffffffffffffffffffffff 0012 04", MessageHeaderErrorSubcode.BadMessageLength)]
    [InlineData("ffffffffffffffffffffffffffffffff 0014 04", MessageHeaderErrorSubcode.BadMessageLength)]
    [InlineData("ffffffffffffffffffffffffffffffff 1001 02", MessageHeaderErrorSubcode.BadMessageLength)]
    [InlineData("ffffffffffffffffffffffffffffffff 001c 01", MessageHeaderErrorSubcode.BadMessageLength)]
    [InlineData("ffffffffffffffffffffffffffffffff 0013 06", MessageHeaderErrorSubcode.BadMessageType)]
    public void Header_errors_reset_the_session_with_a_message_header_error(string hex, byte subcode)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.Concat(Bytes.Hex(hex), new byte[8000]));

        Assert.True(BgpFraming.TryReadMessage(ref buffer, Fixtures.Context, out var frame));

        Assert.NotNull(frame.Error);
        Assert.Equal(ErrorAction.SessionReset, frame.Error.Action);
        Assert.Equal(NotificationCode.MessageHeaderError, frame.Error.Code);
        Assert.Equal(subcode, frame.Error.Subcode);
        var notification = Notifications.For(frame.Error);
        Assert.Equal(NotificationCode.MessageHeaderError, notification.Code);
        // RFC 4271 section 6.1: Bad Message Length carries the erroneous Length field, Bad Message Type the Type
        // field, Connection Not Synchronized nothing.
        var header = Bytes.Hex(hex);
        var data = subcode switch
        {
            MessageHeaderErrorSubcode.BadMessageLength => header[16..18],
            MessageHeaderErrorSubcode.BadMessageType => header[18..19],
            _ => [],
        };
        Assert.Equal(data, notification.Data.ToArray());
    }

    [Fact]
    public void Extended_message_raises_the_update_limit_but_not_the_open_limit()
    {
        var context = DecodeContext.FourOctetAs with { ExtendedMessage = true };
        var bigUpdate = new ReadOnlySequence<byte>(Bytes.Concat(Bytes.Hex("ffffffffffffffffffffffffffffffff 2000 02"), new byte[0x2000]));
        var bigOpen = new ReadOnlySequence<byte>(Bytes.Concat(Bytes.Hex("ffffffffffffffffffffffffffffffff 2000 01"), new byte[0x2000]));

        Assert.True(BgpFraming.TryReadMessage(ref bigUpdate, context, out var update));
        Assert.Null(update.Error);
        Assert.True(BgpFraming.TryReadMessage(ref bigOpen, context, out var open));
        Assert.NotNull(open.Error);
    }

    [Fact]
    public void Only_session_fatal_errors_become_a_notification()
    {
        var discard = new BgpError(ErrorAction.AttributeDiscard, NotificationCode.UpdateMessageError, 5, EquatableArray<byte>.Empty, "x");
        var reset = discard with { Action = ErrorAction.SessionReset };

        Assert.Throws<InvalidOperationException>(() => Notifications.For(discard));
        Assert.Equal(new NotificationMessage(NotificationCode.UpdateMessageError, 5), Notifications.For(reset));
        Assert.Same(reset, BgpError.Stronger(discard, reset));
        Assert.Same(reset, BgpError.Stronger(reset, discard));
        Assert.True(ErrorAction.None < ErrorAction.AttributeDiscard && ErrorAction.AttributeDiscard < ErrorAction.TreatAsWithdraw
            && ErrorAction.TreatAsWithdraw < ErrorAction.AfiSafiDisable && ErrorAction.AfiSafiDisable < ErrorAction.SessionReset);
    }
}
