using Evpn.LoadGen;
using Evpn.Testing.EndToEnd;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>A peer repeating one malformed UPDATE cannot flood evpnd's log: 1,000 UPDATEs with a bad ORIGIN
/// (RFC 7606 section 7.1: treat-as-withdraw) give one warning and a counter of 1,000.</summary>
[Collection(EvpndCollection.Name)]
public sealed class MalformedUpdateLogTests
{
    [RequiresFact(Requirement.Root)]
    public async Task A_thousand_malformed_updates_give_one_log_line_and_a_counter_of_a_thousand()
    {
        var source = LoopbackAddresses.Next();
        await using var evpnd = await SingleDaemon.StartAsync("malformed", LoopbackAddresses.Next(), $"""
              - address: {source}
                remote-as: 65100
                passive: true
            """);
        await using var peer = await evpnd.ConnectAsync(source, routes: 1);
        var options = evpnd.PeerOptions(routes: 1);
        var update = new RouteEncoding(options, external: true).Announcements(LoadPlan.Build(options).Initial, withType3: false, peer.Context).Single();
        var bytes = BgpEncoder.Encode(update, peer.Context).ToArray();
        bytes[OriginValueOffset(bytes)] = 7;

        await peer.SendRawAsync(Enumerable.Repeat(bytes, 1000).SelectMany(b => b).ToArray(), CancellationToken.None);

        var counter = $"evpn_bgp_update_errors_total{{action=\"treat-as-withdraw\",peer=\"{source}\"}}";
        await Eventually.UntilAsync(async () => await evpnd.SampleAsync(counter) == 1000, "1,000 treat-as-withdraw counted", evpnd.Process.Describe);
        Assert.Equal(1, evpnd.LogLines("malformed UPDATE"));
        Assert.Null(peer.ClosedReason);
    }

    /// <summary>Where the ORIGIN attribute's value is (RFC 4271 section 4.3): path attributes follow the 19-octet
    /// header, the withdrawn routes length (0 here) and the path attributes length; each is flags, type and a
    /// length of one octet, or two with the Extended Length bit.</summary>
    private static int OriginValueOffset(byte[] update)
    {
        var offset = 23;
        var end = offset + ((update[21] << 8) | update[22]);
        while (offset < end)
        {
            var extended = (update[offset] & 0x10) != 0;
            var header = extended ? 4 : 3;
            var length = extended ? (update[offset + 2] << 8) | update[offset + 3] : update[offset + 2];
            if (update[offset + 1] == 1)
            {
                Assert.Equal(1, length);
                return offset + header;
            }
            offset += header + length;
        }
        throw new InvalidOperationException("the UPDATE has no ORIGIN");
    }
}
