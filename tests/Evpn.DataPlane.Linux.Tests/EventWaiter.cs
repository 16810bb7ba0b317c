using System.Threading.Channels;

namespace Evpn.DataPlane.Linux.Tests;

internal static class EventWaiter
{
    /// <summary>Reads events until one matches, for at most <paramref name="timeout"/>; returns the match.</summary>
    public static async Task<T> WaitForAsync<T>(this ChannelReader<DataPlaneEvent> events, Func<T, bool> match, TimeSpan timeout)
        where T : DataPlaneEvent
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new List<DataPlaneEvent>();
        try
        {
            while (true)
            {
                var e = await events.ReadAsync(cts.Token);
                seen.Add(e);
                if (e is T t && match(t))
                {
                    return t;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {typeof(T).Name} matching within {timeout}; saw: {string.Join(", ", seen)}");
        }
    }
}
