using Evpn.Wire;
using Evpn.Wire.Model;
using static Evpn.Rib.Tests.Build;

namespace Evpn.Rib.Tests;

/// <summary>The outbound batches become UPDATE messages through the codec's packer and decode back.</summary>
public class OutboundPackingTests
{
    [Fact]
    public void Outbound_batches_pack_into_updates_that_decode_to_the_same_routes()
    {
        var rib = NewRib();
        for (var i = 0; i < 300; i++)
        {
            rib.Originate(Mac("10.0.0.1:1", $"52:54:00:00:{i / 256:x2}:{i % 256:x2}", $"192.0.2.{i % 250 + 1}"), Attrs(), Self);
        }
        rib.Process();
        rib.PeerUp(Ibgp("10.0.0.2"));
        var messages = Assert.Single(rib.TakeOutbound()).ToMessages(DecodeContext.FourOctetAs).Messages;

        Assert.True(messages.Count > 2, "300 MAC+IP routes do not fit one 4096-octet UPDATE");
        Assert.True(messages[^1].IsEndOfRib(out var family));
        Assert.Equal(AfiSafi.L2vpnEvpn, family);
        var decoded = new List<EvpnRoute>();
        foreach (var message in messages.Take(messages.Count - 1))
        {
            var bytes = BgpEncoder.Encode(message, DecodeContext.FourOctetAs);
            Assert.True(bytes.Length <= 4096);
            var update = Assert.IsType<UpdateMessage>(BgpDecoder.Decode(bytes, DecodeContext.FourOctetAs).Message);
            Assert.Equal(Self, update.MpReach!.NextHop);
            decoded.AddRange(update.MpReach.Nlri.Select(n => n.Evpn!));
        }
        Assert.Equal(300, decoded.Distinct().Count());
    }

    [Fact]
    public void Withdrawals_pack_into_mp_unreach()
    {
        var rib = NewRib();
        var route = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Originate(route, Attrs(), Self);
        rib.Process();
        rib.TakeOutbound();
        rib.WithdrawLocal(route);
        rib.Process();
        var message = Assert.Single(Assert.Single(rib.TakeOutbound()).ToMessages(DecodeContext.FourOctetAs).Messages);
        Assert.Equal(route, Assert.Single(message.MpUnreach!.Nlri).Evpn);
    }

    [Fact]
    public void A_route_too_large_for_the_peer_is_withheld_and_withdrawn_while_the_others_are_announced()
    {
        var rib = NewRib();
        var small = Mac("10.0.0.1:1", "52:54:00:00:00:01");
        var large = Mac("10.0.0.1:1", "52:54:00:00:00:02");
        rib.PeerUp(Ibgp("10.0.0.2"));
        rib.Originate(small, Attrs(), Self);
        rib.Originate(large, Attrs() with { Communities = Enumerable.Range(0, 1000).Select(i => 0xFDE8_0000u + (uint)i).ToArray() }, Self);
        rib.Process();

        var packed = Assert.Single(rib.TakeOutbound()).ToMessages(DecodeContext.FourOctetAs);

        Assert.Equal([large], packed.Withheld);
        // RFC 8654 section 4: withdrawn (an earlier, smaller version may have been sent), never announced.
        Assert.Equal(large, Assert.Single(Assert.Single(packed.Messages, m => m.MpUnreach is { Nlri.Count: > 0 }).MpUnreach!.Nlri).Evpn);
        var announced = packed.Messages.Where(m => m.MpReach is not null).SelectMany(m => m.MpReach!.Nlri).Select(n => n.Evpn).ToList();
        Assert.Equal([small], announced);
        Assert.All(packed.Messages, m => Assert.True(BgpEncoder.Encode(m, DecodeContext.FourOctetAs).Length <= 4096));
        Assert.DoesNotContain(packed.Messages, m => m.MpReach is not null && m.Attributes.Communities.Count > 0);
    }
}
