using System.Globalization;
using Evpn.Wire;

namespace Evpn.LoadGen;

/// <summary>Runs commands against one established session and reports each as one line of key=value pairs.
/// State: which version of the hosts the receiver holds (none, initial, after the move).</summary>
public sealed class LoadRunner
{
    private readonly LoadPlan _plan;
    private readonly BgpConnection _connection;
    private readonly RouteEncoding _encoding;
    private readonly TextWriter _output;
    private IReadOnlyList<GeneratedRoute>? _announced;

    public LoadRunner(LoadPlan plan, BgpConnection connection, TextWriter output)
    {
        _plan = plan;
        _connection = connection;
        _output = output;
        var remoteAsn = connection.RemoteOpen?.Asn ?? plan.Options.LocalAsn;
        _encoding = new RouteEncoding(plan.Options, external: remoteAsn != plan.Options.LocalAsn);
    }

    private LoadOptions Options => _plan.Options;

    /// <summary>Runs one command; false once the run should end (quit, or the session is gone).</summary>
    public async Task<bool> RunAsync(LoadCommand command, CancellationToken ct)
    {
        if (_connection.ClosedReason is { } reason)
        {
            Report("error", $"reason=\"session closed: {reason}\"");
            return false;
        }
        switch (command.Kind)
        {
            case LoadCommandKind.Announce:
                await AnnounceAsync(ct);
                return true;
            case LoadCommandKind.Move:
                await MoveAsync(ct);
                return true;
            case LoadCommandKind.Withdraw:
                await WithdrawAsync(ct);
                return true;
            case LoadCommandKind.Wait:
                await Task.Delay(TimeSpan.FromSeconds(command.Seconds), ct);
                Report("wait", $"seconds={command.Seconds}");
                return true;
            default:
                Report("quit", "");
                return false;
        }
    }

    private async Task AnnounceAsync(CancellationToken ct)
    {
        var updates = _encoding.Announcements(_plan.Initial, Options.Type3, _connection.Context);
        updates.Add(EndOfRib.For(Evpn.Wire.Model.AfiSafi.L2vpnEvpn));
        var report = await _connection.SendAsync(updates, ct);
        _announced = _plan.Initial;
        Report("announce", Describe(report) + $" type2={Options.Routes} type3={Options.Type3Count} rib_routes={Options.Routes + Options.Type3Count}");
    }

    /// <summary>The moved hosts appear behind the move VTEP with a higher MAC mobility sequence (RFC 7432
    /// section 15), then their old routes are withdrawn, as the old VTEP would once it saw the move.</summary>
    private async Task MoveAsync(CancellationToken ct)
    {
        if (!ReferenceEquals(_announced, _plan.Initial))
        {
            Report("error", "reason=\"move needs the initial routes announced (announce first, move once)\"");
            return;
        }
        var moved = _plan.MovedIndexes.Select(i => _plan.AfterMove[i]).ToList();
        var old = _plan.MovedIndexes.Select(i => _plan.Initial[i]).ToList();
        var updates = _encoding.Announcements(moved, withType3: false, _connection.Context);
        updates.AddRange(_encoding.Withdrawals(old, withType3: false, _connection.Context));
        var report = await _connection.SendAsync(updates, ct);
        _announced = _plan.AfterMove;
        Report("move", Describe(report) + $" moved={moved.Count} move_vtep={Options.MoveVtep} rib_routes={Options.Routes + Options.Type3Count}");
    }

    private async Task WithdrawAsync(CancellationToken ct)
    {
        if (_announced is null)
        {
            Report("error", "reason=\"nothing announced to withdraw\"");
            return;
        }
        var report = await _connection.SendAsync(_encoding.Withdrawals(_announced, Options.Type3, _connection.Context), ct);
        _announced = null;
        Report("withdraw", Describe(report) + " rib_routes=0");
    }

    private static string Describe(SendReport r) => string.Create(CultureInfo.InvariantCulture,
        $"first_update_ns={r.FirstUpdateUnixNs} last_write_ns={r.LastWriteUnixNs} send_ms={r.SendMs:F1} encode_ms={r.EncodeMs:F1} updates={r.Updates} nlri={r.Nlri} octets={r.Octets}");

    private void Report(string evt, string rest)
    {
        _output.WriteLine($"event={evt} {rest}".TrimEnd());
        _output.Flush();
    }
}
