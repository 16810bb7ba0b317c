namespace Evpn.Config.Diff;

/// <summary>What a reload does to one neighbor present in both files.</summary>
public enum NeighborAction
{
    /// <summary>The session stays up; the new options apply from now on (description, max-prefix, connect-retry,
    /// passive, route-reflector-client).</summary>
    UpdateInPlace,

    /// <summary>A key negotiated in OPEN or fixed on the socket changed: the session is closed with a Cease
    /// (RFC 4486 subcode 6, "Other Configuration Change") and comes back with the new options.</summary>
    ResetSession,

    /// <summary>`shutdown` became true: Cease subcode 2, Administrative Shutdown, with the shutdown message (RFC 9003).</summary>
    Shutdown,

    /// <summary>`shutdown` became false: the session starts with the new options.</summary>
    Start,
}

/// <summary>One neighbor whose options differ between the old and new file.</summary>
/// <param name="ChangedKeys">Keys under the neighbor that differ, e.g. `timers.hold-time`, `password`.</param>
/// <param name="ReadvertiseRequired">The session stays up but what we send it changed (route-reflector-client,
/// RFC 4456 section 6): its Adj-RIB-Out must be recomputed and re-sent.</param>
public sealed record NeighborChange(
    Options.NeighborOptions Old,
    Options.NeighborOptions New,
    EquatableArray<string> ChangedKeys,
    NeighborAction Action,
    bool ReadvertiseRequired)
{
    public string Key => New.Key;
}
