namespace Evpn.Session.Timers;

/// <summary>How long a peer waits in Idle before restarting after its session went down, and how
/// that grows for a flapping peer (RFC 4271 section 8.1.1, DampPeerOscillations).</summary>
public sealed record IdleHoldOptions(TimeSpan Initial, TimeSpan Maximum, TimeSpan StableAfter)
{
    public static IdleHoldOptions Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300));
}

/// <summary>Exponential damping of a peer's automatic restarts: each loss doubles the next IdleHold
/// time up to the maximum; a session that stayed Established for <see cref="IdleHoldOptions.StableAfter"/>
/// resets it. Pure bookkeeping driven by timestamps the peer passes in.</summary>
public sealed class IdleHoldDamping
{
    private readonly IdleHoldOptions _options;
    private TimeSpan _next;
    private DateTimeOffset? _establishedAt;

    public IdleHoldDamping(IdleHoldOptions options)
    {
        _options = options;
        _next = options.Initial;
    }

    public TimeSpan Next => _next;

    public void OnEstablished(DateTimeOffset now) => _establishedAt = now;

    /// <summary>The session (or the attempt) ended: returns the IdleHold time to wait now.</summary>
    public TimeSpan OnDown(DateTimeOffset now)
    {
        if (_establishedAt is { } since && now - since >= _options.StableAfter)
        {
            _next = _options.Initial;
        }
        _establishedAt = null;
        var wait = _next;
        var doubled = _next == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : _next * 2;
        _next = doubled > _options.Maximum ? _options.Maximum : doubled;
        return wait;
    }

    /// <summary>An operator restart (clear, enable) forgets past flaps.</summary>
    public void Reset()
    {
        _next = _options.Initial;
        _establishedAt = null;
    }
}
