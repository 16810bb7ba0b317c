using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen.Tests;

/// <summary>The receiving end of a real loopback BGP session for the generator's tests: answers OPEN and
/// KEEPALIVE, decodes every UPDATE with the project's codec and keeps the EVPN routes the generator holds
/// announced (with their next hop and attributes). Optionally refuses the session with a NOTIFICATION.</summary>
internal sealed class TestReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<EvpnRoute, (IpAddr NextHop, PathAttributes Attributes)> _routes = [];
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly bool _refuse;
    private readonly bool _extendedMessage;

    public TestReceiver(bool refuse = false, bool extendedMessage = true)
    {
        _refuse = refuse;
        _extendedMessage = extendedMessage;
        _listener.Start();
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int EndOfRibs { get; private set; }

    public Dictionary<EvpnRoute, (IpAddr NextHop, PathAttributes Attributes)> Snapshot()
    {
        lock (_gate)
        {
            return new(_routes);
        }
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until <paramref name="done"/> holds for the routes.</summary>
    public Task<bool> WaitAsync(Func<IReadOnlyDictionary<EvpnRoute, (IpAddr NextHop, PathAttributes Attributes)>, bool> done, TimeSpan timeout) =>
        Eventually.TrueWithinAsync(timeout, () => Task.FromResult(done(Snapshot())));

    private async Task RunAsync(CancellationToken ct)
    {
        using var client = await _listener.AcceptTcpClientAsync(ct);
        var stream = client.GetStream();
        var data = new byte[1 << 20];
        int start = 0, end = 0;
        var context = DecodeContext.Default;
        while (!ct.IsCancellationRequested)
        {
            var sequence = new ReadOnlySequence<byte>(data, start, end - start);
            var before = sequence.Length;
            if (BgpFraming.TryReadMessage(ref sequence, context, out var frame))
            {
                Assert.Null(frame.Error);
                start += (int)(before - sequence.Length);
                var result = BgpDecoder.Decode(frame.Message, context);
                Assert.Empty(result.Errors);
                switch (result.Message)
                {
                    case OpenMessage open:
                        if (_refuse)
                        {
                            var notification = new NotificationMessage(NotificationCode.Cease, 2, EquatableArray<byte>.Empty);
                            await stream.WriteAsync(BgpEncoder.Encode(notification, context), ct);
                            return;
                        }
                        List<Capability> caps = [new MultiprotocolCapability(AfiSafi.L2vpnEvpn), new FourOctetAsCapability(65001)];
                        if (_extendedMessage)
                        {
                            caps.Add(new ExtendedMessageCapability());
                        }
                        var mine = OpenMessage.Create(65001, 90, IpAddr.Parse("10.99.0.1").V4Bits, caps);
                        context = DecodeContext.Negotiate(mine, open);
                        await stream.WriteAsync(BgpEncoder.Encode(mine, DecodeContext.Default), ct);
                        await stream.WriteAsync(BgpEncoder.Encode(KeepaliveMessage.Instance, context), ct);
                        break;
                    case UpdateMessage update:
                        Apply(update);
                        break;
                }
                continue;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(data, start, data, 0, end - start);
                end -= start;
                start = 0;
            }
            var read = await stream.ReadAsync(data.AsMemory(end), ct);
            if (read == 0)
            {
                return;
            }
            end += read;
        }
    }

    private void Apply(UpdateMessage update)
    {
        lock (_gate)
        {
            if (EndOfRib.TryGetFamily(update, out _))
            {
                EndOfRibs++;
                return;
            }
            foreach (var n in update.MpUnreach?.Nlri ?? EquatableArray<Nlri>.Empty)
            {
                Assert.True(_routes.Remove(n.Evpn!), $"withdrawn but never announced: {n}");
            }
            if (update.MpReach is { } reach)
            {
                foreach (var n in reach.Nlri)
                {
                    _routes[n.Evpn!] = (reach.NextHop, update.Attributes);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
