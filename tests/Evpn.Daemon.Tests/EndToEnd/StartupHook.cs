using System.Diagnostics.Metrics;

/// <summary>Loaded into a real evpnd through the runtime's DOTNET_STARTUP_HOOKS (see <c>LoopFault</c> in the tests that
/// use it): it listens to the histogram the speaker loop records on its once-a-second tick, and once the file named by
/// EVPND_TEST_LOOP_TRIGGER exists it makes that tick, a piece of work outside any peer's handling, fail (EVPND_TEST_LOOP_FAULT
/// = throw) or never end (= block). evpnd's own code is unchanged: the fault enters through the metrics listener seam.</summary>
/// <remarks>The runtime looks for a type of this name outside any namespace.</remarks>
internal static class StartupHook
{
    public const string TriggerVariable = "EVPND_TEST_LOOP_TRIGGER";
    public const string FaultVariable = "EVPND_TEST_LOOP_FAULT";
    private const string LoopTick = "evpn.speaker.loop.delay.seconds";

    private static MeterListener? _listener;

    public static void Initialize()
    {
        var trigger = Environment.GetEnvironmentVariable(TriggerVariable);
        var fault = Environment.GetEnvironmentVariable(FaultVariable);
        if (trigger is null || fault is null)
        {
            return;
        }
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == LoopTick)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) =>
        {
            if (!File.Exists(trigger))
            {
                return;
            }
            if (fault == "block")
            {
                // A loop stuck in a handler: nothing sets this event.
                new ManualResetEventSlim().Wait();
            }
            throw new InvalidOperationException("fault injected into the speaker loop's tick by the test");
        });
        _listener.Start();
    }
}
