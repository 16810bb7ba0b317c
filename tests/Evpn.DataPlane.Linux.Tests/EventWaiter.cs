using System.Threading.Channels;

namespace Evpn.DataPlane.Linux.Tests;

internal static class EventWaiter
{
    /// <summary>Reads events until one matches, for at most <paramref name="timeout"/>; returns the match.</summary>
    public static async Task<T> WaitForAsync<T>(this ChannelReader<DataPlaneEvent> events, Func<T, bool> match, TimeSpan timeout)
        where T : DataPlaneEvent => (T)(await events.CollectUntilAsync(e => e is T t && match(t), timeout))[^1];

    /// <summary>Reads events until one matches, for at most <paramref name="timeout"/>; returns all read, the match last.</summary>
    public static async Task<List<DataPlaneEvent>> CollectUntilAsync(this ChannelReader<DataPlaneEvent> events, Func<DataPlaneEvent, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new List<DataPlaneEvent>();
        try
        {
            while (true)
            {
                var e = await events.ReadAsync(cts.Token);
                seen.Add(e);
                if (match(e))
                {
                    return seen;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching event within {timeout}; saw: {string.Join(", ", seen)}");
        }
    }
}
