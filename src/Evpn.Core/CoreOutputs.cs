using Evpn.DataPlane;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>What the core emits between two takes by the speaker loop: data-plane intents, in the order they
/// must be applied, and alerts for the operator.</summary>
internal sealed class CoreOutputs
{
    private readonly TimeProvider _time;
    private readonly CoreCounters _counters;
    private readonly List<DataPlaneIntent> _intents = new();
    private readonly List<CoreAlert> _alerts = new();

    public CoreOutputs(TimeProvider time, CoreCounters counters)
    {
        _time = time;
        _counters = counters;
    }

    public void Add(DataPlaneIntent intent) => _intents.Add(intent);

    /// <summary>Moves the pending intents into <paramref name="into"/>.</summary>
    public void TakeIntents(List<DataPlaneIntent> into)
    {
        into.AddRange(_intents);
        _intents.Clear();
    }

    public List<CoreAlert> TakeAlerts()
    {
        var taken = new List<CoreAlert>(_alerts);
        _alerts.Clear();
        return taken;
    }

    public void Alert(AlertKind kind, uint vni, MacAddress mac, string message) =>
        _alerts.Add(new CoreAlert(_time.GetUtcNow(), kind, vni, mac, message));

    /// <summary>RFC 7432 section 15.2: a sticky MAC claimed by two locations, counted and raised.</summary>
    public void StickyConflict(MacVrf vrf, MacAddress mac, string what)
    {
        _counters.StickyConflicts++;
        Alert(AlertKind.StickyMacConflict, vrf.Vni, mac, $"sticky MAC {mac} in VNI {vrf.Vni} {what} (RFC 7432 section 15.2)");
    }
}
