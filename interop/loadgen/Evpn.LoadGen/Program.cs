using Evpn.LoadGen;

// evpn-loadgen: see LoadOptions.Usage. Exit codes: 0 done, 2 bad arguments, 1 session failure.
if (args.Length == 0 || args.Contains("--help"))
{
    Console.Out.WriteLine(LoadOptions.Usage);
    return args.Length == 0 ? 2 : 0;
}
var options = LoadOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"evpn-loadgen: {error}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var buildStart = System.Diagnostics.Stopwatch.GetTimestamp();
var plan = LoadPlan.Build(options);
var buildMs = System.Diagnostics.Stopwatch.GetElapsedTime(buildStart).TotalMilliseconds;
if (options.Sessions > 0)
{
    await using var reflector = new ReflectorRun(plan, Console.Out);
    try
    {
        return await reflector.RunAsync(cancel.Token);
    }
    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
    {
        Console.Error.WriteLine($"evpn-loadgen: reflector run with {options.Peer}:{options.Port} failed: {e.Message}");
        return 1;
    }
}
BgpConnection connection;
try
{
    connection = await BgpConnection.EstablishAsync(options, TimeSpan.FromSeconds(60), cancel.Token);
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
{
    Console.Error.WriteLine($"evpn-loadgen: no session with {options.Peer}:{options.Port}: {e.Message}");
    return 1;
}
await using (connection)
{
    Console.Out.WriteLine(FormattableString.Invariant(
        $"event=established peer={options.Peer} remote_as={connection.RemoteOpen!.Asn} extended_message={connection.Context.ExtendedMessage} plan_ms={buildMs:F1}"));
    Console.Out.Flush();
    var runner = new LoadRunner(plan, connection, Console.Out);
    try
    {
        foreach (var command in ReadCommands(options))
        {
            if (!LoadCommand.TryParse(command, out var parsed))
            {
                Console.Out.WriteLine($"event=error reason=\"unknown command '{command}'\"");
                Console.Out.Flush();
                continue;
            }
            if (!await runner.RunAsync(parsed, cancel.Token))
            {
                break;
            }
        }
    }
    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
    {
        Console.Out.WriteLine($"event=error reason=\"{e.Message}\"");
        return 1;
    }
    return connection.ClosedReason is null ? 0 : 1;
}

static IEnumerable<string> ReadCommands(LoadOptions options)
{
    if (options.Script.Count > 0)
    {
        foreach (var c in options.Script)
        {
            yield return c;
        }
        yield break;
    }
    while (Console.In.ReadLine() is { } line)
    {
        if (line.Trim().Length > 0)
        {
            yield return line.Trim();
        }
    }
}
