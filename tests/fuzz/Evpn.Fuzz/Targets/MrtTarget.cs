using System.Buffers;
using Evpn.Wire;
using Evpn.Wire.Mrt;

namespace Evpn.Fuzz.Targets;

/// <summary>An MRT file (RFC 6396) as <c>evpnctl decode</c> reads it: record after record until the data runs
/// out or a record is malformed; each BGP4MP message decoded under the context its subtype gives. A
/// BGP4MP_MESSAGE_AS4(_LOCAL) record written back by <see cref="MrtWriter"/> reads back as the same record.</summary>
public sealed class MrtTarget : IFuzzTarget
{
    public string Name => "mrt";

    public void Run(ReadOnlySpan<byte> input)
    {
        var offset = 0;
        while (offset < input.Length)
        {
            var status = MrtReader.TryRead(input[offset..], out var record, out var consumed, out var error);
            switch (status)
            {
                case MrtReadStatus.NeedMoreData:
                    PropertyViolation.Unless(record is null && consumed == 0, "need-more-data with a record");
                    return;
                case MrtReadStatus.Malformed:
                    PropertyViolation.Unless(!string.IsNullOrEmpty(error), "a malformed record without a reason");
                    return;
            }
            PropertyViolation.Unless(record is not null && error is null, "a record status without a record");
            PropertyViolation.Unless(consumed >= MrtReader.HeaderLength && consumed <= input.Length - offset,
                $"record of {consumed} octets at {offset} of {input.Length}");
            if (record!.Bgp4Mp is { IsStateChange: false } entry)
            {
                BgpChecks.DecodeAndCheck(entry.Message.AsSpan(), entry.DecodeContext);
                CheckRewrite(record, entry);
            }
            offset += consumed;
        }
    }

    private static void CheckRewrite(MrtRecord record, Bgp4MpEntry entry)
    {
        if (record.Subtype is not (MrtTypes.MessageAs4 or MrtTypes.MessageAs4Local) || entry.PeerIp.IsV6 != entry.LocalIp.IsV6)
        {
            return;
        }
        var output = new ArrayBufferWriter<byte>();
        MrtWriter.WriteMessageAs4(output, record.Timestamp, entry.PeerAs, entry.LocalAs, entry.PeerIp, entry.LocalIp, entry.Message.AsSpan(),
            entry.Local, record.Type == MrtTypes.Bgp4MpEt, entry.InterfaceIndex);
        var status = MrtReader.TryRead(output.WrittenSpan, out var again, out var consumed, out var error);
        PropertyViolation.Unless(status == MrtReadStatus.Record && consumed == output.WrittenCount,
            $"a rewritten record reads as {status} ({error})");
        PropertyViolation.Unless(record.Equals(again), $"a rewritten record reads back as another record");
    }
}
