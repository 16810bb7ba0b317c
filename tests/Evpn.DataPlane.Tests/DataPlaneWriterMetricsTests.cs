using System.Diagnostics.Metrics;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tests;

public sealed class DataPlaneWriterMetricsTests
{
    private static readonly IpAddr Vtep = IpAddr.Parse("10.0.0.2");

    /// <summary>A table that takes every entry: the test is about what the writer counts.</summary>
    private sealed class AcceptingExecutor : IIntentExecutor
    {
        public ValueTask ExecuteAsync(IReadOnlyList<DataPlaneIntent> intents, Memory<IntentOutcome> outcomes, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_batch_adds_one_applied_measurement_per_kind_with_the_count_of_that_kind()
    {
        using var metrics = new DataPlaneMetrics();
        var measured = new List<(string Kind, long Count)>();
        using var listener = new MeterListener();
        // Only this writer's counter: other tests' data planes publish on a meter of the same name in parallel.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == metrics.Applied)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => measured.Add(((string)tags[0].Value!, value)));
        listener.Start();
        await using var writer = new DataPlaneWriter(new AcceptingExecutor(), new OwnedEntries(), RetryPolicy.Default, TimeProvider.System, metrics, _ => { });

        await writer.ApplyAsync(
        [
            new DataPlaneIntent.AddFdb(new FdbEntry(100, new MacAddress(1), Vtep)),
            new DataPlaneIntent.AddFlood(new FloodEntry(100, Vtep)),
            new DataPlaneIntent.AddFdb(new FdbEntry(100, new MacAddress(2), Vtep)),
            new DataPlaneIntent.RemoveFdb(new FdbEntry(100, new MacAddress(1), Vtep)),
        ], CancellationToken.None);

        Assert.Equal([("add_fdb", 2L), ("remove_fdb", 1L), ("add_flood", 1L)], measured);
    }
}
