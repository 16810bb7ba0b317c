using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    private static readonly TimeSpan ReconnectInterval = TimeSpan.FromMilliseconds(100);

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
        await EstablishAllAsync(untilReflectorListens: false, ct);
        Report(string.Create(CultureInfo.InvariantCulture, $"event=established sessions={_layout.Clients} establish_ms={(UnixClock.NowNs() - establishStart) / 1e6:F1}"));

        var initial = InitialUpdates();
        var t0 = UnixClock.NowNs();
        var sendMs = await SendAllAsync(initial, t0, ct);

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

    /// <summary>The reflector restarted, closing its sessions without a NOTIFICATION (with graceful restart): every
    /// client keeps what it holds as stale, as a graceful-restart helper does (RFC 4724 section 4.2), and connects
    /// again, dropping them at once if the reflector's OPEN does not say it preserved its forwarding state (the F bit);
    /// the originators send their ranges again and every client its End-of-RIB, as after any start. Each
    /// client's time runs from the first attempt to connect until it got the reflector's End-of-RIB and held the
    /// table, nothing stale left. Prints one line and returns 0 when every reading client got there, no client lost
    /// a route to the restart (none purged as stale: the reflector deferred its End-of-RIB until it had every
    /// route again), every session had ended without a NOTIFICATION and every reflector OPEN said it restarted
    /// (the R bit).</summary>
    public async Task<int> RestartAsync(CancellationToken ct)
    {
        var options = _plan.Options;
        if (!options.GracefulRestart)
        {
            throw new InvalidOperationException("a restart of the reflector is followed only with graceful restart");
        }
        var reading = Enumerable.Range(0, _layout.Clients).Where(c => !IsSlow(c)).ToArray();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
            await Task.WhenAll(reading.Select(c => _connections[c]!.Closed)).WaitAsync(timeout.Token);
        }
        var notified = reading.Count(c => _connections[c]!.ClosedReason?.StartsWith("NOTIFICATION", StringComparison.Ordinal) == true);
        for (var c = 0; c < _connections.Length; c++)
        {
            await _connections[c]!.DisposeAsync();
            _connections[c] = null;
            _views[c].MarkStale();
        }

        var t0 = UnixClock.NowNs();
        await EstablishAllAsync(untilReflectorListens: true, ct);
        var restartState = 0;
        foreach (var c in reading)
        {
            var capability = _connections[c]!.RemoteOpen!.Find<GracefulRestartCapability>();
            restartState += capability?.RestartState == true ? 1 : 0;
            if (capability?.Families.Any(f => f.Family == AfiSafi.L2vpnEvpn && f.ForwardingPreserved) != true)
            {
                _views[c].ForwardingNotPreserved();
            }
        }
        await SendAllAsync(InitialUpdates(), t0, ct);
        var phase = await WaitAsync(reading, v => v.Restarted, t0, options.TimeoutSeconds, ct);
        var purged = _views.Sum(v => v.StalePurged);
        var faults = _views.Sum(v => v.BadReflectionAttributes);
        var closed = reading.Count(c => _connections[c]?.ClosedReason is not null);
        Report(string.Create(CultureInfo.InvariantCulture,
            $"event=restarted converged={phase.Converged}/{reading.Length} last_ms={phase.LastMs:F1} median_ms={phase.MedianMs:F1} "
            + $"stale_purged={purged} notified_on_close={notified} restart_state={restartState}/{reading.Length} bad_reflection={faults} closed={closed}"));
        return phase.Converged == reading.Length && purged == 0 && notified == 0 && restartState == reading.Length && faults == 0 && closed == 0 ? 0 : 1;
    }

    /// <summary>Every client's session, a bounded number of handshakes at once. <paramref name="untilReflectorListens"/>:
    /// a refused or cut connection is tried again (the reflector is starting) until the run's timeout.</summary>
    private async Task EstablishAllAsync(bool untilReflectorListens, CancellationToken ct)
    {
        var options = _plan.Options;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using var gate = new SemaphoreSlim(HandshakesAtOnce);
        await Task.WhenAll(Enumerable.Range(0, _layout.Clients).Select(async c =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var address = IPAddress.Parse(_layout.Address(c).ToString());
                while (true)
                {
                    try
                    {
                        _connections[c] = await BgpConnection.EstablishAsync(options with { RouterId = _layout.RouterId(c) },
                            TimeSpan.FromSeconds(60), ct, address, stopReading: IsSlow(c), onUpdate: _views[c].Receive);
                        break;
                    }
                    catch (Exception e) when (untilReflectorListens && e is SocketException or IOException)
                    {
                        await Task.Delay(ReconnectInterval, deadline.Token);
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>What each client sends once connected: originator k its range and its End-of-RIB; with graceful
    /// restart every other client its End-of-RIB (RFC 4724 section 2: after the initial update, however empty).</summary>
    private (BgpConnection Connection, List<UpdateMessage> Updates)[] InitialUpdates()
    {
        var endOfRib = new List<UpdateMessage> { EndOfRib.For(AfiSafi.L2vpnEvpn) };
        return Enumerable.Range(0, _layout.Clients)
            .Where(c => c < _layout.Originators || (_plan.Options.GracefulRestart && !IsSlow(c)))
            .Select(c => (_connections[c]!, c < _layout.Originators ? Updates(c) : endOfRib))
            .ToArray();
    }

    /// <summary>Sends every client's updates at once; returns the time from <paramref name="t0"/> to the last write, in ms.</summary>
    private static async Task<double> SendAllAsync((BgpConnection Connection, List<UpdateMessage> Updates)[] senders, long t0, CancellationToken ct)
    {
        var sends = await Task.WhenAll(senders.Select(s => s.Connection.SendAsync(s.Updates, ct)));
        return (sends.Max(s => s.LastWriteUnixNs) - t0) / 1e6;
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
