namespace Evpn.DataPlane;

/// <summary>How failed entries are retried: exponential backoff from <see cref="InitialDelay"/>, doubling up
/// to <see cref="MaxDelay"/>, given up after <see cref="MaxAttempts"/> attempts.</summary>
public sealed record RetryPolicy(TimeSpan InitialDelay, TimeSpan MaxDelay, int MaxAttempts)
{
    public static readonly RetryPolicy Default = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), 10);

    public TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, InitialDelay.Ticks << Math.Min(attempt - 1, 30)));
}

/// <summary>Failed intents waiting for their next attempt, one per entry key: a newer intent for the same
/// entry replaces (or cancels) the pending retry, so a retry never undoes a later decision.</summary>
public sealed class RetryQueue
{
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Dictionary<IntentKey, Pending> _pending = [];

    private sealed record Pending(DataPlaneIntent Intent, int Attempts, DateTimeOffset Due);

    public RetryQueue(RetryPolicy policy, TimeProvider time)
    {
        _policy = policy;
        _time = time;
    }

    public int Count => _pending.Count;

    /// <summary>The intents waiting for their next attempt.</summary>
    public IEnumerable<DataPlaneIntent> Waiting => _pending.Values.Select(p => p.Intent);

    /// <summary>A new intent for this entry arrived: any pending retry of the old one is moot.</summary>
    public void Supersede(DataPlaneIntent intent)
    {
        // Nearly always empty: skip computing the key of every entry of a large batch.
        if (_pending.Count != 0)
        {
            _pending.Remove(IntentKey.Of(intent));
        }
    }

    /// <summary>Records a failed attempt. Returns whether the intent will be retried (transient error and
    /// attempts left).</summary>
    public bool OnFailure(DataPlaneIntent intent, int errorCode, int previousAttempts)
    {
        var attempts = previousAttempts + 1;
        if (!Errno.IsTransient(errorCode) || attempts >= _policy.MaxAttempts)
        {
            _pending.Remove(IntentKey.Of(intent));
            return false;
        }
        _pending[IntentKey.Of(intent)] = new Pending(intent, attempts, _time.GetUtcNow() + _policy.DelayBefore(attempts));
        return true;
    }

    /// <summary>Removes and returns the intents whose backoff has elapsed, with their attempt counts.</summary>
    public IReadOnlyList<(DataPlaneIntent Intent, int Attempts)> TakeDue()
    {
        if (_pending.Count == 0)
        {
            return [];
        }
        var now = _time.GetUtcNow();
        var due = _pending.Where(kv => kv.Value.Due <= now).ToList();
        foreach (var (key, _) in due)
        {
            _pending.Remove(key);
        }
        return due.Select(kv => (kv.Value.Intent, kv.Value.Attempts)).ToList();
    }
}
