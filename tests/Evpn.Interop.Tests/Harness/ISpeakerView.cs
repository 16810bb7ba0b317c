namespace Evpn.Interop.Tests.Harness;

/// <summary>What a VTEP's BGP speaker reports, whatever the speaker is: the tests assert on these so that
/// the same scenario runs against FRR and against evpnd.</summary>
public interface ISpeakerView
{
    /// <summary>True when the EVPN session with <paramref name="peerIp"/> is Established.</summary>
    Task<bool> IsEstablishedAsync(string peerIp);

    /// <summary>Every EVPN path in the speaker's table (its own and received ones).</summary>
    Task<IReadOnlyList<EvpnRouteView>> RoutesAsync();
}
