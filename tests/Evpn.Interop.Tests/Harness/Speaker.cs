namespace Evpn.Interop.Tests.Harness;

/// <summary>The BGP speaker a lab node runs. The value's lower-case name is the topology scripts' option
/// (--a frr). evpnd joins this list once the daemon exists, with its own <see cref="ISpeakerView"/>.</summary>
public enum Speaker
{
    Frr,

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
    public static ISpeakerView View(this Speaker speaker, Lab lab, string run, string node) => speaker switch
    {
        Speaker.Frr => new FrrView(lab, run, node),
        Speaker.Gobgp => new GobgpView(lab, run, node),
        Speaker.Exabgp => new ExabgpView(lab, run, node),
        _ => throw new ArgumentOutOfRangeException(nameof(speaker), speaker, "no view for this speaker"),
    };
}
