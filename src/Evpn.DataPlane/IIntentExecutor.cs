namespace Evpn.DataPlane;

/// <summary>The outcome of one intent as the data plane reports it: 0, or a positive errno with the
/// data plane's own words when it gave any.</summary>
public readonly record struct IntentOutcome(int ErrorCode, string? Detail = null)
{
    public static readonly IntentOutcome Ok = new(0);
    public bool Succeeded => ErrorCode == 0;
}

/// <summary>Carries out a batch of intents on the real table (kernel or memory), in order, reporting each
/// entry's outcome. It never throws for an entry's failure; only when the whole table is unreachable.</summary>
public interface IIntentExecutor
{
    /// <param name="outcomes">One slot per intent, all <see cref="IntentOutcome.Ok"/> on entry; the executor
    /// writes each failure into its intent's slot. The caller owns the buffer and reuses it from batch to
    /// batch: a table load makes batches of thousands of intents, and an array of outcomes per batch would be
    /// a large-object-heap allocation each time, kept until the next full collection.</param>
    ValueTask ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, Memory<IntentOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>Called after each batch, once its outcomes are recorded in <paramref name="owned"/>: the place to
    /// drop what the table kept for entries that are gone (the kernel's per-VTEP nexthop groups).</summary>
    void Settle(OwnedEntries owned)
    {
    }
}
