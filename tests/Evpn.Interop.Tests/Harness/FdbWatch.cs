using Xunit.Abstractions;

namespace Evpn.Interop.Tests.Harness;

/// <summary>Samples a node's bridge FDB in the background (about every 250 ms) while a test restarts a speaker,
/// and records every sample in which an entry that must keep forwarding was missing. A restart that keeps the
/// data plane programmed leaves <see cref="Gaps"/> empty.</summary>
public sealed class FdbWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly KernelView _kernel;
    private readonly IReadOnlyList<(string Mac, string Device, string Dst)> _required;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _gaps = [];
    private readonly Task _loop;
    private int _samples;

    /// <summary>Watches <paramref name="required"/> entries (MAC, VXLAN device, remote VTEP) on <paramref name="node"/>.
    /// The samples are not written to the test output: a few hundred bridge dumps would bury the transcript.</summary>
    public FdbWatch(string run, string node, IEnumerable<(string Mac, string Device, string Dst)> required)
    {
        _kernel = new KernelView(new Lab(new SilentOutput()), run, node);
        _required = required.ToArray();
        _loop = Task.Run(LoopAsync);
    }

    public int Samples
    {
        get
        {
            lock (_gaps)
            {
                return _samples;
            }
        }
    }

    /// <summary>One line per sample that missed a required entry: its time and what was missing.</summary>
    public IReadOnlyList<string> Gaps
    {
        get
        {
            lock (_gaps)
            {
                return _gaps.ToArray();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var fdb = await _kernel.FdbAsync();
                var missing = _required
                    .Where(r => !fdb.Any(e => string.Equals(e.Mac, r.Mac, StringComparison.OrdinalIgnoreCase) && e.Device == r.Device && e.Dst == r.Dst))
                    .Select(r => $"{r.Mac} dev {r.Device} dst {r.Dst}")
                    .ToArray();
                lock (_gaps)
                {
                    _samples++;
                    if (missing.Length > 0)
                    {
                        _gaps.Add($"{DateTime.UtcNow:HH:mm:ss.fff} missing {string.Join(", ", missing)}");
                    }
                }
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed class SilentOutput : ITestOutputHelper
    {
        public void WriteLine(string message)
        {
        }

        public void WriteLine(string format, params object[] args)
        {
        }
    }
}
