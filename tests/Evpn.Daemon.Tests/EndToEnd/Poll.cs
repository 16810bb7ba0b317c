namespace Evpn.Testing.EndToEnd;

/// <summary>Bounded waits: check a condition every 100 ms until it holds or the deadline passes.</summary>
public static class Poll
{
    /// <summary>Generous: two cores are shared by several builds and test runs, and a dotnet start is slow there.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string>? context = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
                last = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }
            if (DateTime.UtcNow > deadline)
            {
                var detail = last is null ? string.Empty : $"\nlast error: {last.Message}";
                throw new TimeoutException($"waited {(timeout ?? Deadline).TotalSeconds:0} s for {what}{detail}\n{context?.Invoke()}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
