using System.Globalization;
using System.Net;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>The reflector mode: every client session is established first (with a bounded number of
/// handshakes at once), then the originators send their ranges at the same moment (t0), and each client's
/// convergence is the time from t0 until it held every route but its own and the End-of-RIB. One process,
/// one reader task per session on the thread pool. Slow clients (<see cref="LoadOptions.SlowClients"/>) stop
/// reading after the handshake and are not waited for: the others' times show what they cost them. The churn
/// phase follows when asked for (<see cref="MoveAsync"/>).</summary>
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

    /// <summary>Establishes every session, sends, waits, then (with <see cref="LoadOptions.Churn"/>) moves a share
    /// of the hosts and waits again; prints one summary line per phase and returns the exit code: 0 when every
    /// reading client converged in every phase with every reflected route's ORIGINATOR_ID and CLUSTER_LIST
    /// right, 1 otherwise. Routes outside the plan (the reflector's own) and a client's own routes sent back
    /// (which it ignores, RFC 4456 section 8) are counted, not faults.</summary>
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

        var reading = Enumerable.Range(0, _layout.Clients).Where(c => !IsSlow(c)).ToArray();
        var load = await WaitAsync(reading, v => v.Converged, t0, options.TimeoutSeconds, ct);
        var faults = _views.Sum(v => v.BadReflectionAttributes);
        var closed = reading.Count(c => _connections[c]?.ClosedReason is not null);
        var converged = load.Converged == reading.Length && faults == 0 && closed == 0;
        Report(string.Create(CultureInfo.InvariantCulture,
            $"event=reflected sessions={_layout.Clients} originators={_layout.Originators} routes={options.Routes + options.Type3Count} converged={load.Converged}/{reading.Length} "
            + $"last_ms={load.LastMs:F1} median_ms={load.MedianMs:F1} send_ms={sendMs:F1} "
            + $"updates_received={_connections.Sum(c => c?.ReceivedUpdates ?? 0)} own_back={_views.Sum(v => v.OwnRoutesBack)} bad_reflection={faults} foreign={_views.Sum(v => v.ForeignRoutes)} closed={closed}{(options.SlowClients > 0 ? " slow=" + options.SlowClients.ToString(CultureInfo.InvariantCulture) : "")}"));

        var move = new double[_views.Length];
        Array.Fill(move, double.NaN);
        if (converged && options.Churn)
        {
            var moved = await MoveAsync(reading, ct);
            move = moved.Times;
            faults = _views.Sum(v => v.BadReflectionAttributes);
            closed = reading.Count(c => _connections[c]?.ClosedReason is not null);
            converged = moved.Converged == reading.Length && faults == 0 && closed == 0;
            Report(string.Create(CultureInfo.InvariantCulture,
                $"event=moved moved={_plan.MovedIndexes.Count} converged={moved.Converged}/{reading.Length} last_ms={moved.LastMs:F1} median_ms={moved.MedianMs:F1} "
                + $"send_ms={moved.SendMs:F1} own_back={_views.Sum(v => v.OwnRoutesBack)} bad_reflection={faults} closed={closed}"));
        }
        WriteSamples(load.Times, move);
        return converged ? 0 : 1;
    }

    /// <summary>The churn phase, with every client converged: originator k withdraws its moved hosts' old routes
    /// and announces, behind the move VTEP with MAC mobility sequence 1 (RFC 7432 section 15), the moved hosts
    /// of originator k-1; all originators start at the same moment (t1), and each client's time runs from t1
    /// until it holds the plan after the move.</summary>
    private async Task<Phase> MoveAsync(int[] reading, CancellationToken ct)
    {
        var movedIndexes = _plan.MovedIndexes;
        foreach (var view in _views)
        {
            view.ExpectMove(movedIndexes);
        }
        var updates = Enumerable.Range(0, _layout.Originators).Select(k =>
        {
            var connection = _connections[k]!;
            var encoding = new RouteEncoding(_plan.Options, external: connection.RemoteOpen!.Asn != _plan.Options.LocalAsn);
            var announced = encoding.Announcements(movedIndexes.Where(i => _layout.MoveOwnerOfType2(i) == k).Select(i => _plan.AfterMove[i]),
                withType3: false, connection.Context);
            announced.AddRange(encoding.Withdrawals(movedIndexes.Where(i => _layout.OwnerOfType2(i) == k).Select(i => _plan.Initial[i]),
                withType3: false, connection.Context));
            return announced;
        }).ToArray();
        var t1 = UnixClock.NowNs();
        var sends = await Task.WhenAll(Enumerable.Range(0, _layout.Originators).Select(k => _connections[k]!.SendAsync(updates[k], ct)));
        var phase = await WaitAsync(reading, v => v.MoveConverged, t1, _plan.Options.TimeoutSeconds, ct);
        return phase with { SendMs = (sends.Max(s => s.LastWriteUnixNs) - t1) / 1e6 };
    }

    /// <summary>One phase's outcome: each client's time from the phase's start (NaN when it did not get there
    /// in time), how many of the reading clients got there, the last and the median of their times.</summary>
    private sealed record Phase(double[] Times, int Converged, double LastMs, double MedianMs)
    {
        public double SendMs { get; init; }
    }

    private async Task<Phase> WaitAsync(int[] reading, Func<ReflectedView, Task<long>> done, long start, int timeoutSeconds, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        Task all = Task.WhenAll(reading.Select(c => done(_views[c])));
        await all.WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var times = _views.Select(v => done(v).IsCompletedSuccessfully ? (done(v).Result - start) / 1e6 : double.NaN).ToArray();
        var converged = reading.Select(c => times[c]).Where(t => !double.IsNaN(t)).Order().ToArray();
        return new Phase(times, converged.Length, converged.Length == reading.Length ? converged[^1] : double.NaN, Median(converged));
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

    private void WriteSamples(double[] times, double[] move)
    {
        if (_plan.Options.Samples.Length == 0)
        {
            return;
        }
        using var file = new StreamWriter(_plan.Options.Samples);
        file.WriteLine("client,address,originator,expected,held,end_of_rib,own_back,bad_reflection,converged_ms,held_moved,move_ms,updates_received,closed");
        for (var c = 0; c < _views.Length; c++)
        {
            var v = _views[c];
            file.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c},{_layout.Address(c)},{(c < _layout.Originators ? 1 : 0)},{v.Expected},{v.Held},{(v.HasEndOfRib ? 1 : 0)},{v.OwnRoutesBack},{v.BadReflectionAttributes},{Ms(times[c])},{v.HeldMoved},{Ms(move[c])},{_connections[c]?.ReceivedUpdates},\"{_connections[c]?.ClosedReason}\""));
        }
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "" : ms.ToString("F1", CultureInfo.InvariantCulture);

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
