using System.Buffers;
using BenchmarkDotNet.Attributes;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Benchmarks.Wire;

/// <summary>Decode and encode of realistic EVPN UPDATEs: type-2 MAC+IPv4 routes packed into one 4096-octet
/// UPDATE (as FRR and evpnd send a VNI's MACs), and type-3 routes. Operations are counted per NLRI
/// (OperationsPerInvoke), so the Mean column is nanoseconds per route and Allocated is bytes per route.
/// Target: at least 10 million type-2 NLRI decoded per second on one core (Mean at most 100 ns), with no
/// allocation per NLRI beyond the route value itself.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class EvpnUpdateBenchmarks
{
    private const int Type2PerUpdate = 103;
    private const int Type3PerUpdate = 210;

    private static readonly DecodeContext Context = DecodeContext.FourOctetAs;
    private static readonly PathAttributes Attributes = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.Empty.Prepend(65001),
        ExtendedCommunities = new[] { ExtendedCommunity.VxlanEncapsulation, ExtendedCommunity.RouteTargetAs2(65001, 100), ExtendedCommunity.MacMobility(1, false) },
    };

    private byte[] _type2 = [];
    private byte[] _type3 = [];
    private UpdateMessage _type2Message = null!;
    private int _type2Count;
    private int _type3Count;
    private readonly ArrayBufferWriter<byte> _output = new(BgpFraming.ExtendedMaxMessageLength);

    [GlobalSetup]
    public void Setup()
    {
        var rd = RouteDistinguisher.FromIPv4(0x0A000001, 1);
        var type2 = Enumerable.Range(0, 1000).Select(i => (Nlri)new MacIpAdvertisementRoute(rd, EthernetSegmentId.Zero, 0,
            new MacAddress(0x5254_0000_0000UL + (ulong)i), IpAddr.FromV4(0x0A010000u + (uint)i), EvpnLabel.FromVni(100))).ToList();
        _type2Message = UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, Attributes, IpAddr.Parse("10.0.0.1"), type2, Context).Updates[0];
        _type2 = BgpEncoder.Encode(_type2Message, Context);
        _type2Count = _type2Message.MpReach!.Nlri.Count;
        var type3 = Enumerable.Range(0, 1000).Select(i => (Nlri)new InclusiveMulticastRoute(RouteDistinguisher.FromIPv4(0x0A000001, (ushort)i), 0, IpAddr.Parse("10.0.0.1"))).ToList();
        var type3Message = UpdatePacker.PackAnnouncements(AfiSafi.L2vpnEvpn, Attributes with { PmsiTunnel = PmsiTunnel.IngressReplicationTo(IpAddr.Parse("10.0.0.1"), 100) },
            IpAddr.Parse("10.0.0.1"), type3, Context).Updates[0];
        _type3 = BgpEncoder.Encode(type3Message, Context);
        _type3Count = type3Message.MpReach!.Nlri.Count;
        if (_type2Count != Type2PerUpdate || _type3Count != Type3PerUpdate || _type2.Length > 4096 || _type3.Length > 4096)
        {
            throw new InvalidOperationException($"packing changed: {_type2Count} type-2 in {_type2.Length} octets, {_type3Count} type-3 in {_type3.Length} octets");
        }
    }

    [Benchmark(OperationsPerInvoke = Type2PerUpdate, Description = "decode type-2 MAC+IPv4, 4096-octet UPDATE (per NLRI)")]
    public int DecodeType2() => ((UpdateMessage)BgpDecoder.Decode(_type2, Context).Message!).MpReach!.Nlri.Count;

    [Benchmark(OperationsPerInvoke = Type3PerUpdate, Description = "decode type-3 with PMSI, 4096-octet UPDATE (per NLRI)")]
    public int DecodeType3() => ((UpdateMessage)BgpDecoder.Decode(_type3, Context).Message!).MpReach!.Nlri.Count;

    [Benchmark(OperationsPerInvoke = Type2PerUpdate, Description = "encode type-2 MAC+IPv4, 4096-octet UPDATE (per NLRI)")]
    public int EncodeType2()
    {
        _output.ResetWrittenCount();
        return BgpEncoder.Encode(_type2Message, _output, Context);
    }

    [Benchmark(Description = "frame one 4096-octet UPDATE from a ReadOnlySequence")]
    public long FrameType2()
    {
        var buffer = new ReadOnlySequence<byte>(_type2);
        BgpFraming.TryReadMessage(ref buffer, Context, out var frame);
        return frame.Message.Length;
    }
}
