namespace Evpn.Interop.Tests.Harness;

/// <summary>The BGP speaker a lab node runs. The value's lower-case name is the topology scripts' option (--a frr).</summary>
public enum Speaker
{
    Frr,

    /// <summary>evpnd, started by the lab inside the node's namespace (interop/lib/evpnd.sh).</summary>
    Evpnd,

    /// <summary>GoBGP: a second BGP implementation decoding what the other side sends. It has no data plane:
    /// the topology installs its flood entries, so kernel assertions never target a GoBGP node.</summary>
    Gobgp,

    /// <summary>ExaBGP: a third decoder of what the other side sends, and a sender of API commands. No data plane.</summary>
    Exabgp,
}

public static class SpeakerExtensions
{
    public static string ScriptName(this Speaker speaker) => speaker.ToString().ToLowerInvariant();

    /// <summary>The view of the speaker running on <paramref name="node"/>.</summary>
    public static ISpeakerView View(this Speaker speaker, Lab lab, Topology topology, string node) => speaker switch
    {
        Speaker.Frr => new FrrView(lab, topology.Run, node),
        Speaker.Evpnd => new EvpndView(lab, topology[node + ".evpnd-socket"]),
        Speaker.Gobgp => new GobgpView(lab, topology.Run, node),
        Speaker.Exabgp => new ExabgpView(lab, topology.Run, node),
        _ => throw new ArgumentOutOfRangeException(nameof(speaker), speaker, "no view for this speaker"),
    };
}
