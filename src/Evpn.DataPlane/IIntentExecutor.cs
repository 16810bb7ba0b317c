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
    ValueTask<IntentOutcome[]> ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, CancellationToken cancellationToken);
}
