using System.Globalization;
using System.Net;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>The reflector mode: every client session is established first (with a bounded number of
/// handshakes at once), then the originators send their ranges at the same moment (t0), and each client's
/// convergence is the time from t0 until it held every route but its own and the End-of-RIB. One process,
/// one reader task per session on the thread pool. Slow clients (<see cref="LoadOptions.SlowClients"/>) stop
/// reading after the handshake and are not waited for: the others' times show what they cost them.</summary>
public sealed class ReflectorRun : IAsyncDisposable
{
    private const int HandshakesAtOnce = 64;

    private readonly ReflectorLayout _layout;
    private readonly LoadPlan _plan;
    private readonly TextWriter _output;
    private readonly ReflectedView[] _views;
    private readonly BgpConnection?[] _connections;

    public ReflectorRun(LoadPlan plan, TextWriter output)
    {
        _plan = plan;
        _layout = new ReflectorLayout(plan.Options);
        _output = output;
        _views = Enumerable.Range(0, _layout.Clients).Select(c => new ReflectedView(_layout, c)).ToArray();
        _connections = new BgpConnection?[_layout.Clients];
    }

    public IReadOnlyList<ReflectedView> Views => _views;

    /// <summary>Establishes every session, sends, waits; prints one summary line and returns the exit code:
    /// 0 when every client converged with no route of its own back and every reflected route's ORIGINATOR_ID
    /// and CLUSTER_LIST right, 1 otherwise. Routes outside the plan (the reflector's own) are counted, not faults.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var options = _plan.Options;
        var establishStart = UnixClock.NowNs();
        using var gate = new SemaphoreSlim(HandshakesAtOnce);
        await Task.WhenAll(Enumerable.Range(0, _layout.Clients).Select(async c =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var address = _layout.Address(c);
                _connections[c] = await BgpConnection.EstablishAsync(options with { RouterId = _layout.RouterId(c) },
                    TimeSpan.FromSeconds(60), ct, IPAddress.Parse(address.ToString()), stopReading: IsSlow(c), onUpdate: _views[c].Receive);
            }
            finally
            {
                gate.Release();
            }
        }));
        Report(string.Create(CultureInfo.InvariantCulture, $"event=established sessions={_layout.Clients} establish_ms={(UnixClock.NowNs() - establishStart) / 1e6:F1}"));

        var updates = Enumerable.Range(0, _layout.Originators).Select(Updates).ToArray();
        var t0 = UnixClock.NowNs();
        var sends = await Task.WhenAll(Enumerable.Range(0, _layout.Originators).Select(k => _connections[k]!.SendAsync(updates[k], ct)));
        var sendMs = (sends.Max(s => s.LastWriteUnixNs) - t0) / 1e6;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        var reading = Enumerable.Range(0, _layout.Clients).Where(c => !IsSlow(c)).ToArray();
        Task all = Task.WhenAll(reading.Select(c => _views[c].Converged));
        await all.WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var times = _views.Select(v => v.Converged.IsCompletedSuccessfully ? (v.Converged.Result - t0) / 1e6 : double.NaN).ToArray();
        var converged = reading.Select(c => times[c]).Where(t => !double.IsNaN(t)).Order().ToArray();
        var faults = _views.Sum(v => v.OwnRoutesBack + v.BadReflectionAttributes);
        var closed = reading.Count(c => _connections[c]?.ClosedReason is not null);
        WriteSamples(times);
        Report(string.Create(CultureInfo.InvariantCulture,
            $"event=reflected sessions={_layout.Clients} originators={_layout.Originators} routes={options.Routes + options.Type3Count} converged={converged.Length}/{reading.Length} "
            + $"last_ms={(converged.Length == reading.Length ? converged[^1] : double.NaN):F1} median_ms={Median(converged):F1} send_ms={sendMs:F1} "
            + $"own_back={_views.Sum(v => v.OwnRoutesBack)} bad_reflection={_views.Sum(v => v.BadReflectionAttributes)} foreign={_views.Sum(v => v.ForeignRoutes)} closed={closed}{(options.SlowClients > 0 ? " slow=" + options.SlowClients.ToString(CultureInfo.InvariantCulture) : "")}"));
        return converged.Length == reading.Length && faults == 0 && closed == 0 ? 0 : 1;
    }

    private bool IsSlow(int client) => client >= _layout.Clients - _plan.Options.SlowClients;

    /// <summary>Originator k's range (client 0 with the type-3 routes), then its End-of-RIB.</summary>
    private List<UpdateMessage> Updates(int k)
    {
        var connection = _connections[k]!;
        var internalPeer = connection.RemoteOpen!.Asn == _plan.Options.LocalAsn;
        var encoding = new RouteEncoding(_plan.Options, external: !internalPeer);
        var start = _layout.RangeStart(k);
        var range = _plan.Initial.Skip(start).Take(_layout.RangeStart(k + 1) - start);
        var updates = encoding.Announcements(range, withType3: _plan.Options.Type3 && k == _layout.OwnerOfType3, connection.Context);
        updates.Add(EndOfRib.For(AfiSafi.L2vpnEvpn));
        return updates;
    }

    private static double Median(double[] sorted) => sorted.Length == 0 ? double.NaN
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private void WriteSamples(double[] times)
    {
        if (_plan.Options.Samples.Length == 0)
        {
            return;
        }
        using var file = new StreamWriter(_plan.Options.Samples);
        file.WriteLine("client,address,originator,expected,held,end_of_rib,own_back,bad_reflection,converged_ms,closed");
        for (var c = 0; c < _views.Length; c++)
        {
            var v = _views[c];
            file.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c},{_layout.Address(c)},{(c < _layout.Originators ? 1 : 0)},{v.Expected},{v.Held},{(v.HasEndOfRib ? 1 : 0)},{v.OwnRoutesBack},{v.BadReflectionAttributes},{(double.IsNaN(times[c]) ? "" : times[c].ToString("F1", CultureInfo.InvariantCulture))},\"{_connections[c]?.ClosedReason}\""));
        }
    }

    private void Report(string line)
    {
        _output.WriteLine(line);
        _output.Flush();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
