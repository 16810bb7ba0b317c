namespace Evpn.Interop.Tests.Harness;

/// <summary>The BGP speaker a lab node runs. The value's lower-case name is the topology scripts' option
/// (--a frr). evpnd joins this list once the daemon exists, with its own <see cref="ISpeakerView"/>.</summary>
public enum Speaker
{
    Frr,
}

public static class SpeakerExtensions
{
    public static string ScriptName(this Speaker speaker) => speaker.ToString().ToLowerInvariant();

    /// <summary>The view of the speaker running on <paramref name="node"/>.</summary>
    public static ISpeakerView View(this Speaker speaker, Lab lab, string run, string node) => speaker switch
    {
        Speaker.Frr => new FrrView(lab, run, node),
        _ => throw new ArgumentOutOfRangeException(nameof(speaker), speaker, "no view for this speaker"),
    };
}
