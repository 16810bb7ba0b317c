using System.Net;
using Evpn.Session.Options;
using Evpn.Session.Speaker;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>A speaker on a loopback address with its loop running; disposing stops both.</summary>
public sealed class SpeakerHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _faultSeen;

    public SpeakerHost(string address, uint asn, string routerId, bool restarting = false, TimeSpan? deferral = null,
        TimeProvider? time = null, Func<SpeakerOptions, SpeakerOptions>? tune = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        Address = IPAddress.Parse(address);
        Options = new SpeakerOptions
        {
            LocalAs = asn,
            RouterId = IPAddress.Parse(routerId),
            ListenEndPoint = new IPEndPoint(Address, 0),
            Restarting = restarting,
            ForwardingPreserved = restarting,
            SelectionDeferralTime = deferral ?? TimeSpan.FromSeconds(360),
        };
        Options = tune?.Invoke(Options) ?? Options;
        Speaker = new BgpSpeaker(Options, Sink, time, logger);
        _loop = Task.Run(() => Speaker.RunAsync(_stop.Token));
    }

    public IPAddress Address { get; }
    public SpeakerOptions Options { get; }
    public RecordingSink Sink { get; } = new();
    public BgpSpeaker Speaker { get; }
    public int Port => Speaker.ListenEndPoint!.Port;

    /// <summary>Options for a peer of this host pointing at <paramref name="other"/>.</summary>
    public PeerOptions PeerFor(SpeakerHost other) => new()
    {
        Address = PeerAddress.FromSocket(other.Address),
        RemotePort = other.Port,
        RemoteAs = other.Options.LocalAs,
        SourceAddress = Address,
        HoldTime = 9,
        ConnectRetryTime = TimeSpan.FromSeconds(1),
        IdleHold = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5)),
    };

    public Task<BgpPeer> AddPeer(PeerOptions options) => Speaker.InvokeAsync(s => s.AddPeer(options));

    /// <summary>Waits (bounded) for the loop to fail and returns why; a test that expects this calls it.</summary>
    public async Task<Exception> LoopFaultAsync(double seconds = 15)
    {
        var fault = await Assert.ThrowsAnyAsync<Exception>(() => _loop.WaitAsync(TimeSpan.FromSeconds(seconds)));
        Assert.IsNotType<TimeoutException>(fault);
        _faultSeen = true;
        return fault;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (!_faultSeen)
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        await Speaker.DisposeAsync();
        _stop.Dispose();
    }
}
