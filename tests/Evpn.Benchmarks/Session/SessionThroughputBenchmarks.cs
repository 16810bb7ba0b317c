using System.Net;
using BenchmarkDotNet.Attributes;
using Evpn.Session.Options;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Benchmarks.Session;

/// <summary>UPDATEs per second from one evpnd session engine to another over loopback TCP: encode and
/// write loop on one side, read loop (frame, decode), speaker loop and sink on the other, with the
/// sender honouring backpressure (<see cref="PeerWritable"/>). One EVPN type-3 route per UPDATE.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class SessionThroughputBenchmarks
{
    private const int Updates = 20_000;
    private readonly CancellationTokenSource _stop = new();
    private Sink _sender = null!;
    private Sink _receiver = null!;
    private BgpSpeaker _a = null!;
    private BgpSpeaker _b = null!;
    private BgpPeer _peerAtA = null!;
    private UpdateMessage[] _updates = [];

    private sealed class Sink : ISessionEventSink
    {
        public TaskCompletionSource Established { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Action<BgpSpeaker>? OnWritable { get; set; }
        public int Received;
        public int Target;
        public TaskCompletionSource? Done;

        public void OnSessionEvent(BgpSpeaker speaker, SessionEvent e)
        {
            switch (e)
            {
                case PeerEstablished:
                    Established.TrySetResult();
                    break;
                case PeerWritable:
                    OnWritable?.Invoke(speaker);
                    break;
                case UpdateReceived when ++Received == Target:
                    Done!.TrySetResult();
                    break;
            }
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var a = IPAddress.Parse("127.201.0.1");
        var b = IPAddress.Parse("127.201.0.2");
        _sender = new Sink();
        _receiver = new Sink();
        _a = new BgpSpeaker(new SpeakerOptions { LocalAs = 65001, RouterId = a, ListenEndPoint = new IPEndPoint(a, 0) }, _sender);
        _b = new BgpSpeaker(new SpeakerOptions { LocalAs = 65002, RouterId = b, ListenEndPoint = new IPEndPoint(b, 0) }, _receiver);
        _ = _a.RunAsync(_stop.Token);
        _ = _b.RunAsync(_stop.Token);
        _peerAtA = _a.InvokeAsync(s => s.AddPeer(new PeerOptions
        {
            Address = PeerAddress.FromSocket(b), RemoteAs = 65002, RemotePort = _b.ListenEndPoint!.Port, SourceAddress = a,
        })).GetAwaiter().GetResult();
        _b.InvokeAsync(s => s.AddPeer(new PeerOptions
        {
            Address = PeerAddress.FromSocket(a), RemoteAs = 65001, RemotePort = _a.ListenEndPoint!.Port, SourceAddress = b,
        })).GetAwaiter().GetResult();
        Task.WhenAll(_sender.Established.Task, _receiver.Established.Task).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        var rd = RouteDistinguisher.Parse("10.0.0.1:1");
        _updates = Enumerable.Range(0, Updates).Select(i =>
        {
            var vtep = IpAddr.FromV4(0x0A000000u + (uint)i);
            var attributes = PathAttributes.Empty with
            {
                Origin = Origin.Igp,
                AsPath = new AsPath(new[] { new AsPathSegment(AsPathSegmentType.AsSequence, new[] { 65001u }) }),
                ExtendedCommunities = new[] { ExtendedCommunity.RouteTargetAs2(65001, 100), ExtendedCommunity.VxlanEncapsulation },
                PmsiTunnel = PmsiTunnel.IngressReplicationTo(vtep, 100),
            };
            return UpdateMessage.Announce(AfiSafi.L2vpnEvpn, vtep, attributes, new[] { Nlri.ForEvpn(new InclusiveMulticastRoute(rd, 0, vtep)) });
        }).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Updates)]
    public async Task Type3UpdatesOverLoopback()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _b.InvokeAsync(_ =>
        {
            _receiver.Received = 0;
            _receiver.Target = Updates;
            _receiver.Done = done;
        });
        var next = 0;
        void Pump(BgpSpeaker s)
        {
            while (next < _updates.Length && s.TrySendUpdate(_peerAtA, _updates[next]))
            {
                next++;
            }
        }
        _sender.OnWritable = Pump;
        await _a.InvokeAsync(Pump);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _a.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _b.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
