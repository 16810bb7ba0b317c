using Evpn.FdbWatch;

// evpn-fdbwatch: counts the remote MACs in a namespace's kernel FDB as they are programmed, for the
// convergence benchmark (interop/bench/convergence.sh). Commands on stdin, one answer line each on stdout:
//   expect COUNT [VTEP]   later: event=reached count=COUNT at_ns=UNIX_NS resyncs=R notifications=M (when the FDB
//                         holds exactly COUNT remote MACs, toward VTEP if given; at once if it already does)
//   count [VTEP]          event=count count=N resyncs=R notifications=M
// (M: the VXLAN FDB notifications read so far.)
//   quit
// Started with --netns NAME it watches that namespace, otherwise its own. First line: event=ready count=N.
string? netns = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--netns" when i + 1 < args.Length:
            netns = args[++i];
            break;
        default:
            Console.Error.WriteLine($"evpn-fdbwatch: unknown argument '{args[i]}' (usage: evpn-fdbwatch [--netns NAME])");
            return 2;
    }
}

var output = new Lock();
// Every answer also goes to stderr with the time, the trail to read when a harness wait timed out.
void Report(string line)
{
    lock (output)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
        Log(line);
    }
}

void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

KernelFdbWatch watch;
try
{
    watch = new KernelFdbWatch(netns, Report, Log);
}
catch (IOException e)
{
    Console.Error.WriteLine($"evpn-fdbwatch: {e.Message}");
    return 1;
}
using (watch)
{
    using var stop = new CancellationTokenSource();
    var receiver = new Thread(() => watch.Run(stop.Token)) { IsBackground = true, Name = "netlink" };
    receiver.Start();
    Report($"event=ready count={watch.Observe(new FdbTarget(0, null))}");
    while (Console.In.ReadLine() is { } line)
    {
        var command = WatchCommand.Parse(line);
        switch (command)
        {
            case WatchCommand.Expect expect:
                watch.Arm(expect.Target);
                break;
            case WatchCommand.Count count:
                Report($"event=count count={watch.Observe(count.Target)} resyncs={watch.Resyncs} notifications={watch.Notifications}");
                break;
            case WatchCommand.Quit:
                stop.Cancel();
                receiver.Join();
                return 0;
            case WatchCommand.Invalid invalid:
                Report($"event=error message={invalid.Reason}");
                break;
        }
    }
    stop.Cancel();
    receiver.Join();
}
return 0;
