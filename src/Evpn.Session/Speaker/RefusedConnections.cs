namespace Evpn.Session.Speaker;

/// <summary>Why an accepted connection was closed at once.</summary>
public enum RefusedConnection
{
    /// <summary>No neighbor and no listen range covers the address.</summary>
    NotConfigured,

    /// <summary>The address is in a listen range that already has its limit of dynamic peers.</summary>
    RangeFull,

    /// <summary>The neighbor is administratively down.</summary>
    ShutDown,
}

/// <summary>Refused connections by <see cref="RefusedConnection"/> (read by metrics). Written on the speaker loop.</summary>
public sealed class RefusedConnections
{
    private readonly long[] _counts = new long[Enum.GetValues<RefusedConnection>().Length];

    public long this[RefusedConnection reason] => Volatile.Read(ref _counts[(int)reason]);

    internal void Add(RefusedConnection reason) => Interlocked.Increment(ref _counts[(int)reason]);
}
