namespace Evpn.DataPlane;

/// <summary>How failed entries are retried: exponential backoff from <see cref="InitialDelay"/>, doubling up
/// to <see cref="MaxDelay"/>, given up after <see cref="MaxAttempts"/> attempts.</summary>
public sealed record RetryPolicy(TimeSpan InitialDelay, TimeSpan MaxDelay, int MaxAttempts)
{
    public static readonly RetryPolicy Default = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), 10);

    public TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, InitialDelay.Ticks << Math.Min(attempt - 1, 30)));
}

/// <summary>Failed intents, one per entry key: those waiting for their next attempt and those given up on. A
/// newer intent for the same entry replaces (or cancels) either, so a retry never undoes a later decision.</summary>
public sealed class RetryQueue
{
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Dictionary<IntentKey, Pending> _pending = [];

    /// <summary>Given up (a permanent error, or out of attempts): still what evpnd intends for the entry, so
    /// an audit shows it missing, until a newer intent comes.</summary>
    private readonly Dictionary<IntentKey, DataPlaneIntent> _givenUp = [];

    private sealed record Pending(DataPlaneIntent Intent, int Attempts, DateTimeOffset Due);

    public RetryQueue(RetryPolicy policy, TimeProvider time)
    {
        _policy = policy;
        _time = time;
    }

    public int Count => _pending.Count;

    /// <summary>Whether no intent is held, waiting or given up: then no new intent supersedes or replaces one.</summary>
    public bool IsEmpty => _pending.Count + _givenUp.Count == 0;

    /// <summary>Every failed intent, waiting or given up.</summary>
    public IEnumerable<DataPlaneIntent> Unapplied => _pending.Values.Select(p => p.Intent).Concat(_givenUp.Values);

    /// <summary>A new intent for this entry arrived: a pending retry of the old one, or its given-up record, is moot.</summary>
    public void Supersede(DataPlaneIntent intent)
    {
        // Both nearly always empty: skip computing the key of every entry of a large batch.
        if (!IsEmpty)
        {
            var key = IntentKey.Of(intent);
            _pending.Remove(key);
            _givenUp.Remove(key);
        }
    }

    /// <summary>The failed intent held for the entry <paramref name="intent"/> is about, waiting or given up.</summary>
    public DataPlaneIntent? UnappliedFor(DataPlaneIntent intent)
    {
        if (IsEmpty)
        {
            return null;
        }
        var key = IntentKey.Of(intent);
        return _pending.TryGetValue(key, out var pending) ? pending.Intent : _givenUp.GetValueOrDefault(key);
    }

    /// <summary>Records a failed attempt. Returns whether the intent will be retried (transient error and
    /// attempts left).</summary>
    public bool OnFailure(DataPlaneIntent intent, int errorCode, int previousAttempts)
    {
        var attempts = previousAttempts + 1;
        var key = IntentKey.Of(intent);
        if (!Errno.IsTransient(errorCode) || attempts >= _policy.MaxAttempts)
        {
            _pending.Remove(key);
            _givenUp[key] = intent;
            return false;
        }
        _pending[key] = new Pending(intent, attempts, _time.GetUtcNow() + _policy.DelayBefore(attempts));
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
