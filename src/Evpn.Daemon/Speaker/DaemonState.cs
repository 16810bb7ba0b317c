using Evpn.Config.Options;
using Evpn.DataPlane;
using Evpn.Session.Speaker;

namespace Evpn.Daemon.Speaker;

/// <summary>Where the management API finds the running parts. Set once at start; the parts themselves are
/// only ever touched on the speaker loop (through <see cref="BgpSpeaker.InvokeAsync{T}"/>).</summary>
public sealed class DaemonState(EvpnConfig config, string configPath)
{
    private Running? _running;
    private Exception? _fault;

    /// <summary>The configuration in force (replaced by a successful reload, on the speaker loop).</summary>
    public EvpnConfig Config => _running?.Evpn.Config ?? config;

    public string ConfigPath { get; } = configPath;

    public bool IsRunning => _running is not null;

    /// <summary>Why the speaker loop failed, once it did: evpnd then stops with exit code 1.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    public void Fail(Exception fault) => Interlocked.CompareExchange(ref _fault, fault, null);

    public Running Parts => _running ?? throw new InvalidOperationException("evpnd is still starting");

    public void Attach(EvpnSpeaker evpn, BgpSpeaker bgp, IntentWriter writer, IDataPlane dataPlane) =>
        _running = new Running(evpn, bgp, writer, dataPlane);

    public sealed record Running(EvpnSpeaker Evpn, BgpSpeaker Bgp, IntentWriter Writer, IDataPlane DataPlane);
}
