using System.Buffers;
using System.Buffers.Binary;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Wire.Tests;

/// <summary>Bounded, seeded mutation fuzzing over the captured messages: random bit flips, truncations,
/// length-field edits and insertions. The decoder must not throw, must finish (a run that exceeds the generous hang guard fails with a TimeoutException), and whatever decodes
/// without error must re-encode to bytes that decode to the same value.</summary>
public class MutationFuzzTests
{
    private const int MutationsPerMessage = 400;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(180);

    private static readonly DecodeContext[] Contexts =
    [
        DecodeContext.FourOctetAs,
        DecodeContext.Default,
        DecodeContext.FourOctetAs with
        {
            ExtendedMessage = true,
            AddPathReceive = new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn },
            AddPathSend = new[] { AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, AfiSafi.L2vpnEvpn },
        },
    ];

    /// <summary>One mutation of <paramref name="original"/>; the header length is kept consistent half of the
    /// time so that mutations reach the body decoders rather than stopping at the header check.</summary>
    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        // A KEEPALIVE has no body: only its header fields can be flipped, or bytes added.
        var kind = bytes.Length > BgpFraming.HeaderLength ? random.Next(5) : random.Next(2) * 3;
        switch (kind)
        {
            case 0:
                for (var i = random.Next(1, 5); i > 0; i--)
                {
                    var at = random.Next(BgpFraming.HeaderLength - 3, bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                break;
            case 1:
                bytes = bytes[..random.Next(BgpFraming.HeaderLength, bytes.Length + 1)];
                break;
            case 2:
                // A length-like field: set one or two octets to a boundary value.
                var offset = random.Next(BgpFraming.HeaderLength, bytes.Length);
                byte[] values = [0, 1, 2, 3, 4, 0x10, 0x20, 0x21, 0x30, 0x80, 0x81, 0xFE, 0xFF];
                bytes[offset] = values[random.Next(values.Length)];
                if (random.Next(2) == 0 && offset + 1 < bytes.Length)
                {
                    bytes[offset + 1] = values[random.Next(values.Length)];
                }
                break;
            case 3:
                var insertAt = random.Next(BgpFraming.HeaderLength, bytes.Length + 1);
                var extra = new byte[random.Next(1, 8)];
                random.NextBytes(extra);
                bytes = [.. bytes[..insertAt], .. extra, .. bytes[insertAt..]];
                break;
            default:
                var start = random.Next(BgpFraming.HeaderLength, bytes.Length);
                var count = random.Next(1, Math.Min(8, bytes.Length - start) + 1);
                bytes = [.. bytes[..start], .. bytes[(start + count)..]];
                break;
        }
        if (random.Next(2) == 0 && bytes.Length <= ushort.MaxValue)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(BgpFraming.MarkerLength), (ushort)bytes.Length);
        }
        return bytes;
    }

    [Fact]
    public async Task Mutated_captured_messages_never_throw_and_clean_decodes_round_trip()
    {
        var random = new Random(7606);
        var originals = Fixtures.Names.Select(Fixtures.Load).ToArray();
        var clean = 0;
        var rejected = 0;

        var run = Task.Run(() =>
        {
            foreach (var original in originals)
            {
                for (var i = 0; i < MutationsPerMessage; i++)
                {
                    var mutated = Mutate(original, random);
                    var context = Contexts[random.Next(Contexts.Length)];
                    var result = BgpDecoder.Decode(mutated, context);
                    if (result.Message is null || !result.Errors.IsEmpty)
                    {
                        rejected++;
                        continue;
                    }
                    clean++;
                    var reencoded = BgpEncoder.Encode(result.Message, context);
                    var again = BgpDecoder.Decode(reencoded, context);
                    Assert.True(again.Errors.IsEmpty, $"re-encoded {Convert.ToHexString(mutated)} decodes with {again}");
                    Assert.Equal(result.Message, again.Message);
                }
            }
        });

        await run.WaitAsync(HangGuard);
        Assert.True(clean > 1000, $"only {clean} mutations decoded cleanly");
        Assert.True(rejected > 1000, $"only {rejected} mutations were rejected");
    }

    [Fact]
    public async Task Framing_a_mutated_stream_always_terminates_and_never_throws()
    {
        var random = new Random(4271);
        var stream = Fixtures.Names.SelectMany(Fixtures.Load).ToArray();

        var run = Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                var mutated = (byte[])stream.Clone();
                for (var flips = random.Next(1, 10); flips > 0; flips--)
                {
                    mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                }
                var buffer = new ReadOnlySequence<byte>(mutated);
                while (BgpFraming.TryReadMessage(ref buffer, DecodeContext.FourOctetAs, out var frame) && frame.Error is null)
                {
                    BgpDecoder.Decode(frame.Message, DecodeContext.FourOctetAs);
                }
            }
        });

        await run.WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Random_bytes_behind_a_valid_header_never_throw()
    {
        var random = new Random(9072);
        var run = Task.Run(() =>
        {
            for (var i = 0; i < 20000; i++)
            {
                var body = new byte[random.Next(0, 200)];
                random.NextBytes(body);
                var type = (byte)random.Next(1, 6);
                var message = Bytes.Message(type, body);
                var result = BgpDecoder.Decode(message, Contexts[i % Contexts.Length]);
                Assert.True(result.Message is not null || result.IsSessionFatal);
                var records = new byte[random.Next(0, 64)];
                random.NextBytes(records);
                MrtReader.TryRead(records, out _, out _, out _);
            }
        });

        await run.WaitAsync(HangGuard);
    }
}
